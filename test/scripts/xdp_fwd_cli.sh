#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# dpdk-xdp-fwd and dpdk-xdpsock without privileges or namespaces: the
# command line, exit statuses and error messages a user acts on; a pcap
# replay through xdp-fwd (native and generic, no TAP); xdpsock's three
# modes in native and generic XDP on generator and null ports.
set -eu
here=$(dirname "$0")
. "$here/lib.sh"
. "$here/xdp_fwd_lib.sh"

FWD=$BUILD/examples/dpdk-xdp-fwd
XSK=$BUILD/examples/dpdk-xdpsock
[ -x "$FWD" ] && [ -x "$XSK" ] || skip "examples not built"
[ -r "$BUILD/examples/xdp-fwd/xdp_fwd.o" ] || skip "BPF objects not built (clang?)"
command -v python3 >/dev/null || skip "python3 not installed"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
eal() {
	n=$((n + 1))
	echo "$(eal_mem_args "xcli$$_$n") --no-pci --log-level=lib.eal:error -l 0,1"
}

# expect STATUS PATTERN CMD...: exit status and a line of the output
expect() {
	want=$1 pat=$2
	shift 2
	rc=0
	timeout 60 "$@" >"$tmp/out" 2>&1 || rc=$?
	[ "$rc" -eq "$want" ] && grep -q -- "$pat" "$tmp/out" ||
		{ cat "$tmp/out"; fail "exit $rc (want $want) or no '$pat': $*"; }
}

expect 0 "Examples:" "$FWD" $(eal) -- --help
expect 2 "unrecognized option" "$FWD" $(eal) -- --bogus
expect 2 "no routes: give --routes" "$FWD" $(eal) -- --no-tap
expect 2 "cannot go with --no-tap" "$FWD" $(eal) -- --no-tap --routes-from-kernel
expect 2 "auto, native or generic" "$FWD" $(eal) -- --mode fast --routes x
expect 3 "no ports: give them to EAL" "$FWD" $(eal) -- --routes /dev/null --no-tap
expect 3 "cannot open /nonexistent.o" "$FWD" $(eal) --vdev net_null0 -- \
	--prog /nonexistent.o --routes /dev/null --no-tap
printf 'route 10.0.0.0/8 dev xfwd0\nroute 10.1.0.0/16 dev nowhere\n' >"$tmp/bad.conf"
expect 3 "bad.conf:2: no interface 'nowhere'" "$FWD" $(eal) --vdev net_null0 -- \
	--routes "$tmp/bad.conf" --no-tap
expect 3 "is not a net_mvneta_xdp port" "$FWD" $(eal) --vdev net_null0 -- \
	--routes /dev/null --no-tap --mode native
expect 0 "Examples:" "$XSK" $(eal) -- --help
expect 2 "bad value '7' for -s" "$XSK" $(eal) -- -s 7
expect 3 "no port 0" "$XSK" $(eal) -- -r
expect 3 "has no native XDP" "$XSK" $(eal) --vdev net_null0 -- -N -d 1
echo "PASS: command lines and errors"

# pcap replay, no TAP: the expected frames out of port 1
pkt_tool "$tmp/pkt.py"
PKT="python3 $tmp/pkt.py"
M0=02:00:00:00:01:00 M1=02:00:00:00:01:01
$PKT mkpcap "$tmp/in.pcap" "$tmp/expect.pcap" $M0 $M1 $MAC_B >/dev/null
python3 -c "import struct,sys; open(sys.argv[1],'wb').write(struct.pack('<IHHiIII',0xa1b2c3d4,2,4,0,0,65535,1))" "$tmp/empty.pcap"
cat >"$tmp/routes.conf" <<EOF
addr 10.1.0.1 dev xfwd0
route 10.1.0.0/24 dev xfwd0
route 10.2.0.0/24 dev xfwd1
route 10.3.0.0/24 dev xfwd1 mtu 1000
route 2001:db8:2::/64 dev xfwd1
neigh 10.2.0.2 lladdr $MAC_B dev xfwd1
neigh 2001:db8:2::2 lladdr $MAC_B dev xfwd1
EOF
for mode in native generic; do
	rm -f "$tmp/out1.pcap"
	rc=0
	# timeout says 124 when its SIGINT ended the run
	timeout -s INT 3 "$FWD" $(eal) \
		--vdev "net_mvneta_xdp0,rx_pcap=$tmp/in.pcap,tx_pcap=$tmp/out0.pcap,mac=$M0" \
		--vdev "net_mvneta_xdp1,rx_pcap=$tmp/empty.pcap,tx_pcap=$tmp/out1.pcap,mac=$M1" \
		-- --routes "$tmp/routes.conf" --no-tap --mode $mode --stats 0 \
		>"$tmp/fwd.log" 2>&1 || rc=$?
	[ $rc -eq 124 ] && grep -q "^Summary after" "$tmp/fwd.log" ||
		{ cat "$tmp/fwd.log"; fail "xdp-fwd $mode: status $rc"; }
	$PKT cmp "$tmp/out1.pcap" "$tmp/expect.pcap" >/dev/null ||
		{ cat "$tmp/fwd.log"; $PKT cmp "$tmp/out1.pcap" "$tmp/expect.pcap"; fail "pcap replay, $mode"; }
	grep -q "outcomes: forwarded 32 " "$tmp/fwd.log" ||
		{ cat "$tmp/fwd.log"; fail "pcap replay outcomes, $mode"; }
	echo "PASS: pcap replay, $mode: $(grep outcomes "$tmp/fwd.log" | sed 's/^ *//')"
done

# xdpsock: "Summary after T s: rx R (..), tx T (..)"
xsk() {
	what=$1
	shift
	timeout 30 "$XSK" $(eal) "$@" -d 1 -Q >"$tmp/xsk.log" 2>&1 ||
		{ cat "$tmp/xsk.log"; fail "xdpsock $what"; }
	rx=$(awk '/^Summary/ { print $6 }' "$tmp/xsk.log")
	tx=$(awk '/^Summary/ { print $10 }' "$tmp/xsk.log")
	echo "xdpsock $what: rx $rx tx $tx"
}
gen="--vdev net_mvneta_xdp0,backend=gen,flows=8"
xsk "rxdrop native" $gen -- -r -N
[ "$rx" -gt 1000 ] || fail "rxdrop native received $rx"
xsk "rxdrop generic" $gen -- -r -S
[ "$rx" -gt 1000 ] || fail "rxdrop generic received $rx"
xsk "l2fwd native" $gen -- -l -N
[ "$rx" -gt 1000 ] && [ "$tx" -eq "$rx" ] || fail "l2fwd native: rx $rx tx $tx"
xsk "txonly generic" --vdev net_null0 -- -t
[ "$tx" -gt 1000 ] || fail "txonly generic sent $tx"
xsk "l2fwd generic" --vdev net_null0 -- -l
[ "$rx" -gt 1000 ] && [ "$tx" -eq "$rx" ] || fail "l2fwd generic: rx $rx tx $tx"
echo "PASS: xdp_fwd_cli"
