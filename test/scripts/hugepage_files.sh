#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The suite's last test: no hugepage file of this build's DPDK processes
# is left in hugetlbfs; and the runtime directories EAL leaves for every
# file prefix (/var/run/dpdk/PREFIX) of the scripts' processes
# (eal_mem_args records them in $BUILD/eal-prefixes) are removed. Processes on --in-memory (the default of
# eal_mem_args and dpdk-xdp-test) never create one; those a secondary
# attaches to (eal_mem_args PREFIX MB shared) record PREFIX in
# $BUILD/hugepage-prefixes and must remove their files (eal_mem_cleanup),
# killed or not.
set -eu
. "$(dirname "$0")/lib.sh"

mnt=$(eal_mem_mount)
[ -n "$mnt" ] || skip "no hugetlbfs mounted"
reg=$BUILD/hugepage-prefixes
left=
for f in $(sort -u "$reg" 2>/dev/null | sed "s|.*|$mnt/&map_*|") \
	"$mnt"/xdptest*map_*; do
	[ ! -e "$f" ] || left="$left $f"
done
[ -z "$left" ] || fail "hugepage files left behind:$left"
: >"$reg"
for p in $(sort -u "$BUILD/eal-prefixes" 2>/dev/null); do
	case $p in
	*/* | "") ;;
	*) rm -rf "/var/run/dpdk/$p" "${XDG_RUNTIME_DIR:-/nonexistent}/dpdk/$p" ;;
	esac
done
: >"$BUILD/eal-prefixes"
echo "PASS: no hugepage files left in $mnt"
