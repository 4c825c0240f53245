#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Differential test: every test program (v2, v3) x a few frames, run by
# the kernel (bpftool prog run on a pinned program) and by dpdk-xdp
# (-j batch file); verdicts, output frames and map contents must match.
# Exits 77 (skip) when not root or when bpf() is not permitted.
#
# usage: xdp_kernel_diff.sh DPDK_XDP BPF_OBJ_DIR
set -u

xdp=$1
objs=$2
pin=/sys/fs/bpf/xdpc_diff_$$
work=$(mktemp -d "${TMPDIR:-/tmp}/xdpc_diff.XXXXXX")
trap 'rm -rf "$pin" "$work"' EXIT INT TERM

[ "$(id -u)" -eq 0 ] || { echo "skip: not root, bpf() needs CAP_BPF"; exit 77; }
command -v bpftool >/dev/null || { echo "skip: bpftool not installed"; exit 77; }
mkdir -p "$pin" 2>/dev/null || { echo "skip: no bpffs at /sys/fs/bpf"; exit 77; }
if ! bpftool prog load "$objs/xdp_pass_v2.o" "$pin/probe" >/dev/null 2>&1; then
	echo "skip: bpf() not permitted (cannot load an XDP program)"
	exit 77
fi
rm -f "$pin/probe"

# frames: IPv4, IPv6, ARP
frame() {
	printf '\000\021\042\063\104\125\146\167\210\231\252\273'
	printf "$1"
	head -c "$2" /dev/zero | tr '\000' '\101'
}
frame '\010\000' 46 > "$work/f_ipv4"
frame '\206\335' 46 > "$work/f_ipv6"
frame '\010\006' 28 > "$work/f_arp"

fail=0
for prog in xdp_pass xdp_count xdp_adjust; do
	for cpu in v2 v3; do
		o="$objs/${prog}_$cpu.o"
		p="$pin/${prog}_$cpu"
		if ! bpftool prog load "$o" "$p" pinmaps "${p}_maps" 2>"$work/err"; then
			echo "FAIL: kernel refused $o"; cat "$work/err"; fail=1; continue
		fi
		: > "$work/batch"
		: > "$work/kernel.json"
		for f in ipv4 ipv6 arp; do
			bpftool -j prog run pinned "$p" data_in "$work/f_$f" \
				data_out "$work/k_$f" >> "$work/kernel.json"
			echo "prog run $o data_in $work/f_$f data_out $work/d_$f" \
				>> "$work/batch"
		done
		maps=""
		for m in "${p}_maps"/*; do
			[ -e "$m" ] || continue
			name=$(basename "$m")
			case "$name" in *_bss|*_data|*_rodata*) continue;; esac
			maps="$maps $name"
			bpftool -j map dump pinned "$m" > "$work/kmap_$name.json"
			echo "map dump $o name $name" >> "$work/batch"
		done
		"$xdp" -j batch file "$work/batch" > "$work/dpdk.json" 2>"$work/err" || {
			echo "FAIL: dpdk-xdp batch on $o"; cat "$work/err" "$work/dpdk.json"; fail=1; continue; }
		python3 - "$work" "$o" $maps <<'PY' || fail=1
import json, sys, os
work, obj, maps = sys.argv[1], sys.argv[2], sys.argv[3:]
dec = json.JSONDecoder()
txt = open(os.path.join(work, "kernel.json")).read()
kern, pos = [], 0
while pos < len(txt.rstrip()):
    while txt[pos].isspace(): pos += 1
    v, pos = dec.raw_decode(txt, pos); kern.append(v)
dpdk = json.load(open(os.path.join(work, "dpdk.json")))
ok = True
for i, f in enumerate(["ipv4", "ipv6", "arp"]):
    if "error" in dpdk[i]:
        print("FAIL %s %s: %s" % (obj, f, dpdk[i]["error"])); ok = False; continue
    if kern[i]["retval"] != dpdk[i]["retval"]:
        print("FAIL %s %s: verdict kernel %d dpdk %d" % (obj, f, kern[i]["retval"], dpdk[i]["retval"])); ok = False
    k = open(os.path.join(work, "k_" + f), "rb").read()
    d = open(os.path.join(work, "d_" + f), "rb").read()
    if k != d:
        print("FAIL %s %s: output frames differ (%d vs %d bytes)" % (obj, f, len(k), len(d))); ok = False
for j, m in enumerate(maps):
    km = json.load(open(os.path.join(work, "kmap_%s.json" % m)))
    dm = dpdk[3 + j]
    norm = lambda l: sorted((tuple(e["key"]), tuple(e.get("value", []))) for e in l)
    if isinstance(dm, dict) or norm(km) != norm(dm):
        print("FAIL %s: map %s differs" % (obj, m)); ok = False
print("%s %s" % ("ok  " if ok else "FAIL", obj))
sys.exit(0 if ok else 1)
PY
		rm -rf "$p" "${p}_maps"
	done
done
exit $fail
