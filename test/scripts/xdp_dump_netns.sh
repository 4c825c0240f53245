#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# dpdk-xdp dump, xdpdump for DPDK: stock dpdk-testpmd is the primary,
# its port net_mvneta_xdp0 on the AF_PACKET backend (iface=) on a veth
# whose peer is in a network namespace; pings from there go through
# xdp_echo_ttl (test/bpf), which sets the TTL of echo requests to 7 and
# drops every other one. A secondary dpdk-xdp captures at entry and exit
# into pcapng; tshark reads back each echo twice: the entry copy with
# TTL 64, the exit copy with TTL 7 and the verdict in its comment,
# XDP_DROP for every other one. Bad input: a port without a program, a
# second capture on a port, an unwritable file; a killed dump (the next
# one works, the capture pool is back to its full count); the primary
# exiting under a dump (it says so, the file is valid).
set -eu
. "$(dirname "$0")/lib.sh"

need_root "network namespaces and AF_PACKET"
emulator_lacks "does not emulate the AF_PACKET socket options (SOL_PACKET) the iface= backend sets"
need_hugepages "a secondary process attaches to the primary" 256
command -v ip >/dev/null && command -v ping >/dev/null ||
	skip_privileged "iproute2 or ping not installed"
command -v tshark >/dev/null ||
	skip_privileged "tshark not installed (devtools/setup.sh installs it)"
XDP=$BUILD/app/dpdk-xdp/dpdk-xdp
OBJ=$BUILD/test/bpf/xdp_echo_ttl_v3.o
[ -r "$OBJ" ] || skip "BPF test objects not built (clang?)"

pfx=xdump$$
ns=mvd$$
host=mvda$$
peer=mvdb$$
tmp=$(mktemp -d)
tpid=
cleanup() {
	exec 3>&- 2>/dev/null || true
	[ -z "$tpid" ] || kill "$tpid" 2>/dev/null || true
	[ -z "$tpid" ] || wait "$tpid" 2>/dev/null || true
	eal_mem_cleanup "$pfx"
	ip netns del "$ns" 2>/dev/null || true
	ip link del "$host" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

ip netns add "$ns" 2>/dev/null ||
	skip_privileged "cannot create a network namespace"
ip link add "$host" type veth peer name "$peer" netns "$ns"
# no IPv6 chatter (router solicitations): the echoes are all there is
sysctl -qw "net.ipv6.conf.$host.disable_ipv6=1"
ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$peer.disable_ipv6=1"
ip link set "$host" up
ip netns exec "$ns" ip link set lo up
ip netns exec "$ns" ip link set "$peer" up
ip netns exec "$ns" ip addr add 192.0.2.1/24 dev "$peer"
mac=$(cat "/sys/class/net/$host/address")
ip netns exec "$ns" ip neigh add 192.0.2.2 lladdr "$mac" dev "$peer"

out=$tmp/tp.out
mkfifo "$tmp/in"
stdbuf -oL "$TESTPMD" $(eal_mem_args "$pfx" 256 shared) --no-pci -l 0,1 \
	-d "$PMD" --vdev "net_mvneta_xdp0,iface=$host" -- -i \
	--total-num-mbufs=16384 --forward-mode=rxonly <"$tmp/in" >"$out" 2>&1 &
tpid=$!
exec 3>"$tmp/in"
# testpmd COMMAND: typed at its prompt; waits for the next prompt.
testpmd() {
	n=$(grep -c "testpmd> " "$out" || true)
	echo "$*" >&3
	for _ in $(seq 300); do
		[ "$(grep -c "testpmd> " "$out")" -gt "$n" ] && return 0
		kill -0 "$tpid" 2>/dev/null || { cat "$out"; fail "testpmd exited"; }
		sleep 0.1
	done
	cat "$out"
	fail "testpmd did not answer: $*"
}
for _ in $(seq 300); do
	grep -q "testpmd> " "$out" && break
	kill -0 "$tpid" 2>/dev/null || { cat "$out"; fail "testpmd exited"; }
	sleep 0.1
done
testpmd "start"

xdp() {
	"$XDP" -P "$pfx" "$@"
}
# expect_fail TEXT CMD...: fails, saying TEXT
expect_fail() {
	text=$1
	shift
	if "$@" >"$tmp/err" 2>&1; then
		cat "$tmp/err"
		fail "succeeded: $*"
	fi
	grep -qF -- "$text" "$tmp/err" ||
		{ cat "$tmp/err"; fail "'$*' did not say '$text'"; }
}
# dump_bg ARGS...: a dump in the background, once it listens
dump_bg() {
	"$XDP" -P "$pfx" dump "$@" 2>"$tmp/dump.err" &
	dpid=$!
	for _ in $(seq 100); do
		grep -q "listening on" "$tmp/dump.err" && return 0
		kill -0 "$dpid" 2>/dev/null ||
			{ cat "$tmp/dump.err"; fail "dump exited: $*"; }
		sleep 0.1
	done
	fail "dump did not start: $*"
}
pings() {
	ip netns exec "$ns" ping -q -c "$1" -i 0.1 -W 1 192.0.2.2 \
		>/dev/null 2>&1 || true
}

# bad input before a program is there
expect_fail "no XDP program attached" xdp dump -i net_mvneta_xdp0 -w "$tmp/x.pcapng" -c 1
expect_fail "invalid devname nosuch" xdp dump -i nosuch -c 1
expect_fail "--rx-capture: entry, exit or entry,exit" xdp dump -i 0 --rx-capture middle
xdp dump --list-interfaces | grep -q "net_mvneta_xdp0 *<No XDP program loaded!>" ||
	fail "--list-interfaces: the port without a program"

xdp prog load "$OBJ" /echo_ttl
xdp net attach xdpdrv pinned /echo_ttl dev net_mvneta_xdp0
xdp dump --list-interfaces | grep -q "net_mvneta_xdp0 *xdp_echo_ttl() (id [0-9]*, native)" ||
	fail "--list-interfaces: the port's program"
expect_fail "cannot write $tmp/no/such/dir/f.pcapng" \
	xdp dump -i net_mvneta_xdp0 -w "$tmp/no/such/dir/f.pcapng" -c 1

# 10 echoes, each captured at entry and exit
n=10
dump_bg -i net_mvneta_xdp0 --rx-capture entry,exit -w "$tmp/f.pcapng" -c $((2 * n))
expect_fail "already running" xdp dump -i 0 -w "$tmp/y.pcapng" -c 1
pings $n
for _ in $(seq 100); do
	kill -0 "$dpid" 2>/dev/null || break
	sleep 0.1
done
kill -0 "$dpid" 2>/dev/null && { kill "$dpid"; cat "$tmp/dump.err"; fail "dump did not end after $((2 * n)) frames"; }
wait "$dpid" || { cat "$tmp/dump.err"; fail "dump failed"; }
grep -q "^$((2 * n)) packets captured" "$tmp/dump.err" ||
	{ cat "$tmp/dump.err"; fail "dump's count"; }
tshark -r "$tmp/f.pcapng" -Y icmp.type==8 -T fields -e icmp.seq -e ip.ttl \
	-e frame.comment -e frame.interface_name >"$tmp/f.txt" 2>"$tmp/tshark.err" ||
	{ cat "$tmp/tshark.err"; fail "tshark cannot read the capture"; }
python3 - "$tmp/f.txt" "$n" <<'PY' || { cat "$tmp/f.txt"; fail "the capture"; }
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
n = int(sys.argv[2])
assert len(rows) == 2 * n, f"{len(rows)} frames, expected {2 * n}"
drops = 0
for i in range(0, 2 * n, 2):
    (seq_in, ttl_in, c_in, if_in), (seq_out, ttl_out, c_out, if_out) = rows[i], rows[i + 1]
    assert seq_in == seq_out, f"echo {seq_in} then {seq_out}"
    assert ttl_in == "64" and "xdp_echo_ttl()@entry" in c_in, rows[i]
    assert ttl_out == "7" and "xdp_echo_ttl()@exit" in c_out, rows[i + 1]
    assert "action: 1[XDP_DROP]" in c_out or "action: 2[XDP_PASS]" in c_out, c_out
    drops += "XDP_DROP" in c_out
assert drops == n // 2, f"{drops} of {n} dropped, expected every other one"
print(f"PASS: {n} echoes captured at entry (TTL 64) and exit (TTL 7), {drops} XDP_DROP")
PY

# -w - to a pipe, -x, -s
xdp dump -i 0 --rx-capture exit -w - -c 2 -s 34 2>/dev/null >"$tmp/s.pcapng" &
dpid=$!
sleep 1
pings 2
wait "$dpid" || fail "dump -w - failed"
tshark -r - -T fields -e frame.len -e frame.cap_len <"$tmp/s.pcapng" >"$tmp/s.txt" ||
	fail "tshark cannot read the capture from stdout"
awk '$1 == 98 && $2 == 34 { k++ } END { exit k == 2 ? 0 : 1 }' "$tmp/s.txt" ||
	{ cat "$tmp/s.txt"; fail "-s 34: 98-byte echoes captured as 34 bytes"; }
"$XDP" -P "$pfx" dump -i 0 -x -c 1 >"$tmp/x.txt" 2>"$tmp/dump.err" &
dpid=$!
sleep 1
pings 1
wait "$dpid" || { cat "$tmp/dump.err"; fail "dump -x failed"; }
# the echo's IPv4 header at 0x000e: version 4, TTL 64, protocol ICMP
grep -q "xdp_echo_ttl()@entry: packet size 98 bytes, captured 98 bytes on port 0" "$tmp/x.txt" &&
	grep -q "^  0x0010:  00 54 .. .. .. .. 40 01 " "$tmp/x.txt" ||
	{ cat "$tmp/x.txt"; fail "dump -x: the line and hex dump of an echo"; }

# a killed dump: its capture ends in the primary, the next one works
dump_bg -i 0 --rx-capture entry,exit -w "$tmp/k.pcapng"
pings 2
kill -9 "$dpid"
wait "$dpid" 2>/dev/null || true
for _ in $(seq 50); do
	grep -q "capture on port 0 ended" "$out" && break
	sleep 0.1
done
grep "capture on port 0 ended" "$out" | tail -1 | grep -q "pool \([0-9]*\)/\1$" ||
	{ cat "$out"; fail "after kill -9: the capture pool is not back to full count"; }
dump_bg -i 0 -w "$tmp/n.pcapng" -c 1
pings 1
wait "$dpid" || { cat "$tmp/dump.err"; fail "the next dump after kill -9"; }

# the primary exits under a dump: the dump says so, the file is valid
dump_bg -i 0 -w "$tmp/p.pcapng"
pings 2
echo "quit" >&3
wait "$tpid" 2>/dev/null || true
tpid=
for _ in $(seq 100); do
	kill -0 "$dpid" 2>/dev/null || break
	sleep 0.1
done
kill -0 "$dpid" 2>/dev/null && { kill "$dpid"; fail "dump did not end with the primary"; }
wait "$dpid" || true
grep -q "capture ended" "$tmp/dump.err" ||
	{ cat "$tmp/dump.err"; fail "dump did not say the capture ended"; }
tshark -r "$tmp/p.pcapng" >/dev/null ||
	fail "the file of a dump whose primary exited is not valid"
echo "PASS: dump: bad input refused, killed dump cleaned up, primary exit handled"
