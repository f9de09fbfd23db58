#!/usr/bin/env bash
# Fireline against its two peers, side by side in one run: N VM networks created one after another, then
# deleted one after another, each operation timed on its own. Each approach works in its own private test host
# (a host namespace with an uplink veth to an "outside" one); every namespace this script makes carries a per-run
# prefix and is removed on exit, also on Ctrl-C. Root required.
#   design:   the design document's CreateVMNetwork/configureNamespace/DeleteVMNetwork as iproute2 commands
#             (one `ip` process per step: namespace, veth, move peer, master, up, TAP + MAC, in-namespace
#             bridge br0 joining veth and TAP, address, default route; delete = host veth, namespace).
#   cni:      the CNI reference plugins (Debian containernetworking-plugins): bridge + host-local IPAM + ipMasq,
#             one plugin process per VM as a container runtime calls it, plus the namespace the runtime makes
#             (`ip netns add` before ADD, `ip netns delete` after DEL). It makes no TAP: less work than the others.
#   fireline: the published NativeAOT CLI, one process per VM as a CNI plugin would be
#             (`fireline --state-dir D --host-netns H vm create|delete ID`), the daemon's API path (`fireline
#             serve` in its own test host; one curl process sends the N PUTs, then the N DELETEs, on one
#             kept-alive connection and reports each request's time), and the in-process engine
#             (bench/Fireline.Benchmarks `lifecycle --batch N`, its own private test host).
# The three process-per-VM approaches take turns VM by VM, so load from other work on the machine falls on all
# alike. Prints p50 and mean per create and per delete, and each peer's figure divided by Fireline's.
# Usage: bench/compare.sh [N]   (N = 100 by default)
set -euo pipefail

source "$(dirname "$0")/lib.sh"
require_root "it creates network namespaces"

N=${1:-100}
WARMUP=3
cd "$(dirname "$0")/.."
P="flc$$" # every namespace this run makes starts with this (VM namespaces with vm-$P)
CNI_PATH=/usr/lib/cni
scratch "$P"
on_exit() { [ -z "${daemon:-}" ] || { kill "$daemon" 2>/dev/null; wait "$daemon" 2>/dev/null || true; }; }

if [ ! -x "$CNI_PATH/bridge" ] || ! command -v iptables >/dev/null || ! command -v curl >/dev/null; then
  echo "== installing containernetworking-plugins (CNI reference plugins; ipMasq needs iptables) and curl"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq containernetworking-plugins iptables curl >/dev/null
fi

echo "== building the benchmark program and publishing the NativeAOT fireline"
dotnet build bench/Fireline.Benchmarks -c Release -nologo -v quiet >/dev/null
scripts/publish.sh
FL=$PWD/artifacts/fireline/fireline
LIFECYCLE=(dotnet "$PWD/bench/Fireline.Benchmarks/bin/Release/net10.0/Fireline.Benchmarks.dll" lifecycle)



# The VM's address in 10.100.0.0/16 (gateway .0.1) and the MAC the document derives from it.
vm_ip() { echo "10.100.$((($1 + 2) / 256)).$((($1 + 2) % 256))"; }
vm_mac() { printf '02:00:0a:64:%02x:%02x' $((($1 + 2) / 256)) $((($1 + 2) % 256)); }

# --- the design document's approach, as iproute2 commands --------------------------------------------------
DH="$P-design"
design_host() {
  make_host "$DH"
  ip -n "$DH" link add br-vms type bridge
  ip -n "$DH" addr add 10.100.0.1/16 dev br-vms
  ip -n "$DH" link set br-vms up
  in_ns "$DH" sysctl -qw net.ipv4.ip_forward=1
}

# CreateVMNetwork + configureNamespace. The document's /24 on br0 would leave the gateway off-link for VMs past
# the first 253; the subnet's /16 keeps its default route valid for any N.
design_create() {
  local i=$1 ns="$P-dvm$1"
  ip netns add "$ns"
  ip -n "$DH" link add "vh$i" type veth peer name "vv$i"
  ip -n "$DH" link set "vv$i" netns "$ns"
  ip -n "$DH" link set "vh$i" master br-vms
  ip -n "$DH" link set "vh$i" up
  ip -n "$ns" tuntap add dev "tap$i" mode tap
  ip -n "$ns" link set "tap$i" address "$(vm_mac "$i")"
  ip -n "$ns" link add br0 type bridge
  ip -n "$ns" link set "vv$i" master br0
  ip -n "$ns" link set "tap$i" master br0
  ip -n "$ns" link set "vv$i" up
  ip -n "$ns" link set "tap$i" up
  ip -n "$ns" link set br0 up
  ip -n "$ns" addr add "$(vm_ip "$i")/16" dev br0
  ip -n "$ns" route add default via 10.100.0.1
}

# DeleteVMNetwork: the host veth (its peer goes with it), then the namespace.
design_delete() {
  ip -n "$DH" link del "vh$1"
  ip netns delete "$P-dvm$1"
}

# --- the CNI reference plugins -------------------------------------------------------------------------------
CH="$P-cni"
cni_host() {
  make_host "$CH"
  mkdir -p "$work/cni-ipam"
  cat >"$work/cni.json" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "$P",
  "type": "bridge",
  "bridge": "br-vms",
  "isGateway": true,
  "ipMasq": true,
  "ipam": { "type": "host-local", "ranges": [[{ "subnet": "10.100.0.0/16", "gateway": "10.100.0.1" }]], "dataDir": "$work/cni-ipam" }
}
EOF
}

# The plugin runs with the host namespace as its own (nsenter keeps the mount namespace, so it sees the VM
# namespaces under /var/run/netns; `ip netns exec` would hide them).
cni() {
  CNI_COMMAND=$1 CNI_CONTAINERID="$P-$2" CNI_NETNS="/var/run/netns/$P-cvm$2" CNI_IFNAME=eth0 CNI_PATH=$CNI_PATH \
    nsenter --net="/var/run/netns/$CH" -- "$CNI_PATH/bridge" <"$work/cni.json" >/dev/null
}
cni_create() {
  ip netns add "$P-cvm$1"
  cni ADD "$1"
}
cni_delete() {
  cni DEL "$1"
  ip netns delete "$P-cvm$1"
}

# --- Fireline, one process per VM ------------------------------------------------------------------------------
FH="$P-fl"
fl() { "$FL" --state-dir "$work/fireline" --host-netns "$FH" -o json "$@" >/dev/null; }
fireline_host() {
  make_host "$FH"
  fl host init
}
fireline_create() { fl vm create "$P-f$1"; }
fireline_delete() { fl vm delete "$P-f$1"; }

# --- Fireline's daemon, one client on one kept-alive connection -------------------------------------------------
AH="$P-api"
SOCK="$work/api.sock"
api_host() {
  make_host "$AH"
  "$FL" --state-dir "$work/api" --host-netns "$AH" -o json host init >/dev/null
  "$FL" --state-dir "$work/api" --host-netns "$AH" serve --socket "$SOCK" >"$work/api.log" 2>&1 &
  daemon=$!
  for _ in $(seq 100); do [ -S "$SOCK" ] && return; sleep 0.1; done
  echo "compare.sh: the daemon did not open $SOCK:" >&2
  cat "$work/api.log" >&2
  exit 1
}
# METHOD FROM TO OUT: one curl process, one connection, the requests for VMs FROM..TO-1 (PUT with an empty JSON
# body); each request's seconds to $work/api.OUT. Any answer that is not 2xx stops the run.
api_requests() {
  local urls=() body=() i
  for ((i = $2; i < $3; i++)); do urls+=(-o /dev/null "http://fireline/v1/vms/$P-a$i"); done # -o is per URL
  [ "$1" != PUT ] || body=(-H 'Content-Type: application/json' -d '{}')
  curl -sS --unix-socket "$SOCK" -X "$1" "${body[@]}" -w '%{http_code} %{time_total}\n' "${urls[@]}" |
    awk -v what="$1" '$1 !~ /^2/ { print "compare.sh: " what " answered " $1 > "/dev/stderr"; exit 1 } { print $2 }' >>"$work/api.$4"
}

# --- timing and statistics ----------------------------------------------------------------------------------
now_us() { echo "${EPOCHREALTIME//[!0-9]/}"; }

# Runs APPROACH_OP I and appends its wall time (microseconds) to $work/APPROACH.OP.
timed() {
  local approach=$1 op=$2 i=$3 start end
  start=$(now_us)
  "${approach}_${op}" "$i"
  end=$(now_us)
  echo $((end - start)) >>"$work/$approach.$op"
}

# Prints "p50 mean" in milliseconds of a file of microsecond samples (p50 by nearest rank).
stats() {
  sort -n "$1" | awk '{ v[NR] = $1; s += $1 } END { r = int((NR + 1) / 2); printf "%.2f %.2f", v[r] / 1000, s / NR / 1000 }'
}

approaches=(design cni fireline)
for a in "${approaches[@]}"; do "${a}_host"; done

echo "== warm-up: $WARMUP untimed create + delete per approach"
for ((i = 0; i < WARMUP; i++)); do
  for a in "${approaches[@]}"; do
    "${a}_create" "$((N + i))"
    "${a}_delete" "$((N + i))"
  done
done

echo "== $N creates, then $N deletes, the three approaches taking turns"
for ((i = 0; i < N; i++)); do
  for a in "${approaches[@]}"; do timed "$a" create "$i"; done
done
for ((i = 0; i < N; i++)); do
  for a in "${approaches[@]}"; do timed "$a" delete "$i"; done
done

echo "== Fireline daemon API: $N PUTs, then $N DELETEs, one kept-alive connection"
api_host
api_requests PUT "$N" "$((N + WARMUP))" warmup
api_requests DELETE "$N" "$((N + WARMUP))" warmup
api_requests PUT 0 "$N" create
api_requests DELETE 0 "$N" delete
for op in create delete; do awk '{ printf "%d\n", $1 * 1000000 }' "$work/api.$op" >"$work/apiusec.$op"; done

echo "== Fireline in-process: lifecycle --batch $N"
"${LIFECYCLE[@]}" --batch "$N" --warmup "$WARMUP" | tee "$work/inproc.txt"
# lifecycle <size> <op> <n> <p50> <p90> <p99> <mean>
inproc() { awk -F'\t' -v op="$1" '$1 == "lifecycle" && $3 == op { printf "%.2f %.2f", $5, $8 }' "$work/inproc.txt"; }

declare -A p50 mean
for a in "${approaches[@]}"; do
  for op in create delete; do
    read -r p50["$a.$op"] mean["$a.$op"] <<<"$(stats "$work/$a.$op")"
  done
done
for op in create delete; do read -r p50["api.$op"] mean["api.$op"] <<<"$(stats "$work/apiusec.$op")"; done
for op in create delete; do read -r p50["inproc.$op"] mean["inproc.$op"] <<<"$(inproc "$op")"; done

declare -A names=([design]="design document as iproute2 commands" [cni]="CNI bridge + host-local + ipMasq" \
  [fireline]="Fireline CLI (NativeAOT, process per VM)" [api]="Fireline daemon API (kept-alive connection)" \
  [inproc]="Fireline in-process engine")
echo
printf "VM network create and delete, N=%d, milliseconds per VM (kernel %s, %s)\n" "$N" "$(uname -r)" "$(date -u +%F)"
printf "%-42s %10s %10s %10s %10s\n" "approach" "create p50" "mean" "delete p50" "mean"
for a in design cni fireline api inproc; do
  printf "%-42s %10s %10s %10s %10s\n" "${names[$a]}" "${p50[$a.create]}" "${mean[$a.create]}" "${p50[$a.delete]}" "${mean[$a.delete]}"
done
echo
echo "peer / Fireline (how many times longer the peer takes)"
printf "%-42s %10s %10s %10s %10s\n" "ratio" "create p50" "mean" "delete p50" "mean"
for peer in design cni; do
  for f in fireline api inproc; do
    printf "%-42s" "$peer / $f"
    for col in "p50 create" "mean create" "p50 delete" "mean delete"; do
      read -r stat op <<<"$col"
      if [ "$stat" = p50 ]; then a=${p50[$peer.$op]} b=${p50[$f.$op]}; else a=${mean[$peer.$op]} b=${mean[$f.$op]}; fi
      awk -v a="$a" -v b="$b" 'BEGIN { printf " %10.1f", a / b }'
    done
    echo
  done
done
