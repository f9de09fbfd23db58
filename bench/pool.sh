#!/usr/bin/env bash
# Issue 11's warm-pool benchmark (bench/Fireline.Benchmarks/PoolBenchmark.cs): create and delete of one VM at a time
# on a network with a pool and one without, in-process and through the NativeAOT daemon on one kept-alive connection, and
# the CNI bridge plugin (when containernetworking-plugins is installed),
# side by side in one run. Private test hosts (a per-run name prefix) the benchmark removes on exit, also on Ctrl-C or
# SIGTERM. Root required.
# Usage: bench/pool.sh [--samples 200] [--warmup 20] [--block 20]
set -euo pipefail

source "$(dirname "$0")/lib.sh"
require_root "the benchmark creates network namespaces"

run_benchmark pool "$@"
