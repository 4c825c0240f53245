#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# dpdk-xdp-fwd and dpdk-xdpsock without privileges or namespaces: the
# command line, exit statuses and error messages a user acts on; a pcap
# replay through xdp-fwd (native and generic, no TAP); xdpsock's three
# modes in native and generic XDP on generator and null ports. As root,
# in a network namespace of its own, with TAPs: a routes file error exits
# cleanly, and a routes file's addresses go on the TAPs and are removed;
# on a veth end: the warnings about what the kernel does with its frames.
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
trap 'rm -rf "$tmp"; eal_dirs_rm "xcli$$_"' EXIT
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

# With TAPs (root, /dev/net/tun), each run in a network namespace of its
# own (unshare -n): nothing to clash with, nothing left behind.
if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ] ||
   ! command -v unshare >/dev/null || ! command -v ip >/dev/null; then
	echo "skipped: TAP cases (need root, /dev/net/tun, unshare, ip)"
else
	# a routes error after the TAPs were made: stopped before closed
	expect 3 "bad.conf:2: no interface 'nowhere'" unshare -n "$FWD" $(eal) \
		--vdev net_null0 --vdev net_null1 -- --routes "$tmp/bad.conf"
	! grep "Cannot close" "$tmp/out" ||
		{ cat "$tmp/out"; fail "routes error with TAPs: a device closed while started"; }
	echo "PASS: routes error with TAPs, clean exit"

	# for the scripts below: fwd_start LOG ARGS... starts dpdk-xdp-fwd
	# in the background ($!) and waits for its set-up
	cat >"$tmp/fwd_start.sh" <<EOF
fwd_start() {
	log=\$1
	shift
	"$FWD" $(eal) "\$@" >"\$log" 2>&1 &
	n=0
	until grep -q "^FIB:" "\$log"; do
		n=\$((n + 1))
		[ \$n -lt 300 ] && kill -0 \$! 2>/dev/null || exit 9
		sleep 0.1
	done
}
EOF

	# the file's addresses: the longest connected route through the
	# same port gives the prefix, else a host prefix; a repeated one
	# is added once; all removed at SIGTERM
	cat >"$tmp/addr.conf" <<EOF
addr 10.1.0.1 dev xfwd0
addr 10.1.0.1 dev xfwd0
addr 10.1.0.129 dev xfwd0
addr 2001:db8::1 dev xfwd1
addr 192.0.2.1 dev xfwd1
route 10.1.0.0/16 dev xfwd0
route 10.1.0.0/24 dev xfwd0
route 10.1.0.128/25 via 10.1.0.2 dev xfwd0
route 2001:db8::/48 dev xfwd1
route 2001:db8::/32 dev xfwd0
route 192.0.2.0/24 dev xfwd0
EOF
	cat >"$tmp/addr.sh" <<EOF
. "$tmp/fwd_start.sh"
fwd_start "$tmp/addr.log" --vdev net_null0 --vdev net_null1 -- \\
	--routes "$tmp/addr.conf" -q
ip -br addr show >"$tmp/addr.during"
kill -TERM \$!
wait \$!
EOF
	rc=0
	unshare -n sh "$tmp/addr.sh" || rc=$?
	[ $rc -eq 0 ] && grep -q "^Summary after" "$tmp/addr.log" ||
		{ cat "$tmp/addr.log"; fail "addresses on TAPs: status $rc after SIGTERM"; }
	for want in "^xfwd0 .* 10.1.0.1/24 10.1.0.129/24 " \
		"^xfwd1 .* 192.0.2.1/32 2001:db8::1/48 "; do
		grep -q "$want" "$tmp/addr.during" ||
			{ cat "$tmp/addr.log" "$tmp/addr.during"; fail "addresses on TAPs: no '$want'"; }
	done
	n=$(grep -c "^tap xfwd.: address" "$tmp/addr.log" || true)
	[ "$n" -eq 4 ] && ! grep -q "cannot remove" "$tmp/addr.log" ||
		{ cat "$tmp/addr.log"; fail "addresses on TAPs: $n added (want 4), or not removed"; }
	echo "PASS: routes file addresses on TAPs"
fi

if [ -n "${XDP_TEST_EMULATOR:-}" ]; then
	echo "skipped: kernel interface checks ($XDP_TEST_EMULATOR does not emulate AF_PACKET's socket options)"
elif [ -f "$tmp/fwd_start.sh" ]; then	# the TAP cases ran
	# a port on a kernel interface the kernel also handles: one warning
	# per hazard, with its sysctl, also for one that appears while it
	# runs (forwarding turned on); none once the interface is set as the
	# guide says
	cat >"$tmp/wire.sh" <<EOF
ip link add xcw0 type veth peer name xcw1
ip link set xcw0 up
ip link set xcw1 up
sysctl -q -w net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.xcw0.rp_filter=0
. "$tmp/fwd_start.sh"
fwd() {
	fwd_start "\$1" --vdev net_af_packet0,iface=xcw0 -- --no-tap \\
		--routes /dev/null --stats 0
}
fwd "$tmp/wire1.log"
sysctl -q -w net.ipv4.conf.xcw0.forwarding=1
sleep 2
kill -INT \$!
wait \$! || exit
sysctl -q -w net.ipv4.conf.xcw0.forwarding=0 \\
	net.ipv6.conf.xcw0.disable_ipv6=1 net.ipv4.conf.xcw0.rp_filter=1
fwd "$tmp/wire2.log"
sleep 1.5
kill -INT \$!
wait \$!
EOF
	rc=0
	unshare -n sh "$tmp/wire.sh" || rc=$?
	[ $rc -eq 0 ] || { cat "$tmp/wire1.log" "$tmp/wire2.log"; fail "kernel interface checks: status $rc"; }
	for want in "IPv6 is enabled on it.*net.ipv6.conf.xcw0.disable_ipv6=1" \
		"IPv4 forwarding is on on it.*net.ipv4.conf.xcw0.forwarding=0" \
		"answers for the router's IPv4 addresses.*net.ipv4.conf.xcw0.rp_filter=1"; do
		[ "$(grep -c "^warning: port 0 (net_af_packet0): .*$want" "$tmp/wire1.log")" -eq 1 ] ||
			{ cat "$tmp/wire1.log"; fail "kernel interface checks: not one '$want'"; }
	done
	! grep "warning" "$tmp/wire2.log" ||
		fail "kernel interface checks: warnings with the guide's settings"
	echo "PASS: kernel interface checks"
fi

# interrupt PID: SIGINT, and the process gone within 20 s. qemu-user
# 7.2 loses now and then a signal sent to a multi-threaded emulated
# process (dpdk-xdp-fwd then forwards on; the second one is taken): under
# emulation it is sent again, up to three times.
interrupt() {
	for _try in 1 2 3; do
		kill -INT "$1" 2>/dev/null || return 0
		_n=0
		while kill -0 "$1" 2>/dev/null && [ $_n -lt 200 ]; do
			sleep 0.1
			_n=$((_n + 1))
		done
		kill -0 "$1" 2>/dev/null || return 0
		[ -n "${XDP_TEST_EMULATOR:-}" ] || break
		echo "note: SIGINT lost under ${XDP_TEST_EMULATOR}: sent again"
	done
	kill -9 "$1"
	fail "dpdk-xdp-fwd did not stop on SIGINT"
}

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
	# SIGINT once it forwards (its set-up may take seconds under
	# emulation) and the 32 frames had time to go through
	"$FWD" $(eal) \
		--vdev "net_mvneta_xdp0,rx_pcap=$tmp/in.pcap,tx_pcap=$tmp/out0.pcap,mac=$M0" \
		--vdev "net_mvneta_xdp1,rx_pcap=$tmp/empty.pcap,tx_pcap=$tmp/out1.pcap,mac=$M1" \
		-- --routes "$tmp/routes.conf" --no-tap --mode $mode --stats 0 \
		>"$tmp/fwd.log" 2>&1 &
	fwd=$!
	n=0
	until grep -q "^FIB:" "$tmp/fwd.log" || [ $n -ge 600 ] ||
	    ! kill -0 $fwd 2>/dev/null; do
		sleep 0.1
		n=$((n + 1))
	done
	sleep 2
	interrupt $fwd
	wait $fwd || rc=$?
	[ $rc -eq 0 ] && grep -q "^Summary after" "$tmp/fwd.log" ||
		{ cat "$tmp/fwd.log"; fail "xdp-fwd $mode: status $rc after SIGINT"; }
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
