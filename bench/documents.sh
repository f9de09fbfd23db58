#!/usr/bin/env bash
# Issue 10's bounded input: how long `fireline network apply --dry-run` takes, process start to exit, on files at
# the 16 MiB document limit: 4,096 valid networks padded with comments to 16 MiB (planned), one 16 MiB string
# (refused), 200,000 networks cut at 16 MiB (refused: over 4,096), 100,000 nested brackets (refused: depth).
# A private host namespace with its own uplink; nothing is applied. Root required.
# Usage: bench/documents.sh [runs per file, default 5]   (needs the published binary: scripts/publish.sh)
set -euo pipefail

source "$(dirname "$0")/lib.sh"
require_root "the benchmark creates network namespaces"
cd "$(dirname "$0")/.."
runs=${1:-5}
fireline=artifacts/fireline/fireline
[ -x "$fireline" ] || { echo "documents.sh: build the binary first (scripts/publish.sh)" >&2; exit 2; }

scratch "fldoc$$"
host="$SCRATCH_PREFIX-host" outside="$SCRATCH_PREFIX-out"
ip netns add "$host"; ip netns add "$outside"
ip -n "$host" link add up0 type veth peer name o0 netns "$outside"
ip -n "$host" addr add 198.51.100.2/24 dev up0; ip -n "$host" link set up0 up; ip -n "$outside" link set o0 up
ip -n "$host" route add default via 198.51.100.1
"$fireline" --state-dir "$work/state" --host-netns "$host" host init -o json >/dev/null

python3 - "$work" <<'PY'
import sys
work, limit = sys.argv[1], 16 * 1024 * 1024
body = "networks:\n" + "".join(f'  - name: n{i}\n    subnet: "10.{i // 256 + 16}.{i % 256}.0/24"\n' for i in range(4096))
pad = "# " + "x" * 1020 + "\n"
open(f"{work}/valid.yaml", "w").write(body + pad * ((limit - len(body)) // len(pad) - 1))
open(f"{work}/string.yaml", "w").write('networks:\n  - name: "' + "a" * (limit - 40) + '"\n')
many = "networks:\n" + "".join(f'  - name: m{i}\n    subnet: "10.0.0.0/24"\n' for i in range(200000))
open(f"{work}/many.yaml", "w").write(many[: limit - 100].rsplit("\n  - ", 1)[0] + "\n")
open(f"{work}/deep.yaml", "w").write("networks: " + "[" * 100000 + "]" * 100000 + "\n")
PY

echo "file | bytes | exit | median s | min s | max s"
echo "---|---:|---:|---:|---:|---:"
for file in valid string many deep; do
  times=() rc=0
  for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    "$fireline" --state-dir "$work/state" --host-netns "$host" network apply --dry-run -f "$work/$file.yaml" -o json >/dev/null 2>&1 || rc=$?
    times+=("$(( ($(date +%s%N) - start) / 1000000 ))")
  done
  sorted=($(printf '%s\n' "${times[@]}" | sort -n))
  printf '%s | %s | %s | %.2f | %.2f | %.2f\n' "$file" "$(stat -c %s "$work/$file.yaml")" "$rc" \
    "$(echo "${sorted[$(( runs / 2 ))]} / 1000" | bc -l)" "$(echo "${sorted[0]} / 1000" | bc -l)" "$(echo "${sorted[-1]} / 1000" | bc -l)"
done
