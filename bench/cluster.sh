#!/usr/bin/env bash
# Issue 13's cluster IPAM benchmark (bench/Fireline.Benchmarks/ClusterBenchmark.cs): create of one VM at a time through
# the daemon on a single-host daemon and on a cluster node of a three-member etcd cluster the benchmark starts (Debian's
# etcd-server, scripts/setup.sh), side by side; cluster creates split by whether they claimed a new address block.
# Then, on a two-node fleet (underlay bridge, VXLAN data path): time from a create on node A until node B holds the VM's
# tunnel entry, and until the VM answers a ping from a VM on node B; and iperf3 TCP throughput between two VMs of one
# network on the same node and on two nodes (VXLAN over the fleet's 1500-byte underlay).
# Private test hosts and etcd namespace (per-run names) the benchmark removes on exit. Root required.
# Usage: bench/cluster.sh [--samples 256] [--warmup 20] [--reach-samples 30] [--throughput-rounds 5] [--throughput-seconds 5]
set -euo pipefail

source "$(dirname "$0")/lib.sh"
require_root "the benchmark creates network namespaces"

run_benchmark cluster "$@"
