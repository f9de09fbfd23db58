#!/usr/bin/env bash
# Throughput of the two ways to join a VM namespace's veth end and its TAP: tc redirect (what Fireline does) and
# an in-namespace bridge (the design document's br0). Played as in tests/.../TrafficControlTests.cs, with two veth
# pairs, since a TAP needs a reader: namespace X (the VM's) holds eth0 (peer va in namespace A, 10.200.0.1,
# the host side) and eth1 (in tap0's place; peer vb in namespace B, 10.200.0.2, the guest). X has no address;
# only the join carries traffic. iperf3 (TCP, one stream) runs its server in A and its client in B, both ways,
# ROUNDS times per join, the joins alternating. Everything lives in private namespaces with a per-run prefix,
# removed on exit, also on Ctrl-C. Root required.
# Usage: bench/join.sh [ROUNDS] [SECONDS]   (5 rounds of 5 s by default)
set -euo pipefail

source "$(dirname "$0")/lib.sh"
require_root "it creates network namespaces"

ROUNDS=${1:-5}
SECONDS_PER_TEST=${2:-5}
P="flj$$"
A="$P-a" B="$P-b" X="$P-x"
server=""
scratch "$P"
on_exit() { [ -z "$server" ] || kill "$server" 2>/dev/null; }

for ns in "$A" "$B" "$X"; do
  ip netns add "$ns"
  ip -n "$ns" link set lo up
done
ip -n "$A" link add va type veth peer name eth0 netns "$X"
ip -n "$B" link add vb type veth peer name eth1 netns "$X"
ip -n "$A" addr add 10.200.0.1/24 dev va
ip -n "$B" addr add 10.200.0.2/24 dev vb
ip -n "$A" link set va up
ip -n "$B" link set vb up
ip -n "$X" link set eth0 up
ip -n "$X" link set eth1 up

# Fireline's join (TcRequests.Join): ingress qdisc on each end, a match-all u32 filter redirecting to the other.
tc_join() {
  for pair in "eth0 eth1" "eth1 eth0"; do
    set -- $pair
    tc -n "$X" qdisc add dev "$1" ingress
    tc -n "$X" filter add dev "$1" parent ffff: protocol all prio 1 handle 800::800 u32 match u32 0 0 \
      action mirred egress redirect dev "$2"
  done
}
tc_unjoin() { for d in eth0 eth1; do tc -n "$X" qdisc del dev "$d" ingress; done; }

# The design document's join: both ends ports of br0. A new namespace has bridge-nf-call-iptables=1, so bridged
# IPv4 frames also pass the (empty) inet hooks, as they would in the document's namespaces.
bridge_join() {
  ip -n "$X" link add br0 type bridge
  ip -n "$X" link set eth0 master br0
  ip -n "$X" link set eth1 master br0
  ip -n "$X" link set br0 up
  # Wait out the bridge's port states (no STP: forwarding at once) and the first ARP.
  for _ in $(seq 50); do in_ns "$B" ping -c1 -W1 10.200.0.1 >/dev/null 2>&1 && return; sleep 0.1; done
  echo "join.sh: no ping across br0" >&2
  exit 1
}
bridge_unjoin() { ip -n "$X" link del br0; }

# Prints the receiver's rate in Gbit/s of one iperf3 test; "-R" makes the server (host side) send.
iperf() {
  local port=$((20000 + RANDOM % 30000)) rate=""
  in_ns "$A" iperf3 -s -1 -B 10.200.0.1 -p "$port" >/dev/null 2>&1 &
  server=$!
  for _ in $(seq 50); do
    if rate=$(in_ns "$B" iperf3 -c 10.200.0.1 -p "$port" -t "$SECONDS_PER_TEST" -J "$@" 2>/dev/null |
      python3 -c 'import json, sys; print(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e9)' 2>/dev/null); then
      break
    fi
    sleep 0.1 # the server was not listening yet
  done
  wait "$server" || true
  server=""
  [ -n "$rate" ] || { echo "join.sh: iperf3 failed" >&2; exit 1; }
  printf '%.2f' "$rate"
}

printf "join throughput, iperf3 TCP 1 stream, %d s x %d rounds, Gbit/s (kernel %s)\n" "$SECONDS_PER_TEST" "$ROUNDS" "$(uname -r)"
for ((r = 1; r <= ROUNDS; r++)); do
  for join in tc bridge; do
    "${join}_join"
    in_ns "$B" ping -c1 -W2 10.200.0.1 >/dev/null
    to_guest=$(iperf -R)
    from_guest=$(iperf)
    "${join}_unjoin"
    echo "$join $to_guest $from_guest" >>"$work/rates"
    printf "round %d %-6s host->guest %6s  guest->host %6s\n" "$r" "$join" "$to_guest" "$from_guest"
  done
done
# Medians over the rounds.
for join in tc bridge; do
  for col in 2 3; do
    awk -v j="$join" '$1 == j { print $'"$col"' }' "$work/rates" | sort -n |
      awk '{ v[NR] = $1 } END { printf "%s ", v[int((NR + 1) / 2)] }'
  done | awk -v j="$join" '{ printf "median %-6s host->guest %6s  guest->host %6s\n", j, $1, $2 }'
done
