#!/usr/bin/env bash
# Issue 15's per-VM policy benchmark (bench/Fireline.Benchmarks/VmPolicyBenchmark.cs): setting, changing and
# clearing one VM's own rules through the engine with 10 and with 4,000 VMs on the host, every one of them with
# rules of its own. Private test hosts (a per-run name prefix) the benchmark removes on exit, also on Ctrl-C or
# SIGTERM. Root required; the 4,000-VM host takes a few minutes to fill.
# Usage: bench/vm-policy.sh [--sizes 10,4000] [--samples 200] [--warmup 20] [--networks 5] [--settle 15]
set -euo pipefail

source "$(dirname "$0")/lib.sh"
require_root "the benchmark creates network namespaces"

cd "$(dirname "$0")/.."
dotnet build bench/Fireline.Benchmarks -c Release -nologo -v quiet >/dev/null
# The built program itself, not `dotnet run`: Ctrl-C and SIGTERM then reach the benchmark, which cleans up.
exec dotnet bench/Fireline.Benchmarks/bin/Release/net10.0/Fireline.Benchmarks.dll vm-policy "$@"
