#!/usr/bin/env bash
# Issue 11's scale benchmark: the same host with 10, 1,000 and 10,000 VMs (ten networks of /22: a bridge takes
# 1,023 ports). In-process, per size: engine create/delete (the cold path), one VM's firewall elements added and
# removed, and a one-rule policy change (`network apply`): FirewallBenchmark.cs without the iptables peer's
# phases and the throughput runs. The daemon at 10,000 VMs (RSS, descriptors, GET /v1/vms, start-up reconcile) is
# `bench/api-bench.sh --scale 10000`. Private test hosts (a per-run name prefix) the benchmark removes on exit,
# also on Ctrl-C or SIGTERM. Root required; the 10,000-VM host takes a few minutes to fill and ~2.5 GB of kernel
# memory. Usage: bench/scale.sh [--sizes 10,1000,10000] [--samples 200] [--apply-samples 20] [...]
set -euo pipefail

source "$(dirname "$0")/lib.sh"
require_root "the benchmark creates network namespaces"

cd "$(dirname "$0")/.."
dotnet build bench/Fireline.Benchmarks -c Release -nologo -v quiet >/dev/null
# The built program itself, not `dotnet run`: Ctrl-C and SIGTERM then reach the benchmark, which cleans up.
# The first occurrence of an option wins, so the caller's come before these defaults.
exec dotnet bench/Fireline.Benchmarks/bin/Release/net10.0/Fireline.Benchmarks.dll firewall "$@" \
  --sizes 10,1000,10000 --networks 10 --rounds 0 --iptables-samples 0
