#!/usr/bin/env bash
# Issue 11's warm-pool benchmark (bench/Fireline.Benchmarks/PoolBenchmark.cs): create and delete of one VM at a time
# on a network with a pool and one without, in-process and through the NativeAOT daemon on one kept-alive connection,
# side by side in one run. Private test hosts (a per-run name prefix) the benchmark removes on exit, also on Ctrl-C or
# SIGTERM. Root required.
# Usage: bench/pool.sh [--samples 200] [--warmup 20]
set -euo pipefail

source "$(dirname "$0")/lib.sh"
require_root "the benchmark creates network namespaces"

cd "$(dirname "$0")/.."
scripts/publish.sh >/dev/null
dotnet build bench/Fireline.Benchmarks -c Release -nologo -v quiet >/dev/null
# The built program itself, not `dotnet run`: Ctrl-C and SIGTERM then reach the benchmark, which cleans up.
FIRELINE_CLI="$PWD/artifacts/fireline/fireline" exec dotnet bench/Fireline.Benchmarks/bin/Release/net10.0/Fireline.Benchmarks.dll pool "$@"
