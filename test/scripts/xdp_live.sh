#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# A running data plane operated from outside, as bpftool operates the
# kernel: stock dpdk-testpmd (the PMD loaded with -d) is the primary, on
# hugepages, with a native port (net_mvneta_xdp, gen backend) and a port
# of another PMD (net_null); dpdk-xdp is a secondary (-P PREFIX):
#  - net show, prog load with a pin, net attach/detach, native and
#    generic, with the kernel's errors;
#  - xdp1's per-protocol counts read while testpmd receives;
#  - programs swapped under traffic, every frame accounted for: the
#    port's frames = what the programs counted = their verdicts;
#  - statistics (sysctl kernel.bpf_stats_enabled), xlated dumps and test
#    runs of the primary's programs;
#  - a batch of map updates (rate measured), two secondaries updating
#    one map at once;
#  - bad input: malformed objects (the fuzzers' crash inputs), a port or
#    program that is not there, wrong key sizes, a full map, no primary,
#    a primary without the library, a user who may not reach it; a
#    secondary killed mid-command; the primary exiting under a secondary.
set -eu
. "$(dirname "$0")/lib.sh"

need_hugepages "a secondary process attaches to the primary" 256
command -v python3 >/dev/null || skip "python3 not installed"
XDP=$BUILD/app/dpdk-xdp/dpdk-xdp
BPF=$BUILD/test/bpf
[ -r "$BPF/driver/xdp1.o" ] || skip "BPF test objects not built (clang?)"

pfx=xlive$$
tmp=$(mktemp -d)
tpid=
cleanup() {
	exec 3>&- 2>/dev/null || true
	[ -z "$tpid" ] || kill "$tpid" 2>/dev/null || true
	[ -z "$tpid" ] || wait "$tpid" 2>/dev/null || true
	pkill -f "file-prefix $pfx" 2>/dev/null || true
	eal_mem_cleanup "$pfx"
	eal_mem_cleanup "${pfx}n"
	rm -rf "$tmp"
}
trap cleanup EXIT

# start_primary PREFIX OUT [-d PLUGIN]: testpmd, interactive, its commands
# from fd 3 (a FIFO); returns when its prompt is there.
start_primary() {
	p=$1 o=$2
	shift 2
	rm -f "$tmp/in"
	mkfifo "$tmp/in"
	stdbuf -oL "$TESTPMD" $(eal_mem_args "$p" 256 shared) --no-pci -l 0,1 \
		"$@" --vdev net_mvneta_xdp0,backend=gen,flows=8 \
		--vdev net_null0 -- -i --total-num-mbufs=16384 \
		--forward-mode=rxonly <"$tmp/in" >"$o" 2>&1 &
	tpid=$!
	exec 3>"$tmp/in"
	for _ in $(seq 300); do
		grep -q "testpmd> " "$o" && return 0
		kill -0 "$tpid" 2>/dev/null || { cat "$o"; fail "testpmd exited"; }
		sleep 0.1
	done
	cat "$o"
	fail "testpmd did not start"
}

# testpmd COMMAND: typed at its prompt; waits for the next prompt.
testpmd() {
	n=$(grep -c "testpmd> " "$tmp/tp.out" || true)
	echo "$*" >&3
	for _ in $(seq 300); do
		[ "$(grep -c "testpmd> " "$tmp/tp.out")" -gt "$n" ] && return 0
		sleep 0.1
	done
	fail "testpmd did not answer: $*"
}

xdp() {
	"$XDP" -P "$pfx" "$@"
}

# expect_fail STATUS TEXT CMD...: fails with that status, says TEXT
expect_fail() {
	want=$1 text=$2
	shift 2
	set +e
	"$@" >"$tmp/ef.out" 2>&1
	st=$?
	set -e
	[ "$st" -eq "$want" ] && grep -q -- "$text" "$tmp/ef.out" || {
		cat "$tmp/ef.out"
		fail "$*: status $st (want $want), output without '$text'"
	}
}

# xstat PORT NAME: the xstat as testpmd shows it now
xstat() {
	testpmd "show port xstats $1"
	awk -v n="$2:" '$1 == n { v = $2 } END { print v + 0 }' "$tmp/tp.out"
}

# the sum of a map's values (per-CPU values summed), from its JSON dump
map_sum() {
	xdp -j map dump "$@" | python3 -c '
import json, sys
t = 0
for e in json.load(sys.stdin):
    vals = [c["value"] for c in e["values"]] if "values" in e else [e["value"]]
    for v in vals:
        t += int.from_bytes(bytes(int(b, 16) for b in v), "little")
print(t)'
}

start_primary "$pfx" "$tmp/tp.out" -d "$PMD"

# ---- ports, loading, attaching ----
xdp net show >"$tmp/show"
grep -q "^net_mvneta_xdp0([0-9]*)  (port 0, net_mvneta_xdp, native XDP)" "$tmp/show" &&
	grep -q "^net_null0([0-9]*)  (port 1, net_null)" "$tmp/show" ||
	{ cat "$tmp/show"; fail "net show: the ports"; }
xdp prog load "$BPF/driver/xdp1.o" /xdp1
xdp prog load "$BPF/driver/xdp1.o" /xdp1g
xdp prog load "$BPF/driver/xdp_verdict.o" /pass
xdp prog load "$BPF/driver/xdp_verdict.o" /passg
# the first map of a pinned program
map_of() {
	xdp -j prog show pinned "$1" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["map_ids"][0])'
}
pass_map=$(map_of /pass)
passg_map=$(map_of /passg)
drop_map=$(map_of /xdp1)
dropg_map=$(map_of /xdp1g)
# xdp_verdict returns what cfg[0] holds (2: XDP_PASS), counts in cfg[2]
printf '%s\n' "map update id $pass_map key 0 0 0 0 value 2 0 0 0" \
	"map update id $passg_map key 0 0 0 0 value 2 0 0 0" |
	xdp batch file -

xdp net attach xdpdrv pinned /xdp1 dev net_mvneta_xdp0
xdp net attach xdp pinned /passg dev net_null0	# generic: no native XDP
xdp -j net show | python3 -c '
import json, sys
x = {p["devname"]: p for p in json.load(sys.stdin)[0]["xdp"]}
assert x["net_mvneta_xdp0"]["mode"] == "driver", x
assert x["net_null0"]["mode"] == "generic", x' ||
	fail "net show: the modes"
expect_fail 240 "already attached" \
	xdp net attach xdpdrv pinned /pass dev net_mvneta_xdp0
expect_fail 239 "Native and generic XDP can't be active at the same time" \
	xdp net attach xdpgeneric pinned /pass dev net_mvneta_xdp0 overwrite
expect_fail 161 "no native XDP" \
	xdp net attach xdpdrv pinned /pass dev net_null0
expect_fail 234 "invalid devname nosuch" \
	xdp net attach xdpdrv pinned /pass dev nosuch
expect_fail 255 "can't find program id 99999" \
	xdp net attach xdpdrv id 99999 dev 0
echo "PASS: net show, prog load, net attach and its errors"

# ---- traffic: counts read live, swaps under traffic ----
xdp sysctl kernel.bpf_stats_enabled=1 >/dev/null
testpmd start
sleep 1
udp=$(xdp -j map lookup id "$drop_map" key 17 0 0 0 | python3 -c '
import json, sys
e = json.load(sys.stdin)
print(sum(int.from_bytes(bytes(int(b, 16) for b in c["value"]), "little")
      for c in e["values"]))')
[ "$udp" -gt 0 ] || fail "xdp1's UDP count read from the running testpmd: $udp"
xdp map dump id "$drop_map" | grep -q "^key:" || fail "map dump of rxcnt"
for i in 1 2 3 4 5; do
	xdp net attach xdpdrv pinned /pass dev 0 overwrite
	xdp net attach xdpgeneric pinned /xdp1g dev 1 overwrite
	sleep 0.2
	xdp net attach xdpdrv pinned /xdp1 dev 0 overwrite
	xdp net attach xdpgeneric pinned /passg dev 1 overwrite
	sleep 0.2
done
testpmd stop
sleep 0.5
xdp -j prog show pinned /xdp1 | python3 -c '
import json, sys
p = json.load(sys.stdin)
assert p["run_cnt"] > 0 and p["run_time_ns"] > 0, p' ||
	fail "run_cnt and run_time_ns with statistics on"
xdp sysctl kernel.bpf_stats_enabled=0 >/dev/null
# native port: every frame counted by one of its two programs
rx=$(xstat 0 rx_good_packets)
drop=$(xstat 0 rx_xdp_drop)
pass=$(xstat 0 rx_xdp_pass)
counted_drop=$(map_sum id "$drop_map")
counted_pass=$(xdp -j map lookup id "$pass_map" key 2 0 0 0 | python3 -c '
import json, sys
print(int.from_bytes(bytes(int(b, 16) for b in json.load(sys.stdin)["value"]), "little"))')
[ "$rx" -gt 0 ] && [ "$rx" -eq $((drop + pass)) ] &&
	[ "$drop" -eq "$counted_drop" ] && [ "$pass" -eq "$counted_pass" ] ||
	fail "native: $rx frames, $drop dropped ($counted_drop counted by xdp1), $pass passed ($counted_pass counted by xdp_verdict)"
echo "PASS: native, swapped 10 times under traffic: $rx frames = $drop dropped + $pass passed, each counted by its program"
# generic port: net_null counts every frame it gave; the programs too
grx=$(xstat 1 rx_good_packets)
gdrop=$(map_sum id "$dropg_map")
gpass=$(xdp -j map lookup id "$passg_map" key 2 0 0 0 | python3 -c '
import json, sys
print(int.from_bytes(bytes(int(b, 16) for b in json.load(sys.stdin)["value"]), "little"))')
[ "$grx" -gt 0 ] && [ "$grx" -eq $((gdrop + gpass)) ] ||
	fail "generic: net_null gave $grx frames, the programs counted $gdrop dropped + $gpass passed"
echo "PASS: generic on net_null, swapped 10 times under traffic: $grx frames = $gdrop + $gpass"

# ---- the primary's programs: dumps, test runs ----
xdp prog dump xlated pinned /xdp1 | grep -q "call bpf_map_lookup_elem" ||
	fail "prog dump xlated of a program in the primary"
xdp prog dump jited pinned /xdp1 >/dev/null || fail "prog dump jited"
python3 -c 'import sys; sys.stdout.buffer.write(bytes(12) + b"\x08\x00" + bytes(50))' >"$tmp/frame"
xdp prog run pinned /pass data_in "$tmp/frame" data_out "$tmp/out" repeat 10 |
	grep -q "Return value: 2" || fail "prog run in the primary"
cmp -s "$tmp/frame" "$tmp/out" || fail "prog run: the frame back"
echo "PASS: xlated and jited dumps, test runs of the primary's programs"

# ---- map updates: a batch's rate, two secondaries at once ----
xdp prog load "$BUILD/examples/xdp-blocklist/xdp_blocklist.o" /bl \
	map name blocklist max_entries 300000
python3 - "$tmp" <<'EOF'
import sys
d = sys.argv[1]
for name, base, n in (("all", 0, 100000), ("a", 1 << 24, 20000),
                      ("b", 2 << 24, 20000)):
    with open("%s/%s.batch" % (d, name), "w") as f:
        for i in range(base, base + n):
            f.write("map update name blocklist key %d %d %d %d "
                    "value 0 0 0 0 0 0 0 0\n" % (i & 255, i >> 8 & 255,
                                                  i >> 16 & 255, i >> 24))
EOF
t0=$(date +%s.%N)
xdp batch file "$tmp/all.batch"
t1=$(date +%s.%N)
rate=$(echo "100000 / ($t1 - $t0)" | bc)
xdp batch file "$tmp/a.batch" &
a=$!
xdp batch file "$tmp/b.batch"
wait $a || fail "the first of two concurrent batches failed"
n=$(xdp -j map dump name blocklist | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$n" -eq 140000 ] || fail "after one batch and two concurrent ones: $n entries, not 140000"
echo "PASS: 100000 map updates in one batch at $rate updates/s (whole command, EAL start-up included); two secondaries at once: $n entries"
printf '%s\n' "map update name blocklist key 1 2 3 4 value 0 0 0 0 0 0 0 0" \
	"map update name blocklist key 1 2 3 value 0 0 0 0 0 0 0 0" >"$tmp/bad.batch"
expect_fail 255 "can't parse byte value of key" xdp batch file "$tmp/bad.batch"
xdp prog load "$BUILD/examples/xdp-blocklist/xdp_blocklist.o" /small \
	map name blocklist max_entries 2
small=$(map_of /small)
xdp map update id "$small" key 1 1 1 1 value 0 0 0 0 0 0 0 0
xdp map update id "$small" key 1 1 1 2 value 0 0 0 0 0 0 0 0
expect_fail 255 "update failed: Argument list too long" \
	xdp map update id "$small" key 1 1 1 3 value 0 0 0 0 0 0 0 0
echo "PASS: a wrong key size and a full map refused with the kernel's errors"

# ---- malformed objects end the tool, not the primary ----
for f in "$SRCDIR"/test/fuzz/corpus/fuzz_obj_loader/regress-*; do
	[ -f "$f" ] || continue
	set +e
	xdp prog load "$f" >/dev/null 2>&1
	set -e
done
xdp net show >/dev/null || fail "the primary did not survive the fuzzers' inputs"
echo "PASS: the fuzzers' crash inputs refused, the primary alive"

# ---- a secondary killed mid-command ----
xdp prog load "$BPF/xdp_events_v3.o" /ev
# this run loads the object unpinned, then streams events until killed
printf '%s\n' "prog load $BPF/xdp_events_v3.o" "map event_pipe name samples" |
	"$XDP" -P "$pfx" batch file - >/dev/null 2>&1 &
k=$!
sleep 1
kill -9 $k
wait $k 2>/dev/null || true
sleep 0.5
xdp -j prog show | python3 -c '
import json, sys
ev = [p for p in json.load(sys.stdin) if p["name"] == "xdp_events"]
assert len(ev) == 1 and ev[0].get("pinned") == ["/ev"], ev' ||
	fail "after kill -9: the killed run's unpinned object left behind"
xdp net show >/dev/null || fail "the next secondary after kill -9"
kill -0 "$tpid" || fail "the primary died with its secondary"
echo "PASS: kill -9 of a secondary: its session released, the primary and the next secondary fine"

# ---- who may reach the primary; no primary; no library ----
expect_fail 255 "no DPDK primary process with file prefix nosuch$$" \
	"$XDP" -P "nosuch$$" net show
if command -v setpriv >/dev/null; then
	expect_fail 255 "operated by root only" setpriv --reuid=65534 --regid=65534 \
		--clear-groups "$XDP" -P "$pfx" net show
	echo "PASS: an unprivileged user is refused clearly"
fi
mkfifo "$tmp/in2"
stdbuf -oL "$TESTPMD" $(eal_mem_args "${pfx}n" 64 shared) --no-pci -l 0,1 \
	--vdev net_null9 -- -i --total-num-mbufs=2048 \
	<"$tmp/in2" >"$tmp/tpn.out" 2>&1 &
np=$!
exec 4>"$tmp/in2"
for _ in $(seq 300); do
	grep -q "testpmd> " "$tmp/tpn.out" && break
	kill -0 $np 2>/dev/null || { cat "$tmp/tpn.out"; fail "testpmd without the library exited"; }
	sleep 0.1
done
expect_fail 255 "runs without librte_xdp_compat" \
	"$XDP" -P "${pfx}n" net show
echo quit >&4
exec 4>&-
wait $np 2>/dev/null || true
echo "PASS: no primary, and a primary without the library: clear errors"

# ---- the primary exits under a secondary ----
"$XDP" -P "$pfx" map event_pipe name samples >"$tmp/pipe.out" 2>&1 &
k=$!
sleep 1
echo quit >&3
exec 3>&-
wait "$tpid" 2>/dev/null || true
tpid=
for _ in $(seq 200); do
	kill -0 $k 2>/dev/null || break
	sleep 0.1
done
if kill -0 $k 2>/dev/null; then
	kill -9 $k
	fail "the secondary kept running after its primary exited"
fi
set +e
wait $k
st=$?
set -e
[ "$st" -ne 0 ] || fail "the secondary did not report its primary's exit"
echo "PASS: the primary exited: the secondary ended with '$(tail -n 1 "$tmp/pipe.out")'"
