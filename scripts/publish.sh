#!/usr/bin/env bash
# Publishes the `fireline` executable with NativeAOT to artifacts/fireline/ (used by demo.sh and bench/run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet publish src/Fireline.Cli -c Release -r linux-x64 -o artifacts/fireline -nologo -v quiet
