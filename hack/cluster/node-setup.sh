#!/bin/bash
# Runs once inside the node container (hack/cluster.sh up), before any
# Kubernetes part starts. The container is not --privileged (Docker's
# privileged mode asks for CAP_SYS_RESOURCE, which these machines do not
# grant): it has every other capability but Docker's read-only /sys and
# /proc/sys. This opens exactly what the node needs, in its own namespaces:
set -euo pipefail

# 1. The cgroup hierarchies, read-write for the kubelet and runc. With
#    --cgroupns=private they are rooted at the container's own cgroup, so
#    the pods' cgroups nest inside it and go when it goes.
for m in $(awk '$3 == "cgroup" || $3 == "cgroup2" || $2 == "/sys/fs/cgroup" { print $2 }' /proc/self/mounts); do
  mount -o remount,bind,rw "$m"
done

# 2. /proc/sys/net read-write: the network sysctls are per network
#    namespace, so kube-proxy and the CNI bridge change only the node's.
mount --bind /proc/sys/net /proc/sys/net
mount -o remount,bind,rw /proc/sys/net

# 3. The rest of /proc/sys stays read-only: those knobs are the host
#    kernel's. The kubelet insists on six of them (vm.overcommit_memory=1,
#    kernel.panic=10, ...) and fails to start when it cannot set them; a
#    privileged node (kind's way) would change them for the whole machine.
#    The kubelet is shown the values it wants instead, in this mount
#    namespace only; the host's stay as they are.
mkdir -p /run/wpfn-sysctl
while read -r key value; do
  f="/run/wpfn-sysctl/${key//\//.}"
  echo "${value}" > "$f"
  mount --bind -o ro "$f" "/proc/sys/${key}"
done <<'SYSCTL'
vm/overcommit_memory 1
vm/panic_on_oom 0
kernel/panic 10
kernel/panic_on_oops 1
kernel/keys/root_maxkeys 1000000
kernel/keys/root_maxbytes 25000000
SYSCTL
