#!/usr/bin/env bash
# Issue 11's churn-at-density benchmark (bench/Fireline.Benchmarks/ChurnBenchmark.cs): a daemon whose host holds 2,000
# resident VMs, then 32 clients each looping create -> delete on their own connection for 60 s, on a network without a
# pool and then on one with a pool of 64. Self-stopping; private test hosts removed on exit, also on Ctrl-C or SIGTERM.
# Root required. Usage: bench/churn.sh [--resident 2000] [--clients 32] [--seconds 60] [--pool 64]
set -euo pipefail

source "$(dirname "$0")/lib.sh"
require_root "the benchmark creates network namespaces"

run_benchmark churn "$@"
