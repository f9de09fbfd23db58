#!/usr/bin/env bash
# Builds the test host's initramfs, guest/out/host-initrd.img: Debian's kernel (the one build.sh unpacked, which
# has 802.1Q) boots it to run Fireline itself, so the end-to-end tests prove what this machine's kernel cannot
# (VLANs). It holds busybox, the modules build.sh took for the host (guest/out/host-modules, in load order),
# fireline-tap-relay, /init (host-init), and the published `fireline` with the shared libraries it and its SQLite
# library load (found with ldd, copied from this machine: the same Debian libc the binary was linked against).
#
#   guest/build-host.sh FIRELINE-DIR     FIRELINE-DIR: scripts/publish.sh's output (artifacts/fireline)
#
# Run after guest/build.sh (scripts/setup.sh) and scripts/publish.sh; the VLAN test runs it. Rebuilds only when
# an input is newer than the image; prints nothing unless something fails. Run as root (cpio ownership).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=$here/out
fail() { echo "guest/build-host.sh: $*" >&2; exit 1; }
# shellcheck source=initramfs.sh
. "$here/initramfs.sh"

[ $# -eq 1 ] || fail "usage: guest/build-host.sh FIRELINE-DIR (scripts/publish.sh writes artifacts/fireline)"
fireline_dir=$(cd "$1" && pwd)
binaries=("$fireline_dir/fireline" "$fireline_dir/libe_sqlite3.so")
for file in "${binaries[@]}"; do
  [ -f "$file" ] || fail "no $file: publish Fireline first (scripts/publish.sh)"
done
[ -f "$out/host-modules/load" ] || fail "no $out/host-modules: run guest/build.sh first"

inputs=("$here/host-init" "$here/fireline-tap-relay.c" "$here/build-host.sh" "$here/initramfs.sh" "$out/host-modules/load" /bin/busybox "${binaries[@]}")
stale "$out/host-initrd.img" "${inputs[@]}" || exit 0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/initramfs
initramfs_base "$root" "$here/fireline-tap-relay.c"
mkdir -p "$root/usr/bin"
cp "$out"/host-modules/*.ko "$out/host-modules/load" "$root/lib/modules/"

# The binary finds libe_sqlite3.so beside itself; both need libc and the dynamic loader at their usual paths.
# .NET's hashing (SHA-256) loads OpenSSL's libssl and libcrypto at run time (dlopen: ldd does not see them).
cp "${binaries[@]}" "$root/usr/bin/"
openssl=$(ldconfig -p | awk '$1 ~ /^lib(ssl|crypto)\.so\.3$/ { print $NF }')
[ -n "$openssl" ] || fail "no libssl.so.3 on this machine (apt-get install libssl3)"
# ldd's lines: "\tname => /path (address)" for a library, "\t/path (address)" for the loader.
for library in $openssl $(ldd "${binaries[@]}" $openssl | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && $2 ~ /^\(/ { print $1 }' | sort -u); do
  mkdir -p "$root$(dirname "$library")"
  cp -L "$library" "$root$library"
done
install -m 0755 "$here/host-init" "$root/init"

# Not compressed: the emulated kernel unpacks a plain cpio much faster than it inflates one.
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet >"$work/host-initrd.img")
mv "$work/host-initrd.img" "$out/host-initrd.img"
