#!/usr/bin/env bash
# Fireline's CNI plugin against the reference CNI chains, ADD and DEL per attachment, process start to exit, as a
# runtime (firecracker-go-sdk, libcni) runs them: the namespace is the runtime's (`ip netns add` before ADD, `ip netns
# delete` after DEL, both untimed), and every plugin of a chain is its own process, fed the previous one's result.
#   bridge:   Debian containernetworking-plugins' bridge + host-local IPAM (ipMasq): the plugin most runtimes start
#             with; it makes no TAP.
#   ptp:      ptp + host-local (ipMasq), then firewall (iptables backend), then the tc-redirect-tap equivalent: the
#             firecracker-go-sdk chain. tc-redirect-tap is not packaged in Debian; in its place the runtime does what it
#             does, in the namespace, with one `ip -batch` (TAP tap0, up) and one `tc -batch` (ingress qdiscs on eth0
#             and tap0, a u32 mirred redirect each way) on ADD, and one `ip link del tap0` on DEL: three short iproute2
#             processes where tc-redirect-tap is one Go process doing the same netlink work.
#   fireline: artifacts/fireline-cni/fireline-cni (the plugin /opt/cni/bin/fireline is), one process per verb,
#             against `fireline serve` on its own private test host.
# Each approach works in its own private test host (a host namespace with an uplink to an "outside" one); everything
# this script makes carries a per-run prefix and is removed on exit. The three take turns attachment by attachment,
# so load from other work falls on all alike. Prints p50 and mean of ADD and DEL, and each chain's figure divided by
# Fireline's; then the plugin's bare start-up (VERSION) beside `fireline --version` and `ip -V`. Root required.
# Usage: bench/cni.sh [N]   (N = 100 by default)
set -euo pipefail

source "$(dirname "$0")/lib.sh"
require_root "it creates network namespaces"

N=${1:-100}
WARMUP=5
cd "$(dirname "$0")/.."
P="flcni$$"
CNI_PATH=/usr/lib/cni
scratch "$P"
on_exit() { [ -z "${daemon:-}" ] || { kill "$daemon" 2>/dev/null; wait "$daemon" 2>/dev/null || true; }; }

if [ ! -x "$CNI_PATH/ptp" ] || ! command -v iptables >/dev/null; then
  echo "bench/cni.sh: needs containernetworking-plugins and iptables (scripts/setup.sh installs them)" >&2
  exit 2
fi

echo "== publishing the NativeAOT fireline and fireline-cni"
scripts/publish.sh
FL=$PWD/artifacts/fireline/fireline
PLUGIN=$PWD/artifacts/fireline-cni/fireline-cni


# PLUGIN HOST COMMAND ID CONFIG: one reference plugin process in test host HOST (plugins act in the namespace they
# start in; nsenter keeps the mount namespace, where the runtime's namespaces are); its stdout to $work/out.
ref() {
  CNI_COMMAND=$3 CNI_CONTAINERID="$P-$4" CNI_NETNS="/var/run/netns/$P-$4" CNI_IFNAME=eth0 CNI_PATH=$CNI_PATH \
    nsenter --net="/var/run/netns/$2" -- "$CNI_PATH/$1" <<<"$5" >"$work/out"
}
ipam() { echo "\"ipam\":{\"type\":\"host-local\",\"ranges\":[[{\"subnet\":\"10.100.0.0/16\",\"gateway\":\"10.100.0.1\"}]],\"dataDir\":\"$work/ipam-$1\"}"; }

# --- bridge + host-local ----------------------------------------------------------------------------------------
BH="$P-br"
bridge_host() { make_host "$BH"; }
bridge_conf() { echo "{\"cniVersion\":\"1.0.0\",\"name\":\"$P-br\",\"type\":\"bridge\",\"bridge\":\"br-vms\",\"isGateway\":true,\"ipMasq\":true,$(ipam br)}"; }
bridge_add() { ref bridge "$BH" ADD "b$1" "$(bridge_conf)"; }
bridge_del() { ref bridge "$BH" DEL "b$1" "$(bridge_conf)"; }

# --- ptp + host-local, firewall, tc-redirect-tap equivalent -------------------------------------------------------
PH="$P-ptp"
ptp_host() { make_host "$PH"; }
ptp_conf() { echo "{\"cniVersion\":\"1.0.0\",\"name\":\"$P-ptp\",\"type\":\"ptp\",\"ipMasq\":true,$(ipam ptp)}"; }
firewall_conf() { echo "{\"cniVersion\":\"1.0.0\",\"name\":\"$P-ptp\",\"type\":\"firewall\",\"backend\":\"iptables\",\"prevResult\":$1}"; }
tap_add() {
  nsenter --net="/var/run/netns/$P-$1" -- ip -batch - <<<$'tuntap add tap0 mode tap\nlink set tap0 up'
  nsenter --net="/var/run/netns/$P-$1" -- tc -batch - <<'EOF2'
qdisc add dev eth0 ingress
qdisc add dev tap0 ingress
filter add dev eth0 parent ffff: protocol all u32 match u32 0 0 action mirred egress redirect dev tap0
filter add dev tap0 parent ffff: protocol all u32 match u32 0 0 action mirred egress redirect dev eth0
EOF2
}
ptp_add() {
  ref ptp "$PH" ADD "p$1" "$(ptp_conf)"
  cp "$work/out" "$work/result-p$1"
  ref firewall "$PH" ADD "p$1" "$(firewall_conf "$(cat "$work/result-p$1")")"
  tap_add "p$1"
}
ptp_del() {
  nsenter --net="/var/run/netns/$P-p$1" -- ip link del tap0
  ref firewall "$PH" DEL "p$1" "$(firewall_conf "$(cat "$work/result-p$1")")"
  ref ptp "$PH" DEL "p$1" "$(ptp_conf)"
}

# --- Fireline -----------------------------------------------------------------------------------------------------
FH="$P-fl"
SOCK="$work/fireline.sock"
fireline_host() {
  make_host "$FH"
  mkdir -m 700 "$work/state"
  "$FL" --state-dir "$work/state" --host-netns "$FH" -o json host init >/dev/null
  "$FL" --state-dir "$work/state" --host-netns "$FH" --socket "$SOCK" serve >"$work/daemon.log" 2>&1 &
  daemon=$!
  for _ in $(seq 100); do [ -S "$SOCK" ] && return; sleep 0.1; done
  echo "bench/cni.sh: the daemon did not open $SOCK:" >&2
  cat "$work/daemon.log" >&2
  exit 1
}
fireline_conf() { echo "{\"cniVersion\":\"1.1.0\",\"name\":\"$P-fl\",\"type\":\"fireline\",\"socket\":\"$SOCK\"}"; }
fireline_run() {
  CNI_COMMAND=$1 CNI_CONTAINERID="$P-f$2" CNI_NETNS="/var/run/netns/$P-f$2" CNI_IFNAME=eth0 "$PLUGIN" <<<"$(fireline_conf)" >"$work/out"
}
fireline_add() { fireline_run ADD "$1"; }
fireline_del() { fireline_run DEL "$1"; }

# --- timing -------------------------------------------------------------------------------------------------------
now_us() { echo "${EPOCHREALTIME//[!0-9]/}"; }
declare -A letter=([bridge]=b [ptp]=p [fireline]=f)

# APPROACH I: the runtime's namespace (untimed), ADD and DEL each timed, the namespace removed (untimed).
round() {
  local a=$1 i=$2 ns="$P-${letter[$1]}$2" start mid end
  ip netns add "$ns"
  start=$(now_us)
  "${a}_add" "$i"
  mid=$(now_us)
  "${a}_del" "$i"
  end=$(now_us)
  ip netns delete "$ns"
  [ "${3:-}" = untimed ] || { echo $((mid - start)) >>"$work/$a.add"; echo $((end - mid)) >>"$work/$a.del"; }
}

stats() {
  sort -n "$1" | awk '{ v[NR] = $1; s += $1 } END { r = int((NR + 1) / 2); printf "%.2f %.2f", v[r] / 1000, s / NR / 1000 }'
}

approaches=(bridge ptp fireline)
for a in "${approaches[@]}"; do "${a}_host"; done
echo "== warm-up: $WARMUP untimed ADD + DEL per approach"
for ((i = 0; i < WARMUP; i++)); do for a in "${approaches[@]}"; do round "$a" "$((N + i))" untimed; done; done
echo "== $N rounds of ADD then DEL, the three approaches taking turns ($(date -u '+%F %T') UTC, load $(cut -d' ' -f1-3 /proc/loadavg))"
for ((i = 0; i < N; i++)); do for a in "${approaches[@]}"; do round "$a" "$i"; done; done

# `ip -V` is the yardstick: the start of a small C program, on the same machine under the same load.
echo "== start-up alone: $N runs each of the plugin's VERSION, fireline --version and ip -V"
for ((i = 0; i < N; i++)); do
  start=$(now_us); CNI_COMMAND=VERSION "$PLUGIN" <<<'{"cniVersion":"1.1.0"}' >/dev/null; end=$(now_us); echo $((end - start)) >>"$work/version.plugin"
  start=$(now_us); "$FL" --version >/dev/null; end=$(now_us); echo $((end - start)) >>"$work/version.fireline"
  start=$(now_us); ip -V >/dev/null; end=$(now_us); echo $((end - start)) >>"$work/version.ip"
done

declare -A names=([bridge]="bridge + host-local (ipMasq)" [ptp]="ptp + host-local + firewall + tap redirect" [fireline]="Fireline (fireline-cni + daemon)")
echo
printf "CNI ADD and DEL per attachment, process start to exit, N=%d, milliseconds (kernel %s, load at end %s)\n" "$N" "$(uname -r)" "$(cut -d' ' -f1 /proc/loadavg)"
printf "%-44s %9s %9s %9s %9s\n" "chain" "ADD p50" "mean" "DEL p50" "mean"
declare -A p50 mean
for a in "${approaches[@]}"; do
  for op in add del; do read -r p50["$a.$op"] mean["$a.$op"] <<<"$(stats "$work/$a.$op")"; done
  printf "%-44s %9s %9s %9s %9s\n" "${names[$a]}" "${p50[$a.add]}" "${mean[$a.add]}" "${p50[$a.del]}" "${mean[$a.del]}"
done
for peer in bridge ptp; do
  printf "%-44s" "$peer / fireline (times longer)"
  for col in "p50 add" "mean add" "p50 del" "mean del"; do
    read -r stat op <<<"$col"
    if [ "$stat" = p50 ]; then x=${p50[$peer.$op]} y=${p50[fireline.$op]}; else x=${mean[$peer.$op]} y=${mean[fireline.$op]}; fi
    awk -v a="$x" -v b="$y" 'BEGIN { printf " %9.1f", a / b }'
  done
  echo
done
printf "%-44s %9s %9s\n" "start-up: fireline-cni VERSION" $(stats "$work/version.plugin")
printf "%-44s %9s %9s\n" "start-up: fireline --version" $(stats "$work/version.fireline")
printf "%-44s %9s %9s\n" "start-up: ip -V" $(stats "$work/version.ip")
