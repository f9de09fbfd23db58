#!/usr/bin/env bash
# Runs every test tier: unit, integration (root: private network namespaces) and end-to-end (root: QEMU
# guests on Fireline's TAPs). Builds once in Release, gives each tier a time limit, prints failures, ends with
# one summary line, and fails when a tier fails or a test left a network namespace behind.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "test.sh: run as root (the integration tests create network namespaces): sudo scripts/test.sh" >&2
  exit 2
fi

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
results=artifacts/test-results

scripts/setup.sh

echo "== build (Release)"
timeout 15m dotnet build Fireline.slnx -c Release -nologo -v quiet
# The tests that run `fireline` as a user would run the binary users get: the NativeAOT publish.
echo "== publish fireline (NativeAOT)"
timeout 15m scripts/publish.sh
export FIRELINE_CLI="$repo/artifacts/fireline/fireline"

# Test namespaces carry the TestHost prefix flt<pid>-<n> (vm-flt... for VM namespaces). Namespaces that other
# runs on this machine hold while we run are not ours: only names that appear during this run are checked.
test_namespaces() { ls /var/run/netns 2>/dev/null | grep -E '^(vm-)?flt' || true; }
before=$(test_namespaces)

rm -rf "$results"
failed_tiers=()
run_tier() {
  local name=$1 project=$2 limit=$3 filter=${4:-} rc=0
  echo "== $name tests ($project${filter:+, $filter}, limit $limit)"
  timeout --kill-after=30s "$limit" dotnet test "$project" --no-build -c Release -nologo ${filter:+--filter "$filter"} \
    --logger "console;verbosity=minimal" --logger "trx;LogFileName=$name.trx" --results-directory "$results" || rc=$?
  if [ $rc -ne 0 ]; then
    [ $rc -eq 124 ] && echo "$name tests: timed out after $limit" >&2
    failed_tiers+=("$name")
  fi
}

run_tier unit tests/Fireline.Tests 10m
run_tier integration tests/Fireline.IntegrationTests 20m "Category!=Scale"
# A host at full size (10,000 VMs): about nine minutes on a quiet two-core machine.
run_tier scale tests/Fireline.IntegrationTests 25m "Category=Scale"
if [ -d tests/Fireline.EndToEndTests ]; then
  run_tier end-to-end tests/Fireline.EndToEndTests 25m
fi

# A test's namespace left behind once its test process has exited is a leak. It is listed, then removed so the
# next run starts clean; the run fails either way.
leaked=()
for ns in $(comm -13 <(echo "$before" | sort) <(test_namespaces | sort)); do
  pid=$(echo "$ns" | sed -E 's/^(vm-)?flt([0-9]+)-.*/\2/')
  if [ ! -d "/proc/$pid" ]; then
    leaked+=("$ns")
    ip netns delete "$ns" 2>/dev/null || true
  fi
done
if [ ${#leaked[@]} -gt 0 ]; then
  echo "leak check: tests left these network namespaces (now removed): ${leaked[*]}" >&2
  failed_tiers+=("leak-check")
fi

# One closing line over all tiers, from the trx counters (xunit's skipped tests are "notExecuted" there).
count() {
  cat "$results"/*.trx 2>/dev/null | grep -o "<Counters [^>]*" | grep -o " $1=\"[0-9]*\"" | tr -dc '0-9\n' |
    awk '{ n += $1 } END { print n + 0 }'
}
echo "tests: $(count passed) passed, $(count failed) failed, $(count notExecuted) skipped"

if [ ${#failed_tiers[@]} -gt 0 ]; then
  echo "test.sh: FAILED: ${failed_tiers[*]}" >&2
  exit 1
fi
echo "test.sh: all tiers passed"
