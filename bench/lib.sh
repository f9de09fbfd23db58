# Sourced by the bench scripts: the root check, a per-run scratch area that is removed on exit, running a command in a
# namespace, and a private test host.

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

# make_host NAME: a private test host, as tests/Fireline.TestSupport/TestHost.cs builds one: NAME with uplink0 to
# NAME-out (198.51.100.2 and .1), the outside as its default route.
make_host() {
  local host=$1 out=$1-out
  ip netns add "$host"
  ip netns add "$out"
  ip -n "$host" link add uplink0 type veth peer name uplink0 netns "$out"
  ip -n "$host" addr add 198.51.100.2/24 dev uplink0
  ip -n "$out" addr add 198.51.100.1/24 dev uplink0
  for ns in "$host" "$out"; do
    ip -n "$ns" link set lo up
    ip -n "$ns" link set uplink0 up
  done
  ip -n "$host" route add default via 198.51.100.1
}

# Publishes fireline (NativeAOT, for benchmarks that start the daemon), builds bench/Fireline.Benchmarks and runs its
# command $1 with the rest of the arguments: the built program itself, not `dotnet run`, so that Ctrl-C and SIGTERM
# reach the benchmark, which cleans up.
run_benchmark() {
  local command=$1
  shift
  cd "$(dirname "${BASH_SOURCE[0]}")/.."
  scripts/publish.sh >/dev/null
  dotnet build bench/Fireline.Benchmarks -c Release -nologo -v quiet >/dev/null
  FIRELINE_CLI="$PWD/artifacts/fireline/fireline" exec dotnet bench/Fireline.Benchmarks/bin/Release/net10.0/Fireline.Benchmarks.dll "$command" "$@"
}
