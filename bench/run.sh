#!/usr/bin/env bash
# Every benchmark figure in one run: the kernel floor (bench/floor.sh), Fireline's own kernel operations
# (BenchmarkDotNet, short job), and the start-up time of the published NativeAOT `fireline`. Root required.
# Results: printed, and BenchmarkDotNet's reports under BenchmarkDotNet.Artifacts/.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "run.sh: run as root (the benchmarks create network namespaces)" >&2
  exit 2
fi

cd "$(dirname "$0")/.."
scripts/setup.sh

echo "== kernel floor (ip -batch, nft)"
bench/floor.sh

echo "== Fireline kernel operations (BenchmarkDotNet, short job)"
dotnet run -c Release --project bench/Fireline.Benchmarks -- --job short --filter '*'

# `ip -V` is the reference: the start-up of the C tool Fireline replaces, on the same machine and load.
echo "== start-up: fireline --version (NativeAOT), ip -V for reference"
scripts/publish.sh
hyperfine -N --warmup 10 'artifacts/fireline/fireline --version' 'ip -V'
