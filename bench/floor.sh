#!/usr/bin/env bash
# The kernel floor on this machine: what each of Fireline's hot operations costs when iproute2 and nft do it
# in bulk (one process for N operations, so process start-up is spread thin). Everything happens in private
# namespaces named with a per-run prefix and is removed on exit. Root required. N=500 by default.
# Usage: bench/floor.sh [N]
set -euo pipefail

source "$(dirname "$0")/lib.sh"
require_root "it creates network namespaces"

N=${1:-500}
P="flb$$"            # every namespace this run makes starts with this
HOST="$P-host"       # plays the test host
VM="$P-vm"           # plays a VM's namespace
scratch "$P"

# Writes N lines of a command template to a file; %d is replaced by the index, %a by an address 10.100.x.y.
lines() {
  local template=$1 file=$2 i
  for ((i = 0; i < N; i++)); do
    local line=${template//%d/$i}
    echo "${line//%a/10.100.$((i / 250)).$((i % 250 + 2))}"
  done >"$file"
}

# Runs a command and prints how long it took per operation, in microseconds with one decimal.
per_op() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null
  end=$(date +%s%N)
  awk -v ns=$((end - start)) -v n="$N" 'BEGIN { printf "%.1f", ns / n / 1000 }'
}

# Prints one result row: operation, add, delete, add + delete (the cycle the .NET benchmarks time).
row() { awk -v op="$1" -v a="$2" -v d="$3" 'BEGIN { printf "%-58s %10.1f %10.1f %10.1f\n", op, a, d, a + d }'; }


ip netns add "$HOST"
ip netns add "$VM"
ip -n "$HOST" link add br0 type bridge

printf "floor: N=%d per operation, microseconds per operation (kernel %s, %s)\n" "$N" "$(uname -r)" "$(ip -V)"
printf "%-58s %10s %10s %10s\n" "operation" "add" "delete" "add+del"

lines "netns add $P-n%d" "$work/ns-add"
lines "netns delete $P-n%d" "$work/ns-del"
row "namespace (ip -batch)" "$(per_op ip -batch "$work/ns-add")" "$(per_op ip -batch "$work/ns-del")"

lines "link add bv%d type veth peer name p%d netns $VM" "$work/veth-add"
lines "link del bv%d" "$work/veth-del"
row "veth, peer into a namespace (ip -batch)" \
  "$(per_op ip -n "$HOST" -batch "$work/veth-add")" "$(per_op ip -n "$HOST" -batch "$work/veth-del")"

lines "tuntap add dev tap%d mode tap" "$work/tap-add"
lines "link del tap%d" "$work/tap-del"
row "TAP in a namespace (ip -n NS -batch)" \
  "$(per_op ip -n "$VM" -batch "$work/tap-add")" "$(per_op ip -n "$VM" -batch "$work/tap-del")"

lines "addr add %a/32 dev br0" "$work/addr-add"
lines "addr del %a/32 dev br0" "$work/addr-del"
row "address (ip -batch)" \
  "$(per_op ip -n "$HOST" -batch "$work/addr-add")" "$(per_op ip -n "$HOST" -batch "$work/addr-del")"

# The set already holds LOADED other VMs' addresses (10.101.x.y), as NftablesBenchmarks' set does.
LOADED=4000
{
  echo "add table inet $P; add set inet $P vms { type ipv4_addr; }"
  for ((i = 0; i < LOADED; i++)); do echo "add element inet $P vms { 10.101.$((i / 250)).$((i % 250 + 2)) }"; done
} | in_ns "$HOST" nft -f -
lines "add element inet $P vms { %a }" "$work/el-add"
lines "delete element inet $P vms { %a }" "$work/el-del"
# nft -i runs each line as its own transaction, as one VM's add would be; nft -f makes the whole file one.
row "nft element, 4,000 loaded, 1 transaction each (nft -i)" \
  "$(per_op in_ns "$HOST" nft -i <"$work/el-add")" "$(per_op in_ns "$HOST" nft -i <"$work/el-del")"
row "nft element, 4,000 loaded, all in 1 transaction (nft -f)" \
  "$(per_op in_ns "$HOST" nft -f "$work/el-add")" "$(per_op in_ns "$HOST" nft -f "$work/el-del")"
