#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# The seed's comparison on this machine's kernel: native XDP_DROP on a
# veth against dropping the same traffic in tc (cls_bpf direct action,
# TC_ACT_SHOT).  Traffic is generated in the kernel by a live-frames
# BPF_PROG_TEST_RUN of an XDP_TX program on the other end of the veth pair
# (no pktgen needed), inside a network namespace created and deleted here.
# Runs both modes RUNS times, alternating, prints a Markdown table of the
# medians and writes it to doc/perf/kernel-xdp.md.
#
#   RUNS=5 SECONDS_PER_RUN=3 FRAME_SIZE=64 ./devtools/bench-kernel-xdp.sh
#
# BUILD_DIR (default ./build) holds test/bench/kernel/kernel_xdp_bench and
# its BPF objects.  Exits 0 with "SKIP: reason" when not root, when bpf()
# is not permitted, or when the kernel lacks live-frames test runs.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build}
bench=$build/test/bench/kernel/kernel_xdp_bench
runs=${RUNS:-5}
secs=${SECONDS_PER_RUN:-3}
fsize=${FRAME_SIZE:-64}
cpu=${CPU:-0}
out=${OUT:-$top/doc/perf/kernel-xdp.md}

skip() {
	echo "SKIP: $*"
	exit 0
}

[ "$(id -u)" = 0 ] || skip "not root (needs CAP_SYS_ADMIN, CAP_NET_ADMIN and CAP_BPF)"
if [ ! -x "$bench" ]; then
	echo "$0: $bench not built (ninja -C $build; test/meson.build must" \
		"have subdir('bench/kernel'))" >&2
	exit 1
fi

ns=kxb$$
gen=kxg$$
sink=kxs$$
tmp=$(mktemp -d)
cleanup() {
	ip netns del "$ns" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

ip netns add "$ns" 2>"$tmp/err" ||
	skip "cannot create a network namespace: $(cat "$tmp/err")"
ip -n "$ns" link add "$gen" type veth peer name "$sink"
ip -n "$ns" link set "$gen" up
ip -n "$ns" link set "$sink" up

cmd="$bench --netns /run/netns/$ns --gen-if $gen --sink-if $sink"
cmd="$cmd --seconds $secs --frame-size $fsize --cpu $cpu"

# A short probe: bpf() permitted, live frames supported, frames arrive.
for m in xdp tc; do
	rc=0
	$cmd --mode $m --probe >"$tmp/probe" 2>&1 || rc=$?
	if [ $rc = 77 ]; then
		grep '^SKIP:' "$tmp/probe"
		exit 0
	elif [ $rc != 0 ]; then
		cat "$tmp/probe" >&2
		echo "$0: probe of mode $m failed" >&2
		exit 1
	fi
done

# One run: prints the Mpps counted at the sink.
measure() {
	$cmd --mode "$1" | awk -v m="$1" '
		$1 == "mode=" m { for (i = 2; i <= NF; i++) if ($i ~ /^mpps=/) {
			sub("mpps=", "", $i); print $i; ok = 1 } }
		END { exit !ok }'
}

median() {
	sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

i=0
while [ $i -lt "$runs" ]; do
	measure xdp >>"$tmp/xdp"
	measure tc >>"$tmp/tc"
	i=$((i + 1))
done
xdp_med=$(median <"$tmp/xdp")
tc_med=$(median <"$tmp/tc")
ratio=$(awk -v a="$xdp_med" -v b="$tc_med" 'BEGIN { printf "%.2f", a / b }')
xdp_all=$(tr '\n' ' ' <"$tmp/xdp" | sed 's/ $//')
tc_all=$(tr '\n' ' ' <"$tmp/tc" | sed 's/ $//')
model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)

{
	echo "# Kernel XDP: native XDP_DROP vs tc drop on a veth pair"
	echo
	echo "The seed's comparison, measured on this machine's kernel: frames of"
	echo "$fsize bytes (FCS included) sent out of one veth by a live-frames"
	echo "\`BPF_PROG_TEST_RUN\` of an \`XDP_TX\` program, dropped on the peer"
	echo "either by a native (driver mode) XDP program returning \`XDP_DROP\`"
	echo "or by a cls_bpf direct-action program on clsact ingress returning"
	echo "\`TC_ACT_SHOT\` (with an \`XDP_PASS\` program on the peer, which veth"
	echo "needs to receive XDP frames).  Generator and sink share CPU $cpu;"
	echo "frames are counted by the sink.  Medians of $runs runs of ${secs} s"
	echo "each, the modes alternating."
	echo
	echo "| sink | median Mpps | runs (Mpps) |"
	echo "|---|---|---|"
	echo "| XDP_DROP, native XDP | $xdp_med | $xdp_all |"
	echo "| tc cls_bpf TC_ACT_SHOT | $tc_med | $tc_all |"
	echo
	echo "XDP/tc: **${ratio}x**"
	echo
	echo "- command: \`RUNS=$runs SECONDS_PER_RUN=$secs FRAME_SIZE=$fsize CPU=$cpu ./devtools/bench-kernel-xdp.sh\`"
	echo "- each run: \`kernel_xdp_bench --netns /run/netns/NS --gen-if GEN --sink-if SINK --seconds $secs --frame-size $fsize --cpu $cpu --mode xdp|tc\`"
	echo "- machine: $(nproc) CPUs, $model"
	echo "- kernel: $(uname -r)"
	echo "- hugepages: not used (kernel only, no DPDK process)"
	echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
} >"$tmp/md"
mkdir -p "$(dirname "$out")"
cp "$tmp/md" "$out"
cat "$out"
