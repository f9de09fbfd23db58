#!/usr/bin/env bash
# Publishes the `fireline` executable with NativeAOT to artifacts/fireline/ (used by demo.sh and bench/run.sh), and
# the CNI plugin `fireline-cni` to artifacts/fireline-cni/ (installed as /opt/cni/bin/fireline; see the README).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet publish src/Fireline.Cli -c Release -r linux-x64 -o artifacts/fireline -nologo -v quiet
dotnet publish src/Fireline.Cni -c Release -r linux-x64 -o artifacts/fireline-cni -nologo -v quiet
