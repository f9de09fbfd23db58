#!/usr/bin/env bash
# The main job: installs prerequisites, publishes `fireline` with NativeAOT, and runs `fireline demo`, which
# builds a private test host with networks, guest VMs, isolation and policies and shows them. Arguments are
# passed on to `fireline demo`.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "demo.sh: run as root (the demo creates network namespaces): sudo scripts/demo.sh" >&2
  exit 2
fi

cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/publish.sh
exec artifacts/fireline/fireline demo "$@"
