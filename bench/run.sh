#!/usr/bin/env bash
# Every benchmark figure in one run (bench/RESULTS.md lists them with the command behind each):
#   1. the kernel floor (bench/floor.sh: ip -batch, nft)
#   2. Fireline's own kernel operations and the join setup cost (BenchmarkDotNet, medium job)
#   3. VM create/delete latency through the in-process engine, 10 and 1,000 VMs on the host
#   4. Fireline against the design document's iproute2 approach and the CNI plugins (bench/compare.sh)
#   5. throughput of the two in-namespace joins (bench/join.sh)
#   6. start-up of the published NativeAOT `fireline`
#   7. firewall programming at 10 and 4,000 VMs against the design document's iptables, and throughput with
#      4,000 VMs' firewall state loaded (bench/firewall.sh)
#   8. the daemon's API path: latency on one connection, 32 concurrent clients, RSS and start-up reconcile at
#      1,000 VMs (bench/api-bench.sh)
#   9. network apply time and ruleset size at 10, 100, 1,000 and 4,096 networks
#  10. how long 16 MiB network files take to be accepted or refused (bench/documents.sh)
#  11. setting one VM's own policy rules at 10 and 4,000 VMs, every VM with rules of its own (bench/vm-policy.sh)
#  12. the CNI plugin's ADD and DEL against the reference CNI chains, process start to exit (bench/cni.sh)
# Each part works in private namespaces it removes on exit. The machine is shared: before each part the run
# waits (up to QUIET_WAIT seconds, 600 by default) for the 1-minute load average to fall under QUIET_LOAD (1.5),
# and prints the load it started at; and every part runs at a raised priority (nice BENCH_NICE, -10 by default)
# so other work's CPU time disturbs it less (the kernel's own work for other tenants still does). Root required.
# Usage: bench/run.sh   (results: printed; BenchmarkDotNet's reports under BenchmarkDotNet.Artifacts/)
set -euo pipefail

source "$(dirname "$0")/lib.sh"
require_root "the benchmarks create network namespaces"

cd "$(dirname "$0")/.."
QUIET_LOAD=${QUIET_LOAD:-1.5}
QUIET_WAIT=${QUIET_WAIT:-600}
run() { nice -n "${BENCH_NICE:--10}" "$@"; }

# Waits for the machine to calm down, then names the part and the load it starts under.
part() {
  local waited=0 load
  while load=$(cut -d' ' -f1 /proc/loadavg) && awk -v l="$load" -v q="$QUIET_LOAD" 'BEGIN { exit !(l >= q) }' &&
    [ "$waited" -lt "$QUIET_WAIT" ]; do
    sleep 5
    waited=$((waited + 5))
  done
  echo "== $* ($(date -u '+%F %T') UTC, load average $(cut -d' ' -f1-3 /proc/loadavg))"
}

scripts/setup.sh
dotnet build bench/Fireline.Benchmarks -c Release -nologo -v quiet >/dev/null

part "kernel floor (ip -batch, nft)"
run bench/floor.sh

part "Fireline kernel operations (BenchmarkDotNet, medium job)"
run dotnet run -c Release --no-build --project bench/Fireline.Benchmarks -- --job medium --filter '*'

part "VM create/delete latency, in-process engine, 10 and 1,000 VMs on the host"
run dotnet run -c Release --no-build --project bench/Fireline.Benchmarks -- lifecycle --sizes 10,1000 --samples 200

part "Fireline vs the design document's iproute2 approach and the CNI plugins"
run bench/compare.sh 100

part "in-namespace join throughput: tc redirect vs bridge"
run bench/join.sh

# `ip -V` is the reference: the start-up of the C tool Fireline replaces, on the same machine and load.
part "start-up: fireline --version (NativeAOT), ip -V for reference"
scripts/publish.sh
run hyperfine -N --warmup 10 --runs 200 'artifacts/fireline/fireline --version' 'ip -V'

part "firewall programming at 10 and 4,000 VMs, iptables peer, throughput with 4,000 VMs' state"
run bench/firewall.sh

part "daemon API: one kept-alive client, 32 concurrent clients, RSS and start-up reconcile with 1,000 VMs"
run bench/api-bench.sh

part "networks: apply time and ruleset size at 10, 100, 1,000 and 4,096 networks"
run dotnet run -c Release --no-build --project bench/Fireline.Benchmarks -- networks --sizes 10,100,1000,4096

part "bounded input: 16 MiB network files through network apply --dry-run"
run bench/documents.sh

part "per-VM policies: setting one VM's own rules at 10 and 4,000 VMs"
run bench/vm-policy.sh

part "CNI: fireline-cni against bridge + host-local and ptp + host-local + firewall + tap redirect"
run bench/cni.sh 100
