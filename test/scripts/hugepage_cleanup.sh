#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Hugepage files and killed processes: a primary that a secondary could
# attach to (eal_mem_args ... shared) keeps its memory in files named
# after its prefix, which survive SIGKILL until eal_mem_cleanup removes
# them; a process on --in-memory (every other one) leaves none.
set -eu
. "$(dirname "$0")/lib.sh"
need_hugepages "a primary's hugepage files"

mnt=$(eal_mem_mount)
shared=hpshared$$
private=hpprivate$$
pids=
trap 'kill -9 $pids 2>/dev/null || true
	eal_mem_cleanup $shared; eal_mem_cleanup $private' EXIT

# start EAL-ARGS...: testpmd forwarding (until killed); waits for the port
start() {
	log=$(mktemp)
	"$TESTPMD" "$@" --no-pci -d "$PMD" -l 0,1 --vdev net_mvneta_xdp0 \
		-- --total-num-mbufs=2048 --stats-period 10 >"$log" 2>&1 &
	pids="$pids $!"
	n=0
	until grep -q "^Port 0: " "$log"; do
		n=$((n + 1))
		[ $n -lt 300 ] || { cat "$log"; fail "testpmd: no port in 30 s"; }
		sleep 0.1
	done
	rm -f "$log"
}

files() {
	ls "$mnt" | grep -c "^$1map_" || true
}

start $(eal_mem_args $shared 64 shared)
[ "$(files $shared)" -gt 0 ] || fail "shared primary: no hugepage files in $mnt"
start $(eal_mem_args $private 64)
[ "$(files $private)" -eq 0 ] || fail "--in-memory process: files in $mnt"
kill -9 $pids
wait 2>/dev/null || true
pids=
sleep 0.5
[ "$(files $shared)" -gt 0 ] ||
	fail "killed shared primary: files gone without cleanup (test is void)"
eal_mem_cleanup $shared
[ "$(files $shared)" -eq 0 ] || fail "eal_mem_cleanup left files of $shared"
[ "$(files $private)" -eq 0 ] || fail "killed --in-memory process left files"
[ ! -e "/var/run/dpdk/$shared" ] || fail "runtime directory of $shared left"
echo "PASS: a killed shared primary's files removed by eal_mem_cleanup; none from --in-memory"
