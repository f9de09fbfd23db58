#!/usr/bin/env bash
# The daemon's API path: create/delete latency on one kept-alive connection, 32 concurrent clients, RSS at
# 1,000 VMs and the start-up reconcile of 1,000 VMs, against the NativeAOT `fireline serve` in a private test
# host (bench/ApiBench). Root required. Usage: sudo bench/api-bench.sh [--scale N] [--clients N] [--per-client N]
set -euo pipefail

source "$(dirname "$0")/lib.sh"
require_root "the daemon creates network namespaces"

cd "$(dirname "$0")/.."
[ -x artifacts/fireline/fireline ] || scripts/publish.sh
FIRELINE_CLI="$PWD/artifacts/fireline/fireline" dotnet run -c Release --project bench/ApiBench -- "$@"
