#!/usr/bin/env bash
# A throwaway, real kube-apiserver (plus etcd) on loopback, to validate
# rendered Kubernetes YAML strictly with server-side dry-run.
#
#   hack/kube-apiserver.sh build [COMMAND...]
#       Build kube-apiserver, and kubectl unless the machine's is compatible
#       (below), (or the k8s.io/kubernetes/cmd/...
#       commands named, e.g. kubelet for hack/cluster.sh) from tools/apiserver
#       (a separate Go module pinning k8s.io/kubernetes) into a cache dir
#       keyed by a hash of tools/apiserver/go.mod and go.sum; a command
#       already built there is skipped. Installs Debian's etcd-server when
#       `etcd` is not on PATH (apt-get install: needs root or sudo).
#   hack/kube-apiserver.sh missing
#       Print what `start` would build or install first, one item a line;
#       exit 1 when that is something, 0 when everything is there.
#   hack/kube-apiserver.sh start DIR
#       Start etcd and kube-apiserver with their state under DIR, write
#       DIR/kubeconfig, wait until ready, install hack/crds/*.yaml.
#   hack/kube-apiserver.sh validate [--dir DIR] FILE_OR_DIR...
#       Create the namespaces the files mention, then run
#       `kubectl apply --dry-run=server --validate=strict` on every file.
#       DIR defaults to $KUBE_APISERVER_DIR.
#   hack/kube-apiserver.sh stop DIR
#       Stop both processes and remove what start created under DIR.
#   hack/kube-apiserver.sh kubectl DIR ARGS...
#       Run kubectl against the server of DIR (for debugging).
#
# kubectl: the one on PATH when its minor version is within one of the
# pinned Kubernetes release (kubectl's supported version skew), else the
# one built from tools/apiserver.
#
# Environment:
#   WORDPRESS_FN_CACHE   cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/wordpress-fn)
#   KUBE_APISERVER_DIR   state dir for `validate` when --dir is not given
#   KUBE_APISERVER_ARGS  extra kube-apiserver flags (word-split)
#   START_TIMEOUT        seconds to wait for readiness (default 120)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="${ROOT}/tools/apiserver"
CRD_DIR="${ROOT}/hack/crds"
CACHE_ROOT="${WORDPRESS_FN_CACHE:-${XDG_CACHE_HOME:-${HOME}/.cache}/wordpress-fn}"
START_TIMEOUT="${START_TIMEOUT:-120}"

log() { printf '[kube-apiserver] %s\n' "$*" >&2; }
die() { printf '[kube-apiserver] ERROR: %s\n' "$*" >&2; exit 1; }

# The Kubernetes release pinned by tools/apiserver/go.mod, e.g. v1.34.2.
k8s_version() {
  awk '$1 == "k8s.io/kubernetes" && $2 ~ /^v1\./ { print $2; exit }' "${TOOLS_DIR}/go.mod"
}

# Cache dir for the binaries: changes whenever go.mod or go.sum change.
bin_dir() {
  local hash
  hash="$(cat "${TOOLS_DIR}/go.mod" "${TOOLS_DIR}/go.sum" | sha256sum | cut -c1-16)"
  printf '%s/k8s-%s\n' "${CACHE_ROOT}" "${hash}"
}

# The machine's kubectl, when it is within kubectl's version skew (one
# minor) of the pinned release. Prints its path; fails when there is none.
machine_kubectl() {
  local p minor want
  p="$(command -v kubectl 2>/dev/null)" || return 1
  [[ "${p}" != "$(bin_dir)/kubectl" ]] || return 1
  minor="$("${p}" version --client -o json 2>/dev/null \
    | sed -n 's/^ *"minor": *"\([0-9][0-9]*\).*/\1/p' | head -n 1)"
  want="$(k8s_version | cut -d. -f2)"
  [[ -n "${minor}" && -n "${want}" ]] || return 1
  (( minor - want <= 1 && want - minor <= 1 )) || return 1
  printf '%s\n' "${p}"
}

# The kubectl that start, validate and kubectl use.
kubectl_path() {
  machine_kubectl || printf '%s/kubectl\n' "$(bin_dir)"
}

as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

# ensure_cmd COMMAND DEBIAN_PACKAGE: apt-get install the package if needed.
ensure_cmd() {
  command -v "$1" >/dev/null 2>&1 && return 0
  log "$1 not on PATH: installing Debian's $2 with apt-get (needs root)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
  command -v "$1" >/dev/null 2>&1 || die "$1 still not on PATH after installing $2"
}

cmd_build() {
  ensure_cmd etcd etcd-server
  ensure_cmd openssl openssl
  if (( $# == 0 )); then
    set -- kube-apiserver
    machine_kubectl >/dev/null || set -- "$@" kubectl
  fi
  local dir version cmd missing=()
  dir="$(bin_dir)"
  version="$(k8s_version)"
  [[ -n "${version}" ]] || die "cannot find the k8s.io/kubernetes version in ${TOOLS_DIR}/go.mod"
  for cmd in "$@"; do
    [[ -x "${dir}/${cmd}" ]] || missing+=("${cmd}")
  done
  if (( ${#missing[@]} == 0 )); then
    log "$* ${version} already built in ${dir}"
    return 0
  fi

  # Same version stamping as kubernetes' hack/lib/version.sh.
  local major minor ldflags="-s -w" pkg
  major="$(echo "${version#v}" | cut -d. -f1)"
  minor="$(echo "${version#v}" | cut -d. -f2)"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X ${pkg}.gitVersion=${version}"
    ldflags+=" -X ${pkg}.gitMajor=${major} -X ${pkg}.gitMinor=${minor}"
    ldflags+=" -X ${pkg}.gitTreeState=clean -X ${pkg}.buildDate=1970-01-01T00:00:00Z"
  done

  # One build at a time per cache dir: a second caller (make validate-k8s
  # beside hack/cluster.sh) waits for the first, then finds its binaries.
  mkdir -p "${dir}"
  local lock
  exec {lock}>"${dir}/.lock"
  if ! flock -n "${lock}"; then
    log "another build into ${dir} is running: waiting for it"
    flock "${lock}"
    missing=()
    for cmd in "$@"; do
      [[ -x "${dir}/${cmd}" ]] || missing+=("${cmd}")
    done
    if (( ${#missing[@]} == 0 )); then
      exec {lock}>&-
      log "$* ${version} built by the other build in ${dir}"
      return 0
    fi
  fi
  log "building ${missing[*]} ${version} into ${dir} (takes a few minutes)"
  local tmp pkgs=()
  tmp="$(mktemp -d "${dir}/.build.XXXXXX")"
  for cmd in "${missing[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/${cmd}"); done
  (
    cd "${TOOLS_DIR}"
    export CGO_ENABLED=0 GOWORK=off GOFLAGS="${GOFLAGS:-} -mod=readonly"
    # One go build for all of them: shared packages compile once.
    go build -trimpath -ldflags "${ldflags}" -o "${tmp}/" "${pkgs[@]}"
  ) || { rm -rf "${tmp}"; die "build failed"; }
  # Rename into place so that an interrupted build never looks finished.
  for cmd in "${missing[@]}"; do mv "${tmp}/${cmd}" "${dir}/"; done
  rmdir "${tmp}"
  exec {lock}>&-
  log "built ${missing[*]} ${version} in ${dir}"
}

# A TCP port on 127.0.0.1 that nothing listens on (picked at random; the
# small race with other processes is acceptable for a test server).
free_port() {
  local port
  for _ in $(seq 1 100); do
    port=$(( 20000 + RANDOM % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null; then
      echo "${port}"
      return 0
    fi
  done
  die "no free port found"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

# Loads DIR/state.env written by start: BIN_DIR, ETCD_PID, APISERVER_PID, ...
load_state() {
  local dir="$1"
  [[ -f "${dir}/state.env" ]] || die "no server state in ${dir} (run: $0 start ${dir})"
  KUBECTL=''
  # shellcheck disable=SC1091
  source "${dir}/state.env"
  KUBECTL="${KUBECTL:-${BIN_DIR}/kubectl}"
  STATE_DIR="${dir}"
}

# kubectl against the server of STATE_DIR, with a private discovery cache.
kc() {
  "${KUBECTL}" --kubeconfig "${STATE_DIR}/kubeconfig" --cache-dir "${STATE_DIR}/cache" "$@"
}

print_logs() {
  local dir="$1" f
  for f in "${dir}/etcd.log" "${dir}/kube-apiserver.log"; do
    [[ -f "${f}" ]] || continue
    echo "----- last 60 lines of ${f} -----" >&2
    tail -n 60 "${f}" >&2
  done
}

cmd_start() {
  local dir="${1:?usage: $0 start DIR}"
  mkdir -p "${dir}"
  dir="$(cd "${dir}" && pwd)"
  if [[ -f "${dir}/state.env" ]]; then
    # shellcheck disable=SC1091
    ( source "${dir}/state.env"; ! alive "${APISERVER_PID}" && ! alive "${ETCD_PID}" ) \
      || die "a server is already running for ${dir} (run: $0 stop ${dir})"
  fi
  cmd_build
  local bin version
  bin="$(bin_dir)"
  version="$(k8s_version)"

  local etcd_port peer_port api_port
  etcd_port="$(free_port)"
  peer_port="$(free_port)"
  api_port="$(free_port)"
  while [[ "${peer_port}" == "${etcd_port}" ]]; do peer_port="$(free_port)"; done
  while [[ "${api_port}" == "${etcd_port}" || "${api_port}" == "${peer_port}" ]]; do api_port="$(free_port)"; done

  # Credentials: a static token for a system:masters user, and the RSA key
  # that service account tokens are signed with (required flags).
  local token
  token="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  printf '%s,admin,admin,system:masters\n' "${token}" > "${dir}/token.csv"
  openssl genrsa -out "${dir}/sa.key" 2048 2>/dev/null
  chmod 600 "${dir}/token.csv" "${dir}/sa.key"
  rm -rf "${dir}/etcd" "${dir}/certs" "${dir}/cache"   # left by a crashed run
  mkdir -p "${dir}/certs" "${dir}/etcd"
  chmod 700 "${dir}/etcd"

  log "starting etcd $(etcd --version | awk '/etcd Version/ {print $3}') on 127.0.0.1:${etcd_port}"
  etcd \
    --name=wpfn \
    --logger=zap \
    --data-dir="${dir}/etcd" \
    --listen-client-urls="http://127.0.0.1:${etcd_port}" \
    --advertise-client-urls="http://127.0.0.1:${etcd_port}" \
    --listen-peer-urls="http://127.0.0.1:${peer_port}" \
    --initial-advertise-peer-urls="http://127.0.0.1:${peer_port}" \
    --initial-cluster="wpfn=http://127.0.0.1:${peer_port}" \
    --initial-cluster-state=new \
    </dev/null >"${dir}/etcd.log" 2>&1 &
  local etcd_pid=$!

  # Write the state now, so that `stop` can clean up whatever happens next.
  cat > "${dir}/state.env" <<EOF
BIN_DIR='${bin}'
KUBECTL='$(kubectl_path)'
K8S_VERSION='${version}'
ETCD_PID='${etcd_pid}'
ETCD_PORT='${etcd_port}'
APISERVER_PID=''
APISERVER_PORT='${api_port}'
EOF

  for _ in $(seq 1 30); do
    port_open "${etcd_port}" && break
    alive "${etcd_pid}" || { print_logs "${dir}"; die "etcd exited"; }
    sleep 1
  done
  port_open "${etcd_port}" || { print_logs "${dir}"; die "etcd did not listen on ${etcd_port}"; }

  # --authorization-mode=AlwaysAllow: no RBAC needed (the token user is in
  #   system:masters anyway).
  # --disable-admission-plugins=ServiceAccount: no controller-manager runs
  #   here, so the "default" ServiceAccount never exists and bare Pods would
  #   be rejected. NamespaceLifecycle stays on: validate creates namespaces.
  # --allow-privileged: manifests may legitimately ask for privileged pods.
  log "starting kube-apiserver ${version} on https://127.0.0.1:${api_port}"
  # shellcheck disable=SC2086
  "${bin}/kube-apiserver" \
    --etcd-servers="http://127.0.0.1:${etcd_port}" \
    --bind-address=127.0.0.1 \
    --advertise-address=127.0.0.1 \
    --secure-port="${api_port}" \
    --cert-dir="${dir}/certs" \
    --token-auth-file="${dir}/token.csv" \
    --authorization-mode=AlwaysAllow \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="${dir}/sa.key" \
    --service-account-signing-key-file="${dir}/sa.key" \
    --service-cluster-ip-range=10.96.0.0/16 \
    --disable-admission-plugins=ServiceAccount \
    --allow-privileged=true \
    --profiling=false \
    ${KUBE_APISERVER_ARGS:-} \
    </dev/null >"${dir}/kube-apiserver.log" 2>&1 &
  local api_pid=$!
  sed -i "s/^APISERVER_PID=.*/APISERVER_PID='${api_pid}'/" "${dir}/state.env"

  # The serving certificate is self-signed and written to --cert-dir at
  # startup, so the kubeconfig trusts it once it exists.
  local started=${SECONDS}
  while [[ ! -s "${dir}/certs/apiserver.crt" ]]; do
    alive "${api_pid}" || { print_logs "${dir}"; die "kube-apiserver exited"; }
    (( SECONDS - started < START_TIMEOUT )) || { print_logs "${dir}"; die "no serving certificate after ${START_TIMEOUT}s"; }
    sleep 0.5
  done
  cat > "${dir}/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: https://127.0.0.1:${api_port}
    certificate-authority: ${dir}/certs/apiserver.crt
users:
- name: admin
  user:
    token: ${token}
contexts:
- name: local
  context: {cluster: local, user: admin, namespace: default}
current-context: local
EOF
  chmod 600 "${dir}/kubeconfig"

  load_state "${dir}"
  until kc get --raw=/readyz --request-timeout=5s >/dev/null 2>&1; do
    alive "${api_pid}" || { print_logs "${dir}"; die "kube-apiserver exited"; }
    alive "${etcd_pid}" || { print_logs "${dir}"; die "etcd exited"; }
    if (( SECONDS - started >= START_TIMEOUT )); then
      kc get --raw='/readyz?verbose' --request-timeout=5s >&2 || true
      print_logs "${dir}"
      die "kube-apiserver not ready after ${START_TIMEOUT}s"
    fi
    sleep 1
  done
  log "kube-apiserver ready after $(( SECONDS - started ))s"

  install_crds
  log "ready: export KUBE_APISERVER_DIR=${dir} KUBECONFIG=${dir}/kubeconfig"
}

install_crds() {
  local files=("${CRD_DIR}"/*.yaml)
  [[ -e "${files[0]}" ]] || { log "no CRDs in ${CRD_DIR}"; return 0; }
  log "installing CRDs from ${CRD_DIR}"
  # Server-side apply: the Traefik CRDs are too large for the
  # last-applied-configuration annotation of client-side apply.
  local f
  for f in "${files[@]}"; do
    kc apply --server-side --force-conflicts -f "${f}" >/dev/null
  done
  kc wait --for=condition=Established --timeout=60s crd --all >/dev/null
  # Established is set before discovery always lists the new resources:
  # wait until each one can be listed, then drop the discovery cache.
  local crd started=${SECONDS}
  for crd in $(kc get crd -o name); do
    crd="${crd#*/}"
    until kc get "${crd}" --all-namespaces -o name >/dev/null 2>&1; do
      (( SECONDS - started < 60 )) || die "CRD ${crd} not served after 60s"
      sleep 0.5
    done
  done
  rm -rf "${STATE_DIR}/cache"
  log "CRDs established: $(kc get crd -o name | wc -l)"
}

cmd_stop() {
  local dir="${1:?usage: $0 stop DIR}"
  [[ -d "${dir}" ]] || return 0
  dir="$(cd "${dir}" && pwd)"
  if [[ -f "${dir}/state.env" ]]; then
    local ETCD_PID='' APISERVER_PID=''
    # shellcheck disable=SC1091
    source "${dir}/state.env"
    stop_pid "${APISERVER_PID}" kube-apiserver
    stop_pid "${ETCD_PID}" etcd
  fi
  rm -rf "${dir}/etcd" "${dir}/certs" "${dir}/cache" \
    "${dir}/sa.key" "${dir}/token.csv" "${dir}/kubeconfig" "${dir}/state.env" \
    "${dir}/etcd.log" "${dir}/kube-apiserver.log"
  rmdir "${dir}" 2>/dev/null || true
  log "stopped"
}

stop_pid() {
  local pid="$1" name="$2"
  alive "${pid}" || return 0
  kill "${pid}" 2>/dev/null || true
  for _ in $(seq 1 300); do
    alive "${pid}" || return 0
    sleep 0.1
  done
  log "${name} (pid ${pid}) did not stop in 30s: killing"
  kill -9 "${pid}" 2>/dev/null || true
}

# Prints the files to validate: plain files as given, directories searched
# recursively for *.yaml, *.yml and *.json (sorted).
expand_inputs() {
  local arg
  for arg in "$@"; do
    if [[ -d "${arg}" ]]; then
      find "${arg}" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) | LC_ALL=C sort
    elif [[ -f "${arg}" ]]; then
      printf '%s\n' "${arg}"
    else
      die "no such file or directory: ${arg}"
    fi
  done
}

# Prints "KIND<TAB>NAMESPACE<TAB>NAME" for each object of a file, parsed by
# kubectl itself, offline (--local), without changing anything.
list_objects() {
  kc annotate --local -f "$1" -o go-template='{{.kind}}	{{.metadata.namespace}}	{{.metadata.name}}{{"\n"}}' \
    wordpress-fn.validate/unused- 2>/dev/null
}

# Like list_objects, but when the file as a whole cannot be parsed, lists
# what it can from each document alone (the dry-run reports the error).
list_file_objects() {
  local file="$1" tmp doc
  list_objects "${file}" && return 0
  tmp="$(mktemp -d)"
  split_documents "${file}" "${tmp}"
  for doc in "${tmp}"/doc-*.yaml; do
    [[ -e "${doc}" ]] && { list_objects "${doc}" || true; }
  done
  rm -rf "${tmp}"
}

cmd_validate() {
  local dir="${KUBE_APISERVER_DIR:-}"
  if [[ "${1:-}" == "--dir" ]]; then dir="${2:?--dir needs a value}"; shift 2; fi
  [[ -n "${dir}" ]] || die "usage: $0 validate [--dir DIR] FILE_OR_DIR... (or set KUBE_APISERVER_DIR)"
  (( $# > 0 )) || die "usage: $0 validate [--dir DIR] FILE_OR_DIR..."
  load_state "${dir}"

  local files=() f
  while IFS= read -r f; do files+=("${f}"); done < <(expand_inputs "$@")
  (( ${#files[@]} > 0 )) || die "no *.yaml, *.yml or *.json files in: $*"

  # Pass 1: list the objects, and collect the namespaces they mention.
  local objects=0 kind ns name failed=()
  local -A namespaces=()
  for f in "${files[@]}"; do
    local listing
    listing="$(list_file_objects "${f}")"
    while IFS=$'\t' read -r kind ns name; do
      [[ -n "${kind}" ]] || continue
      objects=$(( objects + 1 ))
      [[ "${kind}" == "Namespace" && -n "${name}" ]] && namespaces["${name}"]=1
      [[ -n "${ns}" && "${ns}" != "<no value>" ]] && namespaces["${ns}"]=1
    done <<< "${listing}"
  done

  # The dry-run of a namespaced object fails unless its namespace exists, so
  # create them for real (--save-config: a later apply of the file's own
  # Namespace object then patches it quietly).
  for ns in "${!namespaces[@]}"; do
    kc get namespace "${ns}" >/dev/null 2>&1 \
      || kc create namespace "${ns}" --save-config >/dev/null
  done

  # Pass 2: strict server-side dry-run of every file.
  local out
  for f in "${files[@]}"; do
    if out="$(kc apply --dry-run=server --validate=strict -f "${f}" -o name 2>&1)"; then
      # Passed; still show server warnings (deprecated APIs, ...).
      awk -v f="${f}" '/^Warning:/ { print f ": " $0 }' <<< "${out}" >&2
      continue
    fi
    failed+=("${f}")
    echo "FAIL ${f}:" >&2
    report_failure "${f}" "${out}"
  done

  if (( ${#failed[@]} > 0 )); then
    echo "validation FAILED for ${#failed[@]} of ${#files[@]} files against kube-apiserver ${K8S_VERSION}" >&2
    return 1
  fi
  echo "validated ${objects} objects in ${#files[@]} files against kube-apiserver ${K8S_VERSION}"
}

# kubectl names the file but not the object in most errors: re-run each
# document of the file alone to say which objects fail, and why.
report_failure() {
  local file="$1" out="$2" tmp doc n=0 bad=0
  tmp="$(mktemp -d)"
  split_documents "${file}" "${tmp}"
  for doc in "${tmp}"/doc-*.yaml; do
    [[ -e "${doc}" ]] || continue
    n=$(( n + 1 ))
    local id err
    id="$(list_objects "${doc}" | awk -F'\t' 'NR == 1 { printf "%s %s%s", $1, ($2 == "" || $2 == "<no value>") ? "" : $2 "/", $3 }')" || id=""
    if ! err="$(kc apply --dry-run=server --validate=strict -f "${doc}" -o name 2>&1)"; then
      bad=$(( bad + 1 ))
      echo "  document ${n} (${id:-unparseable}):" >&2
      sed -e "s|${doc}|${file} document ${n}|g" -e 's/^/    /' <<< "${err}" >&2
    fi
  done
  rm -rf "${tmp}"
  if (( bad == 0 )); then
    # Could not narrow it down (e.g. a List, or an error across documents).
    # shellcheck disable=SC2001
    sed 's/^/    /' <<< "${out}" >&2
  fi
}

# Splits a multi-document YAML file at "---" lines into DIR/doc-NNNN.yaml,
# skipping documents that hold only comments or blank lines.
split_documents() {
  awk -v dir="$2" '
    function flush() {
      if (content) { n++; f = sprintf("%s/doc-%04d.yaml", dir, n); printf "%s", buf > f; close(f) }
      buf = ""; content = 0
    }
    /^---([ \t].*)?$/ { flush(); next }
    /^\.\.\.[ \t]*$/  { flush(); next }
    { buf = buf $0 "\n"; if ($0 !~ /^[ \t]*(#.*)?$/) content = 1 }
    END { flush() }
  ' "$1"
}

cmd_missing() {
  local dir cmd missing=()
  dir="$(bin_dir)"
  [[ -x "${dir}/kube-apiserver" ]] || missing+=("kube-apiserver $(k8s_version) (go build from tools/apiserver)")
  machine_kubectl >/dev/null || [[ -x "${dir}/kubectl" ]] \
    || missing+=("kubectl $(k8s_version) (go build from tools/apiserver; a kubectl on PATH within one minor version is used instead)")
  for cmd in etcd:etcd-server openssl:openssl; do
    command -v "${cmd%%:*}" >/dev/null 2>&1 \
      || missing+=("${cmd%%:*}: apt-get install ${cmd#*:} (needs root or sudo)")
  done
  (( ${#missing[@]} == 0 )) || { printf '%s\n' "${missing[@]}"; return 1; }
}

cmd_kubectl() {
  local dir="${1:?usage: $0 kubectl DIR ARGS...}"
  shift
  load_state "${dir}"
  kc "$@"
}

main() {
  local cmd="${1:-}"
  (( $# > 0 )) && shift
  case "${cmd}" in
    build) cmd_build "$@" ;;
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    validate) cmd_validate "$@" ;;
    kubectl) cmd_kubectl "$@" ;;
    bin-dir) bin_dir ;;
    missing) cmd_missing ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
}

main "$@"
