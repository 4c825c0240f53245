#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# trace_xdp_exception read back from a real trace. xdp_abort drops every
# frame as XDP_ABORTED, or as the invalid verdict 7 when the last byte of
# its IPv4 destination is odd. It runs under --trace on frames replayed
# from pcap files, natively (two net_mvneta_xdp ports with two RX queues
# each, in dpdk-testpmd) and generically (dpdk-xdp-fwd --mode generic);
# babeltrace reads the CTF trace, and there must be one xdp_exception
# event per frame, with its port, queue and verdict, as many as the
# ports' counters say.
set -eu
. "$(dirname "$0")/lib.sh"

command -v babeltrace >/dev/null ||
	skip "babeltrace not installed (devtools/setup.sh installs it)"
PROG=$BUILD/test/bpf/driver/xdp_abort.o
FWD=$BUILD/examples/dpdk-xdp-fwd
[ -f "$PROG" ] || skip "BPF test objects not built (clang missing?)"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# mkpcap FILE DST_MAC N: N IPv4/UDP frames to 198.19.0.i (i = 0..N-1).
mkpcap() {
	python3 - "$@" <<'EOF'
import struct, sys
path, mac, n = sys.argv[1], bytes.fromhex(sys.argv[2].replace(':', '')), int(sys.argv[3])
with open(path, 'wb') as f:
    f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for i in range(n):
        ip = bytes([0x45, 0, 0, 46, 0, 0, 0, 0, 64, 17, 0, 0,
                    10, 0, 0, 1, 198, 19, (i >> 8) & 255, i & 255])
        udp = struct.pack('>HHHH', 1024 + i, 9, 26, 0)
        frame = mac + bytes.fromhex('020000000099') + b'\x08\x00' + ip + udp + bytes(18)
        f.write(struct.pack('<IIII', 0, i, len(frame), len(frame)) + frame)
EOF
}

# events DIR: "TRACEPOINT PORT QUEUE VERDICT COUNT" lines, from the trace
# under DIR (fields printed in hex by babeltrace).
events() {
	meta=$(find "$1" -name metadata | head -n 1)
	[ -n "$meta" ] || { echo "no trace under $1"; return; }
	babeltrace "$(dirname "$meta")" | awk '
	function hex(s,   i, v) {
		v = 0
		s = tolower(s)
		sub(/^0x/, "", s)
		for (i = 1; i <= length(s); i++)
			v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return v
	}
	function field(name,   m) {
		if (!match($0, name " = 0x[0-9a-fA-F]+"))
			return -1
		m = substr($0, RSTART, RLENGTH)
		sub(/.* = /, "", m)
		return hex(m)
	}
	/xdp_exception:/ {
		tp = $0
		sub(/: \{.*/, "", tp)
		sub(/.* /, "", tp)
		n[tp " " field("port_id") " " field("queue_id") " " field("act")]++
	}
	END { for (k in n) print k, n[k] }'
}

# count FILE [TRACEPOINT [PORT [QUEUE [VERDICT]]]]: events matching.
count() {
	awk -v tp="${2-}" -v p="${3-}" -v q="${4-}" -v a="${5-}" '
	(tp == "" || $1 == tp) && (p == "" || $2 == p) &&
	(q == "" || $3 == q) && (a == "" || $4 == a) { s += $5 }
	END { print s + 0 }' "$1"
}

# xstat LOG PORT NAME: the last value testpmd's "show port xstats PORT"
# printed.
xstat() {
	awk -v p="$2" -v x="$3" '
	/NIC extended statistics for port/ { cur = $NF }
	cur == p && $1 == x ":" { v = $2 }
	END { print v }' "$1"
}

# wait_for SECONDS CONDITION...: poll until the command succeeds.
wait_for() {
	n=$(($1 * 4))
	shift
	until "$@"; do
		n=$((n - 1))
		[ $n -gt 0 ] || return 1
		sleep 0.25
	done
}

NB0=300 NB1=201
M0=02:00:00:00:0e:00 M1=02:00:00:00:0e:01
mkpcap "$tmp/p0.pcap" $M0 $NB0
mkpcap "$tmp/p1.pcap" $M1 $NB1
TP=pmd.net.mvneta_xdp.xdp_exception

# Native: testpmd, rxonly, two queues a port (RSS spreads the frames),
# driven through a FIFO until the programs have run on every frame.
all_aborted() {
	kill -0 $testpmd 2>/dev/null || return 0	# it is gone: stop waiting
	echo "show port xstats all" >&3
	[ "$(xstat "$tmp/native.log" 0 rx_xdp_aborted)" = $NB0 ] &&
		[ "$(xstat "$tmp/native.log" 1 rx_xdp_aborted)" = $NB1 ]
}
trap '' PIPE	# a testpmd that died early: its status says why
mkfifo "$tmp/cmd"
timeout 120 stdbuf -oL "$TESTPMD" $(eal_args xexc) -l 0,1 \
	--trace='pmd\.net\.mvneta_xdp\.' --trace-dir="$tmp/native" \
	--vdev "net_mvneta_xdp0,rx_pcap=$tmp/p0.pcap,mac=$M0,xdp_prog=$PROG" \
	--vdev "net_mvneta_xdp1,rx_pcap=$tmp/p1.pcap,mac=$M1,xdp_prog=$PROG" \
	-- -i --total-num-mbufs=16384 --forward-mode=rxonly --rxq=2 --txq=2 \
	<"$tmp/cmd" >"$tmp/native.log" 2>&1 &
testpmd=$!
exec 3>"$tmp/cmd"
echo start >&3
wait_for 60 all_aborted || echo "note: not every frame reached the program"
printf '%s\n' stop "show port xstats 0" "show port xstats 1" quit >&3 || true
exec 3>&-
wait $testpmd || { cat "$tmp/native.log"; fail "testpmd exited with an error"; }
events "$tmp/native" >"$tmp/native.ev"
echo "native: events (trace point, port, queue, verdict, count):"
sort "$tmp/native.ev" | sed 's/^/  /'
for p in 0 1; do
	eval nb=\$NB$p
	for x in rx_xdp_aborted rx_xdp_drop; do
		[ "$(xstat "$tmp/native.log" $p $x)" = "$nb" ] ||
			{ cat "$tmp/native.log"; fail "port $p: $x is not the $nb frames of its pcap"; }
	done
	for q in 0 1; do
		want=$(xstat "$tmp/native.log" $p rx_q${q}_xdp_aborted)
		got=$(count "$tmp/native.ev" $TP $p $q)
		[ "$got" = "$want" ] ||
			fail "port $p queue $q: $got $TP events, rx_q${q}_xdp_aborted $want"
	done
	got=$(count "$tmp/native.ev" $TP $p "" 7)
	[ "$got" -eq $((nb / 2)) ] ||
		fail "port $p: $got events with verdict 7, $((nb / 2)) frames had an odd destination"
	got=$(count "$tmp/native.ev" $TP $p "" 0)
	[ "$got" -eq $((nb - nb / 2)) ] ||
		fail "port $p: $got events with verdict 0 (XDP_ABORTED), $((nb - nb / 2)) expected"
done
[ "$(count "$tmp/native.ev")" -eq $((NB0 + NB1)) ] ||
	fail "native: events for other ports or trace points"
[ "$(count "$tmp/native.ev" "" "" 1)" -ne 0 ] ||
	echo "note: RSS kept every frame on queue 0"
echo "PASS: native: $((NB0 + NB1)) xdp_exception events = rx_xdp_aborted, per port, queue and verdict"

# Generic: dpdk-xdp-fwd runs the program from an RX callback.
TP=lib.xdp_compat.xdp_exception
"$FWD" $(eal_args xexcg) \
	--trace='lib\.xdp_compat\.' --trace-dir="$tmp/generic" \
	--vdev "net_mvneta_xdp0,rx_pcap=$tmp/p0.pcap,mac=$M0" \
	-- --prog "$PROG" --sec xdp_abort --mode generic --no-tap \
	--routes /dev/null --stats 0 >"$tmp/generic.log" 2>&1 &
fwd=$!
# Set up once it prints its FIB; the 300 frames take far less than 2 s.
wait_for 60 grep -q "^FIB:" "$tmp/generic.log" ||
	echo "note: dpdk-xdp-fwd is slow to start"
sleep 2
kill -INT $fwd
rc=0
wait $fwd || rc=$?
[ $rc -eq 0 ] && grep -q "^Summary after" "$tmp/generic.log" ||
	{ cat "$tmp/generic.log"; fail "dpdk-xdp-fwd: status $rc"; }
events "$tmp/generic" >"$tmp/generic.ev"
echo "generic: events (trace point, port, queue, verdict, count):"
sort "$tmp/generic.ev" | sed 's/^/  /'
grep -q "port 0 .* rx $NB0 pass 0 drop $NB0 " "$tmp/generic.log" ||
	{ cat "$tmp/generic.log"; fail "generic: port 0 did not drop its $NB0 frames"; }
[ "$(count "$tmp/generic.ev" $TP 0 0)" -eq $NB0 ] ||
	fail "generic: $(count "$tmp/generic.ev" $TP 0 0) $TP events for port 0 queue 0, $NB0 frames dropped"
[ "$(count "$tmp/generic.ev" $TP 0 0 7)" -eq $((NB0 / 2)) ] ||
	fail "generic: $(count "$tmp/generic.ev" $TP 0 0 7) events with verdict 7, $((NB0 / 2)) expected"
[ "$(count "$tmp/generic.ev")" -eq $NB0 ] ||
	fail "generic: events for other ports, queues or trace points"
echo "PASS: generic: $NB0 xdp_exception events = frames dropped, per verdict"
