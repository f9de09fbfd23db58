# Sourced by the bench scripts: the root check, a per-run scratch area that is removed on exit, and running a
# command in a namespace.

# require_root WHY: stops the script (exit 2) unless it runs as root.
require_root() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "$(basename "$0"): run as root ($1)" >&2
    exit 2
  fi
}

# scratch PREFIX: sets $work to a new temporary directory. On exit, also on Ctrl-C or SIGTERM, the script's own
# on_exit runs (when it defines one), then every namespace named PREFIX-* or vm-PREFIX-* goes, then $work.
scratch() {
  SCRATCH_PREFIX=$1
  work=$(mktemp -d)
  trap scratch_cleanup EXIT
  trap "exit 130" INT TERM
}

scratch_cleanup() {
  if declare -F on_exit >/dev/null; then on_exit || true; fi
  for ns in $(ls /var/run/netns 2>/dev/null | grep -E "^(vm-)?$SCRATCH_PREFIX-" || true); do
    ip netns delete "$ns" 2>/dev/null || true
  done
  rm -rf "$work"
}

# in_ns NS COMMAND...: COMMAND in namespace NS, keeping the mount namespace (unlike `ip netns exec`).
in_ns() { nsenter --net="/var/run/netns/$1" -- "${@:2}"; }
