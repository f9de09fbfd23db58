#!/usr/bin/env bash
# Installs what Fireline's build, tests, demo and benchmarks need on Debian 12 (run as root). Idempotent: it
# asks apt only when a package is missing, and prints nothing unless something fails.
set -euo pipefail

packages=(
  # The kernel's own tools: test observers (ip -j, nft -j, conntrack) and the benchmark floor.
  iproute2 nftables conntrack strace
  # Integration tests: guest stand-ins (python3 relay, ping, ethtool, curl), nsenter (util-linux), sysctl (procps).
  python3 iputils-ping ethtool curl util-linux procps
  # NativeAOT publishing of the `fireline` executable links with clang.
  clang zlib1g-dev
  # Benchmarks: start-up timing and throughput through the datapath.
  hyperfine iperf3
  # CNI: the reference plugins Fireline's plugin is chained with (bandwidth) and benchmarked against (bridge, ptp,
  # host-local, firewall), in /usr/lib/cni.
  containernetworking-plugins
  # End-to-end tests: guests are QEMU (software emulation) with a busybox initramfs.
  qemu-system-x86 busybox-static cpio
  # Cluster mode's shared state (the 3.4 line); the integration tests start their own three-member clusters with
  # it. The package's own service is not needed (and not started where there is no init system).
  etcd-server
)

if [ "$(id -u)" -ne 0 ]; then
  echo "setup.sh: run as root (it installs packages with apt-get): sudo scripts/setup.sh" >&2
  exit 2
fi

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$package")
done

if [ ${#missing[@]} -gt 0 ]; then
  log=$(mktemp)
  trap 'rm -f "$log"' EXIT
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update -q && apt-get install -y -q --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "setup.sh: installing ${missing[*]} failed (output above)" >&2
    exit 1
  fi
fi

# ---- Guest images hook -------------------------------------------------------------------------------------
# The end-to-end tests boot guests from guest/out/ (a kernel and a busybox initramfs), which guest/build.sh
# builds: idempotent and quiet like this script (guest/README.md). The guest kernel comes from Debian's
# linux-image-cloud-amd64 unpacked into guest/out/ (apt-get download + dpkg-deb -x), never installed on the
# host: installing a kernel package would touch this machine's boot set-up.
repo=$(cd "$(dirname "$0")/.." && pwd)
"$repo/guest/build.sh"
