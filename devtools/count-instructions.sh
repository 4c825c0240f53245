#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Instructions per frame in the driver's rx_burst (model, driver, XDP
# runtime and program), counted by valgrind's callgrind: repeatable on a
# noisy machine, unlike timings. Each native-XDP row is set against the
# goal of issue 16 (instructions over the no-program row).
#
#   ./devtools/count-instructions.sh [--testpmd] [SCENARIO...]
#
# Without --testpmd: mvneta_xdp_perf_autotest over a fixed number of
# bursts. Its scenarios: 0 no program, 8 constant XDP_DROP (xdp_drop),
# 2 the kernel's xdp1 (parse, per-CPU array count, XDP_DROP), 1 XDP_PASS
# (xdp_verdict: three array lookups, an atomic add), 3 XDP_TX (xdp2),
# 4 XDP_REDIRECT devmap (xdp_redirect_map); default: all of these. The
# XDP_PASS row also gives the runner's own share per frame (context
# set-up and write-back: rte_xdp_prog_run_burst less the program).
#
# With --testpmd: the unmodified dpdk-testpmd, rxonly, on a gen-backend
# port with the program attached by the xdp_prog devarg (none, constant
# XDP_PASS, constant XDP_DROP, xdp1, xdp2), instructions inside
# mvneta_xdp_rx_burst divided by the frames the port received.
#
# EAL memory as devtools/eal-mem.sh chooses it (EAL_MEM, EAL_IOVA_MODE).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$("$top/devtools/build.sh")
. "$top/devtools/eal-mem.sh"
command -v valgrind >/dev/null || apt-get install -y -qq valgrind >/dev/null
command -v callgrind_annotate >/dev/null ||
	apt-get install -y -qq valgrind >/dev/null
bursts=2000
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

testpmd=0
if [ "${1:-}" = --testpmd ]; then
	testpmd=1
	shift
fi

# Goals (issue 16): instructions per frame over the no-program row.
goal() {
	case $1 in
	drop) echo 50 ;;
	xdp1) echo 100 ;;
	tx) echo 150 ;;
	redirect) echo 220 ;;
	*) echo "" ;;
	esac
}

# Inclusive instructions of the functions matching $2 in profile $1.
incl() {
	callgrind_annotate --inclusive=yes --threshold=100 "$1" 2>/dev/null |
		awk -v pat="$2" '$0 ~ pat { gsub(",", "", $1); s += $1 }
			END { print s + 0 }'
}

# row NAME KEY INSNS_PER_FRAME
base=
row() {
	if [ -z "$base" ]; then
		base=$3
		printf '| %s | %.0f | — | — | |\n' "$1" "$3"
		return
	fi
	over=$(echo "$3 - $base" | bc -l)
	g=$(goal "$2")
	if [ -n "$g" ]; then
		met=$(echo "$over <= $g" | bc -l)
		[ "$met" = 1 ] && met=yes || met=NO
		printf '| %s | %.0f | +%.0f | +%s | %s |\n' "$1" "$3" "$over" \
			"$g" "$met"
	else
		printf '| %s | %.0f | +%.0f | — | |\n' "$1" "$3" "$over"
	fi
}

header() {
	echo "| $1 | instructions/frame | over no program | goal | met |"
	echo "|---|---|---|---|---|"
}

autotest() {
	[ $# -gt 0 ] || set -- 0 8 2 1 3 4
	header "program (mvneta_xdp_perf_autotest, 64 B)"
	for s in "$@"; do
		XDP_PERF_ONLY=$s XDP_PERF_BURSTS=$bursts valgrind \
			--tool=callgrind --callgrind-out-file="$out/cg.$s" \
			--toggle-collect=mvneta_xdp_rx_burst \
			"$build/test/dpdk-xdp-test" mvneta_xdp_perf_autotest \
			>"$out/log.$s" 2>&1
		[ -n "${mem:-}" ] || mem=$(grep '^EAL memory' "$out/log.$s" || true)
		# 5 runs of a warm-up and a measurement, 32 frames a burst.
		f=$((bursts * 10 * 32))
		n=$(awk -v f=$f '/^summary:/ { printf "%.2f", $2 / f }' \
			"$out/cg.$s")
		case $s in
		0) row "none" none "$n" ;;
		1) row "XDP_PASS (xdp_verdict)" pass "$n"
			# the runner less the program (JIT code and helpers)
			shim=$(echo "($(incl "$out/cg.$s" 'rte_xdp_prog_run_burst ') - $(incl "$out/cg.$s" '[?][?][?]:0x[0-9a-f]+ [[][?][?][?][]]'))/$f" | bc -l) ;;
		2) row "the kernel's xdp1 (XDP_DROP)" xdp1 "$n" ;;
		3) row "XDP_TX (xdp2)" tx "$n" ;;
		4) row "XDP_REDIRECT devmap (xdp_redirect_map)" redirect "$n" ;;
		8) row "constant XDP_DROP (xdp_drop)" drop "$n" ;;
		*) row "scenario $s" "" "$n" ;;
		esac
	done
	echo
	[ -z "${shim:-}" ] ||
		printf 'XDP_PASS: the runner'"'"'s own share (rte_xdp_prog_run_burst less the program): %.1f instructions per frame (goal: at most 20).\n' "$shim"
	echo "${mem:-EAL memory: see eal-mem.sh}"
}

# One testpmd run under callgrind; prints instructions per received frame.
testpmd_run() {
	name=$1
	shift
	{
		sleep 20	# valgrind starts slowly
		echo "start"
		sleep 20
		echo "stop"
		echo "show port stats 0"
		echo "quit"
	} | valgrind --tool=callgrind --callgrind-out-file="$out/tp.$name" \
		--toggle-collect=mvneta_xdp_rx_burst \
		dpdk-testpmd $(eal_mem_args ci$$ 256) --no-pci -l 0,1 \
		--log-level=lib.eal:error \
		-d "$build/drivers/librte_net_mvneta_xdp.so" \
		--vdev "net_mvneta_xdp0,backend=gen$*" \
		-- -i --total-num-mbufs=8192 --forward-mode=rxonly --burst=32 \
		>"$out/tp.$name.log" 2>&1 || true
	frames=$(awk '/RX-packets:/ { v = $2 } END { print v + 0 }' \
		"$out/tp.$name.log")
	if [ "$frames" -eq 0 ]; then
		echo "testpmd $name: no frames received (log follows)" >&2
		cat "$out/tp.$name.log" >&2
		exit 1
	fi
	awk -v f="$frames" '/^summary:/ { printf "%.2f", $2 / f }' \
		"$out/tp.$name"
}

testpmd_rows() {
	bpf=$build/test/bpf
	header "program (dpdk-testpmd rxonly, gen backend, 64 B)"
	row "none" none "$(testpmd_run none)"
	row "constant XDP_PASS (xdp_pass)" pass \
		"$(testpmd_run pass ",xdp_prog=$bpf/xdp_pass_v3.o")"
	row "constant XDP_DROP (xdp_drop)" drop \
		"$(testpmd_run drop ",xdp_prog=$bpf/driver/xdp_drop.o")"
	row "the kernel's xdp1 (XDP_DROP)" xdp1 \
		"$(testpmd_run xdp1 ",xdp_prog=$bpf/driver/xdp1.o")"
	row "XDP_TX (xdp2)" tx \
		"$(testpmd_run xdp2 ",xdp_prog=$bpf/driver/xdp2.o")"
	echo
	echo "EAL memory: $(eal_mem_kind 256)"
}

if [ $testpmd = 1 ]; then
	testpmd_rows
else
	autotest "$@"
fi
