#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The NIC guide's blocklist in front of a host (doc/guides/nics/
# mvneta_xdp.rst, "Operating a running port"): its console blocks run as
# written there, with names of this run's own. Stock dpdk-testpmd, the
# primary (on hugepages), forwards between a client and a server in
# network namespaces through two net_mvneta_xdp ports on veth pairs
# (iface=, AF_PACKET); dpdk-xdp, a secondary process, loads
# xdp_blocklist into it, attaches it natively to the client's port, and
# puts the client's IPv4 then IPv6 address into the program's maps and
# deletes it again while the client pings. Checked with numbers, phase by
# phase: every ping answered before an entry exists and after it is
# deleted, none while it exists; each entry's count equal to the pings
# lost; the port's rx_xdp_drop (testpmd's telemetry) equal to both counts
# together. Then nothing is left: no program in testpmd, testpmd exited
# with status 0, no namespace, no hugepage file, no runtime directory.
set -eu
. "$(dirname "$0")/lib.sh"

need_root "network namespaces, veth pairs, AF_PACKET"
emulator_lacks "does not emulate the AF_PACKET socket options (SOL_PACKET) the iface= backend sets"
for t in ip ping dpdk-telemetry.py; do
	command -v $t >/dev/null || skip_privileged "$t not installed"
done
[ -r "$BUILD/examples/xdp-blocklist/xdp_blocklist.o" ] ||
	skip_privileged "BPF objects not built (clang?)"
need_hugepages "dpdk-xdp attaches to testpmd as a secondary process" 256

GUIDE=nics/mvneta_xdp.rst
id=$$
pfx=bl$id
tmp=$(mktemp -d)
tpid=
# the hugepage_files test checks this prefix's files are gone
echo "$pfx" >>"$BUILD/hugepage-prefixes"

# block NAME: the guide's block, its names this run's: bl-* (namespaces,
# veth ends), bl (file prefix, pin), blmap_* (hugepage files)
block() {
	rst_block "$GUIDE" "xdp_live_blocklist: $1" |
	sed -e "s/\bbl-/bl$id-/g" -e "s/\bblmap_/${pfx}map_/g" \
		-e "s/\bbl\b/$pfx/g"
}

cleanup() {
	tpid=$(cat "$tmp/testpmd.pid" 2>/dev/null || true)
	if [ -n "$tpid" ] && kill -INT "$tpid" 2>/dev/null; then
		sleep 2
		kill -9 "$tpid" 2>/dev/null || true
	fi
	block cleanup | sh 2>/dev/null || true
	eal_mem_cleanup "$pfx"
	rm -rf "$tmp"
}
trap cleanup EXIT

# The guide's blocks in order, in one shell (testpmd is its $!), each
# output after a "@@ NAME" line; between them what the guide does not
# show: testpmd's pid (for the cleanup, whatever happens), its xstats.
{
	echo 'set -e'
	for b in setup start attach block block6; do
		echo "echo @@ $b"
		block $b
		[ $b != start ] || echo "echo \$! >$tmp/testpmd.pid"
	done
	echo "echo @@ xstats"
	echo "echo /ethdev/xstats,0 | dpdk-telemetry.py -f $pfx"
	for b in stop cleanup; do
		echo "echo @@ $b"
		block $b
	done
} >"$tmp/run.sh"
grep -q "dpdk-testpmd .*--file-prefix $pfx " "$tmp/run.sh" ||
	fail "no testpmd of prefix $pfx in the guide's blocks: $(cat "$tmp/run.sh")"
doc_root "$tmp/root"
# the start block waits for testpmd without a limit: this one
(cd "$tmp/root" && timeout 180 bash "$tmp/run.sh") >"$tmp/out" 2>&1 || {
	cat "$tmp/out" "$tmp/root/testpmd.log"
	fail "the guide's commands failed"
}

# section NAME: what the commands of block NAME printed
section() {
	awk -v s="@@ $1" '$0 == s { on = 1; next } /^@@ / { on = 0 } on' \
		"$tmp/out"
}
whole() {
	cat "$tmp/out"
	fail "$*"
}

# the EAL options of a secondary and -P both reach testpmd: its ports,
# no program before the attach, the blocklist natively on port 0 after
section attach >"$tmp/attach"
grep -q "^net_mvneta_xdp0(2)  (port 0, net_mvneta_xdp, native XDP)$" \
	"$tmp/attach" || whole "net show before the attach"
grep -q "^net_mvneta_xdp0(2) driver id [0-9]*  (port 0," "$tmp/attach" ||
	whole "net show after the attach: no native program on port 0"
echo "PASS: testpmd's ports seen from a secondary; xdp_blocklist attached natively to port 0"

# le_u64 BYTE...: the value of eight hex bytes, little-endian
le_u64() {
	v=0 k=0
	for b in "$@"; do
		v=$((v + (0x$b << (8 * k))))
		k=$((k + 1))
	done
	echo $v
}

# phases NAME ADDRESS: the three pings of a block (open, blocked, open
# again) and the entry's count; prints the count
phases() {
	section "$1" >"$tmp/$1"
	grep "packets transmitted" "$tmp/$1" |
		sed 's/ packets transmitted, \([0-9]*\) received.*/ \1/' \
		>"$tmp/$1.pings"
	[ "$(wc -l <"$tmp/$1.pings")" -eq 3 ] ||
		whole "$1: three pings expected, $(wc -l <"$tmp/$1.pings") ran"
	set -- "$1" "$2" $(cat "$tmp/$1.pings")
	# sent, answered: before, while blocked, after
	[ "$3" -gt 0 ] && [ "$4" -eq "$3" ] ||
		whole "$1: before the entry, $4 of $3 pings answered"
	[ "$5" -gt 0 ] && [ "$6" -eq 0 ] ||
		whole "$1: with the entry, $6 of $5 pings answered (none expected)"
	[ "$7" -gt 0 ] && [ "$8" -eq "$7" ] ||
		whole "$1: after the delete, $8 of $7 pings answered"
	val=$(sed -n 's/^key: .*  value: //p' "$tmp/$1")
	[ "$(grep -c '^key: ' "$tmp/$1")" -eq 1 ] && [ -n "$val" ] ||
		whole "$1: map dump, one entry expected"
	n=$(le_u64 $val)
	[ "$n" -eq "$5" ] ||
		whole "$1: the entry counted $n drops, $5 pings were lost"
	echo "PASS: $2: $3/$4 answered, blocked $5/$6 (counted: $n), then $7/$8" >&2
	echo "$n"
}
n4=$(phases block IPv4)
n6=$(phases block6 IPv6)

# the driver's own count of the frames the program dropped
drop=$(section xstats | sed -n 's/.*"rx_xdp_drop": *\([0-9]*\).*/\1/p')
[ -n "$drop" ] && [ "$drop" -eq $((n4 + n6)) ] ||
	whole "port 0's rx_xdp_drop is '$drop', the entries counted $n4 + $n6"
echo "PASS: port 0 dropped $drop frames (rx_xdp_drop) = $n4 + $n6 counted by the entries"

# the stop block prints nothing: detached, unpinned, no program left
# (prog show), testpmd exited with status 0 (wait $! under set -e)
[ -z "$(section stop)" ] || whole "the stop block printed something"
tpid=$(cat "$tmp/testpmd.pid")
! kill -0 "$tpid" 2>/dev/null || fail "testpmd ($tpid) still runs"
for ns in c s t; do
	! ip netns list | grep -q "^bl$id-$ns\b" || fail "namespace bl$id-$ns left"
done
mnt=$(eal_mem_mount)
! ls "$mnt" | grep -q "^${pfx}map_" || fail "hugepage files of $pfx left in $mnt"
[ ! -e "/var/run/dpdk/$pfx" ] || fail "runtime directory /var/run/dpdk/$pfx left"
echo "PASS: program unloaded, testpmd exited cleanly, namespaces, hugepage files and runtime directory gone"
