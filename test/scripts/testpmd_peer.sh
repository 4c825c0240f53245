#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Unmodified dpdk-testpmd loads the PMD with -d, forwards between two
# peer-wired ports (io mode, --tx-first) and lists the XDP xstats; then
# again with an XDP program (xdp_pass) attached to both ports by devargs,
# every forwarded frame passed by it.
set -eu
. "$(dirname "$0")/lib.sh"

out=$(mktemp)
trap 'rm -f "$out"; eal_mem_cleanup tpeer$$' EXIT
prog=$BUILD/test/bpf/xdp_pass_v3.o

# forward [DEVARGS]: prints the RX packets testpmd forwarded.
forward() {
	# Empty before the pipeline starts: "await" must not find the
	# previous run's output before this testpmd's redirection truncates
	# the file (every command then reached a slow-starting testpmd at
	# once, "stop" right after "start": 64 frames forwarded).
	: >"$out"
	TESTPMD_OUT=$out
	printf '%s\n' "show port info 0" "start tx_first" \
		"await forwards packets on" "await_rx 640" "stop" \
		"show port xstats 0" "quit" | testpmd_script |
		timeout 60 stdbuf -oL "$TESTPMD" $(eal_args tpeer) -l 0,1 \
		--vdev "net_mvneta_xdp0,peer=net_mvneta_xdp1$1" \
		--vdev "net_mvneta_xdp1,peer=net_mvneta_xdp0$1" \
		-- -i --total-num-mbufs=16384 --forward-mode=io >"$out" 2>&1 ||
		{ cat "$out"; fail "testpmd exited with an error"; }
	# Forwarded packets, from testpmd's own accumulated statistics.
	fwd=$(awk '/Accumulated forward statistics/ {f=1} f && /RX-packets:/ {print $2; exit}' "$out")
	[ -n "$fwd" ] || { cat "$out"; fail "no forward statistics"; }
	# The 64 frames of --tx-first went round at least ten times (a
	# loaded or emulated machine may give the forwarding lcore little
	# time: the script waits for the frames, no rate is asked).
	[ "$fwd" -ge 640 ] || { cat "$out"; fail "only $fwd packets forwarded"; }
	grep -q "Link status: up" "$out" || { cat "$out"; fail "link not up"; }
}

forward ""
for x in rx_xdp_redirect rx_xdp_pass rx_xdp_drop rx_xdp_tx rx_xdp_tx_errors \
		tx_xdp_xmit tx_xdp_xmit_errors rx_pp_alloc_fast; do
	grep -q "^ *$x:" "$out" || { cat "$out"; fail "xstat $x not listed"; }
done
echo "PASS: $fwd packets forwarded, XDP xstats listed"

[ -r "$prog" ] || skip "BPF test objects not built (clang missing?)"
forward ",xdp_prog=$prog"
passed=$(awk '$1 == "rx_xdp_pass:" {print $2; exit}' "$out")
[ "${passed:-0}" -gt 0 ] || { cat "$out"; fail "xdp_pass attached by devargs passed no frame"; }
echo "PASS: $fwd packets forwarded through xdp_pass ($passed passed on port 0)"
