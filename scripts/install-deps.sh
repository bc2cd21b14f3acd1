#!/usr/bin/env bash
# Installs the Debian 12 packages that the build and the tests need. Idempotent: when every
# package is already there it changes nothing and asks no registry.
set -euo pipefail

packages=(
  build-essential cmake ccache pkg-config clang-format
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev libsodium-dev libspdlog-dev libfmt-dev libpq-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  postgresql-15  # the store tests start their own server from /usr/lib/postgresql/15/bin
  patroni etcd-server etcd-client iptables iproute2 curl  # cluster/haetae-cluster (three DCs)
  haproxy  # the cluster's one entry address in front of the three nodes
  chromium fonts-nanum fonts-noto-color-emoji  # browser tests; Korean and emoji fonts for screenshots
)
# The web client builds with any Node.js from 18 on: Debian's own unless one is there already
# (installing Debian's npm beside another vendor's nodejs would conflict).
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
# The tests never use the package's default cluster: do not leave it running.
if command -v pg_lsclusters >/dev/null 2>&1 &&
  pg_lsclusters -h 2>/dev/null | grep -q '^15 main .*online'; then
  "${sudo_cmd[@]}" pg_ctlcluster 15 main stop
fi
# Nor the etcd that Debian's etcd-server starts on a systemd machine when we just installed it:
# the cluster runs its own members in their namespaces.
if [[ " ${missing[*]} " == *" etcd-server "* ]] && command -v systemctl >/dev/null 2>&1 &&
  systemctl is-active --quiet etcd 2>/dev/null; then
  "${sudo_cmd[@]}" systemctl disable --now etcd
fi
# Nor Debian's default haproxy service: the cluster runs its own haproxy with its own config.
if [[ " ${missing[*]} " == *" haproxy "* ]]; then
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet haproxy 2>/dev/null; then
    "${sudo_cmd[@]}" systemctl disable --now haproxy
  elif [ -x /etc/init.d/haproxy ] && /etc/init.d/haproxy status >/dev/null 2>&1; then
    "${sudo_cmd[@]}" /etc/init.d/haproxy stop  # no systemd (a container): the sysv script
  fi
fi
