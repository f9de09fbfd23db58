#!/usr/bin/env bash
# Issue 5's firewall benchmark (bench/Fireline.Benchmarks/FirewallBenchmark.cs): per-VM firewall programming with
# 10 and 4,000 VMs on the host, Fireline's nftables elements against the design document's iptables chains (one
# iptables process per command, in a private scratch namespace), and iperf3 throughput from a VM's namespace to
# the outside with 4,000 VMs' firewall state loaded and with none. Everything lives in private test hosts (a
# per-run name prefix) that the benchmark removes on exit, also on Ctrl-C or SIGTERM. Root required; the 4,000-VM
# host takes a few minutes to fill and ~1 GB of kernel memory.
# Usage: bench/firewall.sh [--sizes 10,4000] [--samples 200] [--rounds 4] [--seconds 5] [...]  (FirewallBenchmark.cs lists all)
set -euo pipefail

source "$(dirname "$0")/lib.sh"
require_root "the benchmark creates network namespaces"

for tool in iptables iptables-restore iperf3 tc; do
  command -v "$tool" >/dev/null || { echo "firewall.sh: $tool is missing (Debian: apt-get install iptables iperf3 iproute2)" >&2; exit 2; }
done

cd "$(dirname "$0")/.."
dotnet build bench/Fireline.Benchmarks -c Release -nologo -v quiet >/dev/null
# The built program itself, not `dotnet run`: Ctrl-C and SIGTERM then reach the benchmark, which cleans up.
exec dotnet bench/Fireline.Benchmarks/bin/Release/net10.0/Fireline.Benchmarks.dll firewall "$@"
