# What the guest's and the test host's initramfs share, sourced by build.sh and build-host.sh (which define
# `fail` and a scratch directory `$work`).

# initramfs_base ROOT HELPER.c...: the directories /init expects, static busybox with every applet linked, and
# each helper compiled static into bin/ under its file's name (the initramfs has no C library for them).
initramfs_base() {
  local root=$1 source name
  shift
  mkdir -p "$root"/{bin,dev,proc,sys,tmp,etc,lib/modules}
  cp /bin/busybox "$root/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
  done
  for source in "$@"; do
    name=$(basename "$source" .c)
    gcc -static -Os -Wall -Werror -o "$root/bin/$name" "$source" 2>"$work/cc.log" ||
      { cat "$work/cc.log" >&2; fail "compiling $name.c failed"; }
    strip "$root/bin/$name"
  done
}

# stale IMAGE INPUT...: whether IMAGE is missing or older than one of its inputs.
stale() {
  local image=$1 input
  shift
  [ -f "$image" ] || return 0
  for input in "$@"; do
    [ "$input" -nt "$image" ] && return 0
  done
  return 1
}
