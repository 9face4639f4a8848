#!/usr/bin/env bash
# The one Debian root filesystem behind the test cluster's three images
# (hack/cluster.sh images): the node (containerd, runc, CNI plugins, etcd,
# iptables) and the WordPress and MySQL stand-ins (apache2 + mod_php +
# Debian's wordpress; mariadb-server). One debootstrap instead of three
# saves minutes; each image adds only its entrypoint on top.
#
#   hack/cluster/rootfs.sh OUT.tar
#
# Debian bookworm from the mirror apt uses on this machine (deb.debian.org),
# minbase, packages without recommends. hack/cluster.sh caches OUT.tar by a
# hash of this file: change the package list here and it is rebuilt.
set -euo pipefail

out="${1:?usage: $0 OUT.tar}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SECURITY="${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
SUITE=bookworm

NODE_PACKAGES=(containerd runc containernetworking-plugins etcd-server
  iptables conntrack iproute2 procps ca-certificates curl)
# The theme is only a Recommends of wordpress, but without a theme the
# front page is an empty 200.
WORDPRESS_PACKAGES=(apache2 libapache2-mod-php php-mysql wordpress wordpress-theme-twentytwentythree)
MYSQL_PACKAGES=(mariadb-server)

command -v debootstrap >/dev/null || {
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
}

root="$(mktemp -d "${TMPDIR:-/tmp}/wpfn-rootfs.XXXXXX")"
cleanup() {
  local m
  for m in dev/pts dev sys proc; do
    mountpoint -q "${root}/${m}" && umount -l "${root}/${m}"
  done
  rm -rf --one-file-system "${root}"
}
trap cleanup EXIT

debootstrap --variant=minbase "${SUITE}" "${root}" "${MIRROR}"

cat > "${root}/etc/apt/sources.list" <<SOURCES
deb ${MIRROR} ${SUITE} main
deb ${MIRROR} ${SUITE}-updates main
deb ${SECURITY} ${SUITE}-security main
SOURCES
# No service starts inside the build chroot.
printf '#!/bin/sh\nexit 101\n' > "${root}/usr/sbin/policy-rc.d"
chmod 755 "${root}/usr/sbin/policy-rc.d"
mount -t proc proc "${root}/proc"
mount --rbind /sys "${root}/sys"
mount --bind /dev "${root}/dev"
mount --bind /dev/pts "${root}/dev/pts"

chroot "${root}" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
  DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 bash -euc '
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null
    apt-get clean
    rm -rf /var/lib/apt/lists/*
  ' _ "${NODE_PACKAGES[@]}" "${WORDPRESS_PACKAGES[@]}" "${MYSQL_PACKAGES[@]}"

for m in dev/pts dev sys proc; do umount -l "${root}/${m}"; done
rm -f "${root}/usr/sbin/policy-rc.d"
# Leftovers of the build that an image must not carry.
rm -rf "${root}"/var/lib/mysql/* "${root}"/run/mysqld "${root}"/tmp/* \
  "${root}"/var/log/*.log "${root}"/var/cache/debconf/*-old
tar --numeric-owner -C "${root}" -cf "${out}.tmp" .
mv "${out}.tmp" "${out}"
