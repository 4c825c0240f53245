#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Native XDP in net_mvneta_xdp on one lcore (gen backend, 64 B): XDP_DROP,
# XDP_TX, devmap XDP_REDIRECT, XDP_PASS, no program, and XDP_ABORTED next
# to XDP_DROP from the same program, interleaved runs, medians; then the
# kernel's own XDP on this machine (veth XDP_DROP against tc drop) when
# devtools/bench-kernel-xdp.sh can run. Writes
# doc/perf/native-xdp.md. XDP_PERF_FRAME_SIZE sets the frame size,
# KERNEL_BENCH=0 skips the kernel part. DPDK runs on hugepages when they
# are free, else on --no-huge (devtools/eal-mem.sh); the report says which.
#
# MEM_ROUNDS=N compares memory layouts instead: N rounds, each running the
# autotest once on --no-huge, on hugepages with IOVA as PA and with IOVA
# as VA, alternating; per scenario the median over the rounds of each
# layout's median, and the ratios to --no-huge. Writes
# doc/perf/native-xdp-hugepages.md.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$("$top/devtools/build.sh")
. "$top/devtools/eal-mem.sh"
size=${XDP_PERF_FRAME_SIZE:-64}

# run_autotest FILE [ENV...]: the perf autotest's output into FILE
run_autotest() {
	f=$1
	shift
	env "$@" "$build/test/dpdk-xdp-test" mvneta_xdp_perf_autotest \
		>"$f" 2>/dev/null && grep -q '^| scenario' "$f" ||
		{ echo "bench-xdp: the perf autotest failed ($*)" >&2; exit 1; }
}

machine() {
	echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(date -u +%Y-%m-%d), load average $(cut -d' ' -f1-3 /proc/loadavg) when it ran."
}

if [ -n "${MEM_ROUNDS:-}" ]; then
	out=${OUT:-$top/doc/perf/native-xdp-hugepages.md}
	eal_mem_hugepages 256 ||
		{ echo "bench-xdp: MEM_ROUNDS needs free hugepages (devtools/setup.sh)" >&2; exit 1; }
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	layouts="nohuge pa va"
	load=$(cut -d' ' -f1-3 /proc/loadavg)
	r=0
	while [ $r -lt "$MEM_ROUNDS" ]; do
		# each round starts with the next layout: no layout always
		# runs first
		for k in 0 1 2; do
			case $(((r + k) % 3)) in
			0) run_autotest "$tmp/nohuge.$r" EAL_MEM=nohuge ;;
			1) run_autotest "$tmp/pa.$r" EAL_MEM=huge EAL_IOVA_MODE=pa ;;
			2) run_autotest "$tmp/va.$r" EAL_MEM=huge EAL_IOVA_MODE=va ;;
			esac
		done
		r=$((r + 1))
	done
	for l in $layouts; do
		# "scenario<TAB>median Mpps" of every round
		for f in "$tmp/$l".*; do
			awk -F'|' '/^\| / && $3 ~ /[0-9]/ {
				gsub(/^ +| +$/, "", $2); gsub(/ /, "", $3)
				print $2 "\t" $3 }' "$f"
		done >"$tmp/$l.all"
		sed -n 's/^EAL memory: //p' "$tmp/$l.0" >"$tmp/$l.kind"
	done
	median() {
		sort -g | awk '{ v[NR] = $1 } END {
			print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
	}
	{
		echo "# Native XDP in net_mvneta_xdp: hugepages against --no-huge"
		echo
		echo "Command: \`MEM_ROUNDS=$MEM_ROUNDS XDP_PERF_FRAME_SIZE=$size ./devtools/bench-xdp.sh\`"
		echo "(runs \`dpdk-xdp-test mvneta_xdp_perf_autotest\` with \`EAL_MEM=nohuge\`,"
		echo "with \`EAL_MEM=huge EAL_IOVA_MODE=pa\` and with \`EAL_MEM=huge EAL_IOVA_MODE=va\`"
		echo "in each of $MEM_ROUNDS rounds, each round starting with the next layout;"
		echo "each run gives the median of 5 interleaved runs of 400 ms per"
		echo "scenario; a cell is the median of the $MEM_ROUNDS rounds)."
		echo
		echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(date -u +%Y-%m-%d), load average $load"
		echo "when it started (the machine is shared with other work: compare the"
		echo "ratios within this run, not runs of two)."
		echo
		echo "| scenario (one RX lcore, gen backend, $size B) | --no-huge Mpps | hugepages, IOVA as PA | hugepages, IOVA as VA | PA / --no-huge | VA / --no-huge | rounds --no-huge / PA / VA |"
		echo "|---|---|---|---|---|---|---|"
		cut -f1 "$tmp/nohuge.all" | awk '!seen[$0]++' | while IFS= read -r s; do
			n=$(awk -F'\t' -v s="$s" '$1 == s { print $2 }' "$tmp/nohuge.all" | median)
			p=$(awk -F'\t' -v s="$s" '$1 == s { print $2 }' "$tmp/pa.all" | median)
			v=$(awk -F'\t' -v s="$s" '$1 == s { print $2 }' "$tmp/va.all" | median)
			runs=$(for l in $layouts; do
				awk -F'\t' -v s="$s" '$1 == s { printf "%s ", $2 }' "$tmp/$l.all"
				[ $l = va ] || printf '/ '
			done)
			awk -v s="$s" -v n="$n" -v p="$p" -v v="$v" -v runs="$runs" 'BEGIN {
				printf "| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %s|\n",
					s, n, p, v, p / n, v / n, runs }'
		done
		echo
		echo "EAL memory as the autotest reported it: $(cat "$tmp/nohuge.kind"); $(cat "$tmp/pa.kind"); $(cat "$tmp/va.kind")."
		echo "Hugepage runs use \`--in-memory --socket-limit 256\`, --no-huge runs"
		echo "\`--no-huge -m 512\` (devtools/eal-mem.sh, test/test.c). The code path"
		echo "is the same in the three layouts (./devtools/count-instructions.sh counts"
		echo "the same instructions per frame): what differs is memory (2 MB pages"
		echo "against 4 KiB ones for the TLB) and the machine's load."
	} >"$out"
	cat "$out"
	exit 0
fi

out=${OUT:-$top/doc/perf/native-xdp.md}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
run_autotest "$log"
table=$(sed -n '/^| scenario/,/^XDP_ABORTED \//p' "$log")

{
	echo "# Native XDP in net_mvneta_xdp"
	echo
	echo "Command: \`XDP_PERF_FRAME_SIZE=$size ./devtools/bench-xdp.sh\` (runs \`dpdk-xdp-test mvneta_xdp_perf_autotest\`,"
	echo "also \`meson test -C build --suite perf\`)."
	echo
	machine
	echo "EAL memory: $(sed -n 's/^EAL memory: //p' "$log") (devtools/eal-mem.sh;"
	echo "[native-xdp-hugepages.md](native-xdp-hugepages.md) compares the layouts)."
	echo
	echo "$table"
	echo
	echo "Frames come from the NETA model's generator, which writes each frame"
	echo "into its RX buffer (the DMA) inside rx_burst: that copy is part of"
	echo "every row. XDP_TX and XDP_REDIRECT frames are sent by the model to"
	echo "the gen backend, which discards them."
	echo
	echo "The two xdp_verdict rows run the same program (three map lookups"
	echo "and an atomic add, then the verdict its cfg map holds), so their"
	echo "ratio is the cost of the exception path alone: per frame a counter"
	echo "and the test of the xdp_exception trace point's enable bit, per"
	echo "burst the log line's clock. Up to dd341d2 the driver registered"
	echo "the trace point in the file that emits it, so each aborted frame"
	echo "ran DPDK's trace-point registration code: this benchmark gave"
	echo "XDP_ABORTED 0.00 Mpps, 1.6 million cycles per frame (about 1,300"
	echo "frames/s, the heap growing) next to 9.76 Mpps for XDP_DROP."
} >"$out"
cat "$out"

if [ "${KERNEL_BENCH:-1}" != 0 ] && [ -x "$top/devtools/bench-kernel-xdp.sh" ]; then
	BUILD_DIR=$build "$top/devtools/bench-kernel-xdp.sh" || true
fi
