#!/usr/bin/env bash
# Issue 11's networks past one bridge (segments of NetworkSegments.Size addresses, README "Networks beyond 1,024 VMs"):
# 1. what one port costs a bridge by how many ports it holds (`ip link set P nomaster` + `ip link set P master BR`,
#    200 times each, in one `ip -batch`, best of five runs: iproute2's own cost is the same at every size), which
#    chose the segment size;
# 2. cold create/delete p50/p99 in-process with 10 and 2,000 VMs on one network (the default /16, eight segments),
#    side by side in one run (bench/Fireline.Benchmarks/VmLifecycleBenchmark.cs).
# Private namespaces (a per-run name prefix) removed on exit, also on Ctrl-C or SIGTERM. Root required; ~3 minutes.
# Usage: bench/segments.sh [--sizes 10,2000] [--samples 200] [--ports 16,128,256,512,1000]
set -euo pipefail

source "$(dirname "$0")/lib.sh"
require_root "the benchmark creates network namespaces"

ports=16,128,256,512,1000
args=()
while [ $# -gt 0 ]; do
  case $1 in
    --ports) ports=$2; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done

scratch "segb$$"
ns="segb$$-ports"
ip netns add "$ns"
ip -n "$ns" link add br0 type bridge
ip -n "$ns" link set br0 up
echo "ports on the bridge | one port off and on again (us)"
echo "---:|---:"
have=0
for n in ${ports//,/ }; do
  : > "$work/add"
  for i in $(seq "$have" $((n - 1))); do
    echo "link add v$i type veth peer name p$i" >> "$work/add"
    echo "link set v$i master br0 up" >> "$work/add"
  done
  ip -n "$ns" -batch "$work/add"
  have=$n
  : > "$work/op"
  for _ in $(seq 1 200); do
    echo "link set v0 nomaster" >> "$work/op"
    echo "link set v0 master br0" >> "$work/op"
  done
  # The best of five runs: on a shared machine the others' load only ever adds.
  best=
  for _ in 1 2 3 4 5; do
    start=$(date +%s%N)
    ip -n "$ns" -batch "$work/op"
    end=$(date +%s%N)
    took=$(( (end - start) / 200 / 1000 ))
    if [ -z "$best" ] || [ "$took" -lt "$best" ]; then best=$took; fi
  done
  echo "$n | $best"
done
ip netns delete "$ns"

cd "$(dirname "$0")/.."
dotnet build bench/Fireline.Benchmarks -c Release -nologo -v quiet >/dev/null
# The first occurrence of an option wins, so the caller's come before these defaults.
dotnet bench/Fireline.Benchmarks/bin/Release/net10.0/Fireline.Benchmarks.dll lifecycle "${args[@]}" --sizes 10,2000 --samples 200
