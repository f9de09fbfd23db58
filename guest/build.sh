#!/usr/bin/env bash
# Builds the end-to-end tests' guest into guest/out/: a Debian cloud kernel (vmlinuz) and a busybox initramfs
# (initrd.img) whose /init configures eth0 the way Fireline tells a guest to and runs the probe named on the
# kernel command line (see README.md). The kernel package is downloaded and unpacked here, never installed:
# installing a kernel would touch this machine's boot set-up. Idempotent and quiet: it rebuilds only what is
# older than its inputs, and prints nothing unless something fails. Run as root (apt-get, cpio ownership).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=$here/out
kernel_package=linux-image-cloud-amd64
# The modules virtio-net needs, loaded in this order (dependencies first). The build checks each against the
# kernel's own module list: one that this kernel builds in is skipped, one that is neither there nor built in
# fails the build, so a kernel that changes its split between built-in and modular is noticed here.
modules=(virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci failover net_failover virtio_net)
# What the test host (build-host.sh) runs Fireline on besides: 802.1Q, bridges and bridge netfilter, veth and
# TAP devices, nf_tables with the expressions Fireline's rules use (those the kernel would otherwise request on
# demand, which needs a modprobe the initramfs has not), conntrack over netlink, and tc's ingress redirects.
# Their dependencies are found from each module's own list, not written here.
host_modules=("${modules[@]}" 8021q bridge br_netfilter veth tun nf_tables nft_ct nft_nat nft_masq nft_chain_nat
  nft_fib_inet nft_fib_ipv4 nft_fib_ipv6 nft_meta_bridge nf_conntrack_netlink sch_ingress cls_u32 act_mirred)

fail() { echo "guest/build.sh: $*" >&2; exit 1; }
# shellcheck source=initramfs.sh
. "$here/initramfs.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# apt-get's own output goes to a log that is shown only when it fails.
apt_install() {
  local missing=() package
  for package in "$@"; do
    [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)" = "install ok installed" ] || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return
  if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"; } \
    >"$work/apt.log" 2>&1; then
    cat "$work/apt.log" >&2
    fail "installing ${missing[*]} failed (output above)"
  fi
}

apt_install qemu-system-x86 busybox-static cpio gzip gcc libc6-dev

# A machine whose package lists were never fetched (or are old) cannot download: fetch them once and retry.
apt_download() {
  (cd "$work" && apt-get download -q "$1") >"$work/apt.log" 2>&1 && return
  (cd "$work" && apt-get update -q && apt-get download -q "$1") >"$work/apt.log" 2>&1 && return
  cat "$work/apt.log" >&2
  fail "apt-get download $1 failed (output above)"
}

# ---- kernel: vmlinuz and the modules the guest loads ------------------------------------------------------
# Kept once unpacked: a newer kernel package is picked up after `rm -rf guest/out`.
if [ ! -f "$out/vmlinuz" ] || [ ! -f "$out/modules/load" ] || [ ! -f "$out/host-modules/load" ]; then
  apt_download "$kernel_package"
  # The metapackage names the versioned image package; that one holds the kernel.
  image=$(dpkg-deb -f "$work"/${kernel_package}_*.deb Depends | grep -o 'linux-image-[^ ,]*' | head -n1)
  [ -n "$image" ] || fail "$kernel_package names no linux-image package"
  apt_download "$image"
  dpkg-deb -x "$work/${image}"_*.deb "$work/root"
  moddir=$(echo "$work"/root/lib/modules/*)
  [ -d "$moddir" ] || fail "$image holds no modules"

  rm -rf "$out/modules" "$out/vmlinuz" && mkdir -p "$out/modules"
  for module in "${modules[@]}"; do
    file=$(find "$moddir/kernel" -name "$module.ko*" | head -n1)
    if [ -n "$file" ]; then
      # The kernel package ships uncompressed modules (CONFIG_MODULE_COMPRESS_NONE); busybox insmod needs that.
      [[ $file == *.ko ]] || fail "$module is compressed ($file): insmod in the guest cannot load it"
      cp "$file" "$out/modules/"
      echo "$module.ko" >>"$out/modules/load.new"
    elif ! grep -q "/$module.ko" "$moddir/modules.builtin"; then
      fail "$image has no module $module, built in or loadable"
    fi
  done
  # Every dependency a module declares must be loaded before it; the list above is checked, not trusted.
  loaded=()
  while read -r ko; do
    for dependency in $(tr '\0' '\n' <"$out/modules/$ko" | sed -n 's/^depends=//p' | tr ',' ' '); do
      [[ " ${loaded[*]} " == *" $dependency.ko "* ]] || fail "$ko needs $dependency, which is not loaded before it"
    done
    loaded+=("$ko")
  done <"$out/modules/load.new"
  mv "$out/modules/load.new" "$out/modules/load"
  # The test host's modules: each after everything it depends on (its modinfo depends=), in the order to load.
  rm -rf "$out/host-modules" && mkdir -p "$out/host-modules"
  declare -A taken=()
  take() {
    local module=$1 file dependency
    [ -n "${taken[$module]:-}" ] && return
    taken[$module]=1
    file=$(find "$moddir/kernel" \( -name "$module.ko" -o -name "${module//_/-}.ko" \) | head -n1)
    if [ -z "$file" ]; then
      grep -q "/$module.ko" "$moddir/modules.builtin" || fail "$image has no module $module, built in or loadable"
      return
    fi
    for dependency in $(tr '\0' '\n' <"$file" | sed -n 's/^depends=//p' | tr ',' ' '); do
      take "$dependency"
    done
    cp "$file" "$out/host-modules/"
    basename "$file" >>"$out/host-modules/load.new"
  }
  for module in "${host_modules[@]}"; do
    take "$module"
  done
  mv "$out/host-modules/load.new" "$out/host-modules/load"
  cp "$work"/root/boot/config-* "$out/config"
  echo "$image $(dpkg-deb -f "$work/${image}"_*.deb Version)" >"$out/kernel.version"
  # Written last: its presence says the kernel step finished.
  cp "$work"/root/boot/vmlinuz-* "$out/vmlinuz"
fi

# ---- initramfs: busybox, the UDP helper, /init and the modules ---------------------------------------------
inputs=("$here/init" "$here/fireline-udp.c" "$here/build.sh" "$here/initramfs.sh" "$out/modules/load" /bin/busybox)
if stale "$out/initrd.img" "${inputs[@]}"; then
  root=$work/initramfs
  # busybox nc speaks TCP only: UDP needs the fireline-udp helper.
  initramfs_base "$root" "$here/fireline-udp.c"
  cp "$out"/modules/* "$root/lib/modules/"
  install -m 0755 "$here/init" "$root/init"
  (cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -9n >"$work/initrd.img")
  mv "$work/initrd.img" "$out/initrd.img"
fi
