#!/usr/bin/env bash
# A real single-node Kubernetes for the cluster tests (e2e/cluster), offline:
# etcd, kube-apiserver, kube-controller-manager, kube-scheduler, containerd,
# kubelet, kube-proxy and a cluster DNS, all inside ONE Docker container
# with nearly every capability (the "node", the way kind runs a node,
# though not --privileged: see hack/cluster/node-setup.sh).
#
#   hack/cluster.sh build          the Kubernetes commands (cached, see below)
#                                  and the pause and DNS helpers
#   hack/cluster.sh images         the node image and the WordPress and MySQL
#                                  stand-in images (cached, see below)
#   hack/cluster.sh up DIR         start a cluster; its state in DIR, its
#                                  kubeconfig at DIR/kubeconfig
#   hack/cluster.sh down DIR       remove the node container, its volumes and DIR
#   hack/cluster.sh run -- CMD...  up in a temp dir, run CMD with
#                                  WPFN_CLUSTER_DIR and KUBECONFIG set, then down
#                                  from a trap (also on failure or Ctrl-C), and
#                                  fail if the host's iptables rules, kernel
#                                  settings, lo addresses, host paths or
#                                  cgroups differ from before
#   hack/cluster.sh kubectl DIR ARGS...   the pinned kubectl against DIR's cluster
#   hack/cluster.sh logs DIR       the last lines of every component's log
#   hack/cluster.sh missing        print what `up` would build first that
#                                  takes minutes (Kubernetes commands, the
#                                  root filesystem), one item a line; exit 1
#                                  when that is something
#
# Why a node container rather than processes on the host: kube-proxy writes
# iptables rules into the built-in chains (PREROUTING, OUTPUT, FORWARD,
# POSTROUTING) of the network namespace it runs in. In the node's own
# namespace those rules, the pod bridge, the pods' addresses, the host paths
# kubelet and containerd insist on (/var/log/containers, /var/lib/kubelet,
# /var/lib/cni, /run/netns) and the pods' cgroups (under the container's
# own, --cgroupns=private) all live and die with the container: nothing of
# it touches the host, and no address on the host's `lo` is needed, since
# the node has a real interface (its Docker bridge address) for its node IP.
# What the host sees: one container on Docker's default bridge (which adds
# no iptables rule without published ports) and its anonymous volumes, both
# removed by `down`. Traffic: the host talks only to that container's
# address (the API server on 6443, NodePorts); pods talk only to each other
# and to the node.
#
# Parts, and where they come from (nothing is pulled: no registry is
# reachable):
#   - the Kubernetes commands: built by hack/kube-apiserver.sh from
#     tools/apiserver (the k8s.io/kubernetes module that make validate-k8s
#     uses), cached by a hash of its go.mod and go.sum, bind-mounted into
#     the node read-only;
#   - containerd, runc, the CNI plugins, etcd, iptables: Debian packages in
#     the node image;
#   - the images: one debootstrap'ed Debian root filesystem (hack/cluster/
#     rootfs.sh, cached as a tar by the hash of that script, and imported as
#     a Docker image), with an entrypoint per image: the node, the WordPress
#     stand-in (apache2, mod_php, php-mysql, Debian's wordpress) and the
#     MySQL stand-in (mariadb-server); plus the pod sandbox ("pause") and
#     the DNS server, static Go binaries on scratch (hack/cluster/pause,
#     hack/cluster/dns). `up` loads them into the node's containerd.
#
# Environment:
#   WORDPRESS_FN_CACHE  cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/wordpress-fn)
#   READY_TIMEOUT       seconds to wait for each part to be ready (default 120)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HACK="${ROOT}/hack"
CACHE_ROOT="${WORDPRESS_FN_CACHE:-${XDG_CACHE_HOME:-${HOME}/.cache}/wordpress-fn}"
READY_TIMEOUT="${READY_TIMEOUT:-120}"

K8S_COMMANDS=(kube-apiserver kubectl kubelet kube-controller-manager kube-scheduler kube-proxy)
NODE_NAME=wpfn-node
POD_CIDR=10.244.0.0/24
SERVICE_CIDR=10.96.0.0/16
API_SERVICE_IP=10.96.0.1
DNS_SERVICE_IP=10.96.0.10
CLUSTER_DOMAIN=cluster.local

# Image names. The WordPress and MySQL tags are the ones the test profile
# (e2e/cluster/testdata/profile.yaml) pins; `images` rebuilds them whenever
# their recipe changes (Docker's layer cache makes an unchanged one free).
NODE_IMAGE=wpfn.local/node:v1
PAUSE_IMAGE=wpfn.local/pause:v1
DNS_IMAGE=wpfn.local/cluster-dns:v1
WORDPRESS_IMAGE=wpfn.local/wordpress-standin:6.1-debian12
MYSQL_IMAGE=wpfn.local/mysql-standin:mariadb10.11-debian12
POD_IMAGES=("${PAUSE_IMAGE}" "${DNS_IMAGE}" "${WORDPRESS_IMAGE}" "${MYSQL_IMAGE}")

T0=${SECONDS}
log() { printf '[cluster %3ds] %s\n' "$(( SECONDS - T0 ))" "$*" >&2; }
die() { printf '[cluster] ERROR: %s\n' "$*" >&2; exit 1; }

k8s_bin_dir() { "${HACK}/kube-apiserver.sh" bin-dir; }

# ---------------------------------------------------------------- build

cmd_build() {
  command -v docker >/dev/null || die "docker is not installed"
  "${HACK}/kube-apiserver.sh" build "${K8S_COMMANDS[@]}"
  helpers_dir >/dev/null
}

# The pause and DNS binaries, cached by a hash of their sources and the Go
# version. Prints the directory.
helpers_dir() {
  local hash dir
  hash="$(cat "${HACK}"/cluster/pause/*.go "${HACK}"/cluster/dns/*.go <(go version) | sha256sum | cut -c1-16)"
  dir="${CACHE_ROOT}/cluster-helpers-${hash}"
  if [[ ! -x "${dir}/dns" || ! -x "${dir}/pause" ]]; then
    log "building the pause and DNS helpers into ${dir}"
    mkdir -p "${dir}"
    (cd "${ROOT}" && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "${dir}/pause" ./hack/cluster/pause \
      && CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "${dir}/dns" ./hack/cluster/dns) >&2
  fi
  printf '%s\n' "${dir}"
}

# ---------------------------------------------------------------- images

cmd_images() {
  command -v docker >/dev/null || die "docker is not installed"
  local hash base tar helpers ctx
  hash="$(sha256sum "${HACK}/cluster/rootfs.sh" | cut -c1-16)"
  base="wpfn.local/debian-rootfs:${hash}"
  if ! docker image inspect "${base}" >/dev/null 2>&1; then
    tar="${CACHE_ROOT}/rootfs-${hash}.tar"
    if [[ ! -s "${tar}" ]]; then
      log "debootstrapping the Debian root filesystem into ${tar} (about 8 minutes)"
      mkdir -p "${CACHE_ROOT}"
      [[ "$(id -u)" -eq 0 ]] || die "debootstrap needs root"
      # Said here, not in rootfs.sh: the cache key is that script's hash.
      command -v debootstrap >/dev/null \
        || log "debootstrap is not on PATH: rootfs.sh installs Debian's debootstrap with apt-get (needs root)"
      nice -n 10 "${HACK}/cluster/rootfs.sh" "${tar}"
    fi
    log "importing ${tar} as ${base}"
    docker import "${tar}" "${base}" >/dev/null
  fi
  helpers="$(helpers_dir)"
  ctx="$(mktemp -d)"
  # shellcheck disable=SC2064
  trap "rm -rf '${ctx}'; trap - RETURN" RETURN
  cp "${helpers}/pause" "${helpers}/dns" "${HACK}/cluster/wordpress-entrypoint.sh" \
    "${HACK}/cluster/mysql-entrypoint.sh" "${HACK}/cluster/node-setup.sh" "${ctx}/"

  build_image "${NODE_IMAGE}" "${ctx}" <<EOF
FROM ${base}
COPY pause node-setup.sh /usr/local/bin/
ENTRYPOINT ["/usr/local/bin/pause"]
EOF
  build_image "${PAUSE_IMAGE}" "${ctx}" <<EOF
FROM scratch
COPY pause /pause
ENTRYPOINT ["/pause"]
EOF
  build_image "${DNS_IMAGE}" "${ctx}" <<EOF
FROM scratch
COPY dns /dns
ENTRYPOINT ["/dns"]
EOF
  # Apache's logs go to the container's output, as in the official image.
  build_image "${WORDPRESS_IMAGE}" "${ctx}" <<EOF
FROM ${base}
RUN ln -sfT /dev/stdout /var/log/apache2/access.log \
 && ln -sfT /dev/stderr /var/log/apache2/error.log \
 && ln -sfT /dev/stdout /var/log/apache2/other_vhosts_access.log \
 && echo 'ServerName localhost' > /etc/apache2/conf-enabled/servername.conf
COPY wordpress-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
WORKDIR /var/www/html
EXPOSE 80
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
CMD ["apache2-foreground"]
EOF
  build_image "${MYSQL_IMAGE}" "${ctx}" <<EOF
FROM ${base}
COPY mysql-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
EXPOSE 3306
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
CMD ["mysqld"]
EOF
}

# The long builds `up` would start: the Kubernetes commands not in the
# cache, and the root filesystem when neither its tar nor its image exists.
# (The helpers and the images from the tar take seconds to minutes.)
cmd_missing() {
  local dir hash cmd missing=()
  dir="$(k8s_bin_dir)"
  for cmd in "${K8S_COMMANDS[@]}"; do
    [[ -x "${dir}/${cmd}" ]] || missing+=("${cmd}")
  done
  (( ${#missing[@]} == 0 )) \
    || missing=("${missing[*]} (go build from tools/apiserver into ${dir})")
  hash="$(sha256sum "${HACK}/cluster/rootfs.sh" | cut -c1-16)"
  if [[ ! -s "${CACHE_ROOT}/rootfs-${hash}.tar" ]] \
    && ! docker image inspect "wpfn.local/debian-rootfs:${hash}" >/dev/null 2>&1; then
    missing+=("the Debian root filesystem of the node and stand-in images (debootstrap: needs root; apt-get installs debootstrap when missing)")
  fi
  (( ${#missing[@]} == 0 )) || { printf '%s\n' "${missing[@]}"; return 1; }
}

# build_image TAG CONTEXT < Dockerfile
build_image() {
  local out
  out="$(DOCKER_BUILDKIT=0 docker build -q -t "$1" -f - "$2" 2>&1)" || { printf '%s\n' "${out}" >&2; die "docker build of $1 failed"; }
}

# ---------------------------------------------------------------- up

load_state() {
  DIR="$(cd "${1:?cluster dir}" 2>/dev/null && pwd)" || die "no cluster dir $1"
  [[ -f "${DIR}/state.env" ]] || die "no cluster state in ${DIR} (run: $0 up ${DIR})"
  # shellcheck disable=SC1091
  source "${DIR}/state.env"
  KUBECTL="${BIN_DIR}/kubectl"
}

kc() { "${KUBECTL}" --kubeconfig "${DIR}/kubeconfig" --cache-dir "${DIR}/.kube-cache" "$@"; }

node_exec() { docker exec "${CONTAINER}" "$@"; }

# start_daemon NAME COMMAND...: run COMMAND in the node, detached, its output
# in DIR/logs/NAME.log.
start_daemon() {
  local name="$1"
  shift
  docker exec -d "${CONTAINER}" /bin/sh -c 'name="$1"; shift; exec "$@" >>"/wpfn/logs/${name}.log" 2>&1' sh "${name}" "$@"
}

# wait_for WHAT COMMAND...: retry COMMAND until it succeeds or READY_TIMEOUT.
wait_for() {
  local what="$1" started=${SECONDS}
  shift
  until "$@" >/dev/null 2>&1; do
    if (( SECONDS - started >= READY_TIMEOUT )); then
      cmd_logs "${DIR}" >&2 || true
      die "${what}: not ready after ${READY_TIMEOUT}s"
    fi
    sleep 0.5
  done
  log "${what}: ready"
}

cmd_up() {
  local dir="${1:?usage: $0 up DIR}"
  mkdir -p "${dir}"
  DIR="$(cd "${dir}" && pwd)"
  [[ ! -f "${DIR}/state.env" ]] || die "a cluster is already up in ${DIR} (run: $0 down ${DIR})"
  docker info >/dev/null 2>&1 || die "docker does not answer"
  cmd_build
  cmd_images
  BIN_DIR="$(k8s_bin_dir)"
  KUBECTL="${BIN_DIR}/kubectl"
  CONTAINER="wpfn-cluster-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"

  # From here on a failure tears everything down again (run's own trap, if
  # any, is put back once up has succeeded).
  local prev_trap
  prev_trap="$(trap -p EXIT)"
  trap 'rc=$?; if (( rc != 0 )); then log "up failed: tearing down"; cmd_down "${DIR}"; fi' EXIT
  printf "CONTAINER='%s'\nBIN_DIR='%s'\n" "${CONTAINER}" "${BIN_DIR}" > "${DIR}/state.env"
  mkdir -p "${DIR}/logs" "${DIR}/pki" "${DIR}/etc/cni"

  log "starting the node container ${CONTAINER}"
  # Anonymous volumes (removed by docker rm -v) for what needs a real
  # file system: containerd's overlayfs snapshots cannot sit on the
  # container's own fuse-overlayfs root; the kubelet's and etcd's state and
  # the PersistentVolumes' hostPath directories go with them.
  # Not --privileged: that asks for CAP_SYS_RESOURCE, which these machines
  # do not grant. Every other capability, no seccomp filter, every device;
  # /sys and /proc/sys stay read-only but for what node-setup.sh opens.
  docker run -d --name "${CONTAINER}" --hostname "${NODE_NAME}" \
    --cap-add ALL --cap-drop SYS_RESOURCE --security-opt seccomp=unconfined \
    --device-cgroup-rule 'a *:* rwm' --device /dev/kmsg --cgroupns=private \
    --label "io.wordpress-fn.cluster=${DIR}" \
    -v "${BIN_DIR}:/opt/k8s/bin:ro" -v "${DIR}:/wpfn" \
    -v /var/lib/containerd -v /var/lib/kubelet -v /var/lib/wpfn -v /var/log \
    --tmpfs /run --tmpfs /tmp \
    "${NODE_IMAGE}" >/dev/null
  docker exec "${CONTAINER}" /usr/local/bin/node-setup.sh
  NODE_IP="$(docker inspect -f '{{.NetworkSettings.IPAddress}}' "${CONTAINER}")"
  [[ -n "${NODE_IP}" ]] || die "the node container has no address on Docker's bridge"
  echo "NODE_IP='${NODE_IP}'" >> "${DIR}/state.env"
  log "node IP ${NODE_IP}"

  write_pki
  write_configs

  # etcd, the API server, containerd and the image import start together.
  start_daemon etcd etcd --name="${NODE_NAME}" --data-dir=/var/lib/wpfn/etcd \
    --listen-client-urls=http://127.0.0.1:2379 --advertise-client-urls=http://127.0.0.1:2379 \
    --listen-peer-urls=http://127.0.0.1:2380 --initial-advertise-peer-urls=http://127.0.0.1:2380 \
    --initial-cluster="${NODE_NAME}=http://127.0.0.1:2380" --logger=zap
  start_daemon containerd containerd --config /wpfn/etc/containerd.toml
  # A throwaway cluster: one static token for every component and user,
  # AlwaysAllow (no RBAC). The API server listens on the node's bridge
  # address too, so that the host and the pods (through the kubernetes
  # Service) reach it.
  start_daemon kube-apiserver /opt/k8s/bin/kube-apiserver \
    --etcd-servers=http://127.0.0.1:2379 \
    --bind-address=0.0.0.0 --advertise-address="${NODE_IP}" --secure-port=6443 \
    --tls-cert-file=/wpfn/pki/apiserver.crt --tls-private-key-file=/wpfn/pki/apiserver.key \
    --client-ca-file=/wpfn/pki/ca.crt \
    --token-auth-file=/wpfn/pki/token.csv --anonymous-auth=false \
    --authorization-mode=AlwaysAllow \
    --service-account-issuer="https://kubernetes.default.svc.${CLUSTER_DOMAIN}" \
    --service-account-key-file=/wpfn/pki/sa.key \
    --service-account-signing-key-file=/wpfn/pki/sa.key \
    --service-cluster-ip-range="${SERVICE_CIDR}" \
    --allow-privileged=true \
    --kubelet-preferred-address-types=InternalIP \
    --profiling=false

  wait_for "containerd" node_exec ctr --address /run/containerd/containerd.sock version
  log "loading ${#POD_IMAGES[@]} images into the node's containerd"
  docker save "${POD_IMAGES[@]}" | docker exec -i "${CONTAINER}" \
    ctr --address /run/containerd/containerd.sock -n k8s.io images import - >/dev/null &
  local import_pid=$!

  wait_for "kube-apiserver" kc get --raw=/readyz --request-timeout=5s
  start_daemon kube-controller-manager /opt/k8s/bin/kube-controller-manager \
    --kubeconfig=/wpfn/etc/node.kubeconfig \
    --authentication-kubeconfig=/wpfn/etc/node.kubeconfig \
    --authorization-kubeconfig=/wpfn/etc/node.kubeconfig \
    --bind-address=127.0.0.1 --leader-elect=false \
    --service-account-private-key-file=/wpfn/pki/sa.key \
    --root-ca-file=/wpfn/pki/ca.crt \
    --service-cluster-ip-range="${SERVICE_CIDR}" \
    --profiling=false
  start_daemon kube-scheduler /opt/k8s/bin/kube-scheduler \
    --kubeconfig=/wpfn/etc/node.kubeconfig \
    --authentication-kubeconfig=/wpfn/etc/node.kubeconfig \
    --authorization-kubeconfig=/wpfn/etc/node.kubeconfig \
    --bind-address=127.0.0.1 --leader-elect=false --profiling=false
  wait "${import_pid}" || die "loading the images into the node failed"
  log "images loaded"
  start_daemon kubelet /opt/k8s/bin/kubelet \
    --config=/wpfn/etc/kubelet.yaml --kubeconfig=/wpfn/etc/node.kubeconfig \
    --node-ip="${NODE_IP}" --hostname-override="${NODE_NAME}"
  start_daemon kube-proxy /opt/k8s/bin/kube-proxy --config=/wpfn/etc/kube-proxy.yaml

  wait_for "node ${NODE_NAME}" kc wait --for=condition=Ready "node/${NODE_NAME}" --timeout=2s
  # Pods are refused until the namespace's default ServiceAccount exists.
  wait_for "default ServiceAccount" kc -n default get serviceaccount default
  kc apply -f "${DIR}/etc/dns.yaml" >/dev/null
  wait_for "cluster DNS" kc -n kube-system wait --for=condition=Available deployment/cluster-dns --timeout=2s

  eval "${prev_trap:-trap - EXIT}"
  log "up: export KUBECONFIG=${DIR}/kubeconfig  (node ${NODE_IP}, container ${CONTAINER})"
}

write_pki() {
  local p="${DIR}/pki" token
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 2 -subj /CN=wpfn-cluster-ca \
    -keyout "${p}/ca.key" -out "${p}/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -sha256 -subj /CN=kube-apiserver \
    -keyout "${p}/apiserver.key" -out "${p}/apiserver.csr" 2>/dev/null
  printf '%s\n' \
    "subjectAltName=IP:127.0.0.1,IP:${NODE_IP},IP:${API_SERVICE_IP},DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.${CLUSTER_DOMAIN}" \
    "extendedKeyUsage=serverAuth" "keyUsage=digitalSignature,keyEncipherment" "basicConstraints=CA:FALSE" \
    > "${p}/apiserver.ext"
  openssl x509 -req -sha256 -days 2 -in "${p}/apiserver.csr" -CA "${p}/ca.crt" -CAkey "${p}/ca.key" \
    -CAcreateserial -extfile "${p}/apiserver.ext" -out "${p}/apiserver.crt" 2>/dev/null
  openssl genrsa -out "${p}/sa.key" 2048 2>/dev/null
  token="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  printf '%s,admin,admin,system:masters\n' "${token}" > "${p}/token.csv"
  chmod 600 "${p}"/*.key "${p}/token.csv"
  kubeconfig "https://${NODE_IP}:6443" "${p}/ca.crt" "${token}" > "${DIR}/kubeconfig"
  kubeconfig "https://127.0.0.1:6443" /wpfn/pki/ca.crt "${token}" > "${DIR}/etc/node.kubeconfig"
  chmod 600 "${DIR}/kubeconfig" "${DIR}/etc/node.kubeconfig"
}

kubeconfig() {
  cat <<EOF
apiVersion: v1
kind: Config
clusters:
- name: wpfn
  cluster: {server: "$1", certificate-authority: "$2"}
users:
- name: admin
  user: {token: "$3"}
contexts:
- name: wpfn
  context: {cluster: wpfn, user: admin, namespace: default}
current-context: wpfn
EOF
}

write_configs() {
  local e="${DIR}/etc"
  # restrict_oom_score_adj: these machines' processes lack CAP_SYS_RESOURCE,
  # so runc cannot lower the OOM score the CRI asks for (-998 for
  # sandboxes); without it every sandbox fails ("can't get final child's
  # PID from pipe"). See /work/shared/CLUSTER.md.
  cat > "${e}/containerd.toml" <<EOF
version = 2
root = "/var/lib/containerd"
state = "/run/containerd"
[grpc]
  address = "/run/containerd/containerd.sock"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${PAUSE_IMAGE}"
  restrict_oom_score_adj = true
  disable_apparmor = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "/wpfn/etc/cni"
EOF
  # One bridge, no masquerade (the pods never leave the node), hairpin so
  # that a pod reaches itself through its own Service.
  cat > "${e}/cni/10-wpfn.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "wpfn",
  "plugins": [{
    "type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
    "ipam": {"type": "host-local", "ranges": [[{"subnet": "${POD_CIDR}"}]], "routes": [{"dst": "0.0.0.0/0"}]}
  }]
}
EOF
  # The pods' resolv.conf gets the cluster DNS; nothing is upstream.
  : > "${e}/resolv.conf"
  cat > "${e}/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
containerRuntimeEndpoint: unix:///run/containerd/containerd.sock
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
authentication:
  anonymous: {enabled: true}
  webhook: {enabled: false}
authorization: {mode: AlwaysAllow}
clusterDNS: [${DNS_SERVICE_IP}]
clusterDomain: ${CLUSTER_DOMAIN}
resolvConf: /wpfn/etc/resolv.conf
healthzBindAddress: 127.0.0.1
readOnlyPort: 0
serializeImagePulls: false
volumePluginDir: /var/lib/kubelet/volume-plugins
evictionHard: {memory.available: 100Mi, nodefs.available: 2%, imagefs.available: 2%, nodefs.inodesFree: 2%}
EOF
  cat > "${e}/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: /wpfn/etc/node.kubeconfig}
hostnameOverride: ${NODE_NAME}
mode: iptables
clusterCIDR: ${POD_CIDR}
metricsBindAddress: 127.0.0.1:10249
healthzBindAddress: 127.0.0.1:10256
# The node container cannot change the host's conntrack table size: leave it.
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
EOF
  cat > "${e}/dns.yaml" <<EOF
# The cluster DNS (hack/cluster/dns), where CoreDNS would run: a Deployment
# behind the kube-dns Service at ${DNS_SERVICE_IP}, the kubelet's clusterDNS.
apiVersion: apps/v1
kind: Deployment
metadata: {name: cluster-dns, namespace: kube-system, labels: {k8s-app: kube-dns}}
spec:
  replicas: 1
  selector: {matchLabels: {k8s-app: kube-dns}}
  template:
    metadata: {labels: {k8s-app: kube-dns}}
    spec:
      dnsPolicy: Default
      containers:
      - name: dns
        image: ${DNS_IMAGE}
        imagePullPolicy: Never
        args: [--domain=${CLUSTER_DOMAIN}]
        ports:
        - {name: dns, containerPort: 53, protocol: UDP}
        - {name: dns-tcp, containerPort: 53, protocol: TCP}
        readinessProbe:
          httpGet: {path: /ready, port: 8181}
          periodSeconds: 1
        resources:
          requests: {cpu: 10m, memory: 20Mi}
          limits: {memory: 50Mi}
---
apiVersion: v1
kind: Service
metadata: {name: kube-dns, namespace: kube-system, labels: {k8s-app: kube-dns}}
spec:
  clusterIP: ${DNS_SERVICE_IP}
  selector: {k8s-app: kube-dns}
  ports:
  - {name: dns, port: 53, protocol: UDP}
  - {name: dns-tcp, port: 53, protocol: TCP}
EOF
}

# ---------------------------------------------------------------- down

cmd_down() {
  local dir="${1:?usage: $0 down DIR}"
  [[ -d "${dir}" ]] || return 0
  dir="$(cd "${dir}" && pwd)"
  if [[ -f "${dir}/state.env" ]]; then
    local CONTAINER=''
    # shellcheck disable=SC1091
    source "${dir}/state.env"
    if [[ -n "${CONTAINER}" ]] && docker container inspect "${CONTAINER}" >/dev/null 2>&1; then
      # -v: the anonymous volumes (containerd, kubelet, etcd, the PVs) go too.
      docker rm -f -v "${CONTAINER}" >/dev/null
      log "removed the node container ${CONTAINER}"
    fi
  fi
  rm -rf "${dir}"
}

# What the cluster must not change on the host, printed for a before/after
# comparison: every iptables rule (nft and legacy, all tables), the kernel
# settings the kubelet wants, the addresses on lo, the host paths kubelet
# and containerd write on a bare host, and cgroups named like the pods'.
host_fingerprint() {
  local t ipt
  for ipt in iptables iptables-legacy ip6tables; do
    command -v "${ipt}" >/dev/null || continue
    for t in filter nat mangle raw; do
      echo "== ${ipt} -t ${t}"
      "${ipt}" -t "${t}" -S 2>/dev/null | grep -v '^# Warning' || true
    done
  done
  echo "== sysctl"
  sysctl vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops \
    kernel.keys.root_maxkeys kernel.keys.root_maxbytes net.ipv4.ip_forward 2>&1
  echo "== lo"
  ip -o addr show dev lo 2>&1 | awk '{ print $3, $4 }'
  echo "== paths"
  ls -d /var/log/containers /var/lib/kubelet /var/lib/cni /run/netns /etc/cni/net.d 2>/dev/null || true
  find /sys/fs/cgroup -maxdepth 3 -name 'kubepods*' 2>/dev/null || true
}

cmd_run() {
  [[ "${1:-}" == "--" ]] && shift
  (( $# > 0 )) || die "usage: $0 run -- COMMAND..."
  local dir rc=0
  dir="$(mktemp -d "${TMPDIR:-/tmp}/wpfn-cluster.XXXXXX")"
  host_fingerprint > "${dir}.host-before"
  # shellcheck disable=SC2064
  trap "cmd_down '${dir}'; check_host '${dir}'" EXIT
  trap 'exit 130' INT TERM
  cmd_up "${dir}"
  WPFN_CLUSTER_DIR="${dir}" KUBECONFIG="${dir}/kubeconfig" "$@" || rc=$?
  return "${rc}"
}

# After down: the host must be as it was before up.
check_host() {
  local dir="$1"
  if host_fingerprint | diff -u "${dir}.host-before" - >&2; then
    log "host unchanged: iptables, kernel settings, lo, host paths, cgroups"
    rm -f "${dir}.host-before"
  else
    log "ERROR: the host differs after down (diff above; before: ${dir}.host-before)"
    exit 1
  fi
}

cmd_kubectl() {
  load_state "${1:?usage: $0 kubectl DIR ARGS...}"
  shift
  kc "$@"
}

cmd_logs() {
  local f
  for f in "${1:?usage: $0 logs DIR}"/logs/*.log; do
    [[ -f "${f}" ]] || continue
    echo "----- last 30 lines of ${f} -----"
    tail -n 30 "${f}"
  done
}

main() {
  local cmd="${1:-}"
  (( $# > 0 )) && shift
  case "${cmd}" in
    build) cmd_build "$@" ;;
    images) cmd_images "$@" ;;
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    run) cmd_run "$@" ;;
    kubectl) cmd_kubectl "$@" ;;
    logs) cmd_logs "$@" ;;
    missing) cmd_missing ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
}

main "$@"
