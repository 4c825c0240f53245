#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# The kernel suite's own machinery, which this machine's kernel alone
# cannot exercise:
# 1. devtools/mount-bpffs.sh mounts the BPF filesystem where there is none
#    (in a private mount namespace), once however often it runs;
# 2. skip_privileged skips, but fails under CI=true as root;
# 3. xdp_kernel_diff.sh on xdp_meta, with a bpftool that refuses
#    xdp_meta_v2 as a kernel without bpf_xdp_adjust_meta for XDP would:
#    that object is skipped with the reason, run by dpdk-xdp alone, the
#    others compared, the totals say so, the suite passes;
# 4. the same with a refusal for another reason: the suite fails;
# 5. a lack, but an object dpdk-xdp cannot run either (xdp_bad_loop): the
#    suite fails (what dpdk-xdp alone checks is no formality).
#
# usage: xdp_kernel_diff_self.sh DPDK_XDP BPF_OBJ_DIR
set -u
xdp=$1
objs=$2
here=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-$(cd "$objs/../.." && pwd)}
. "$here/lib.sh"

need_root "bpf() and mount namespaces"
command -v unshare >/dev/null || skip_privileged "unshare not installed"
real=$(command -v bpftool) || skip_privileged "bpftool not installed"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/xdpc_diff_self.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# 1. In a mount namespace of its own, with no BPF filesystem at all
unshare -m --propagation private sh -c '
	while [ "$(stat -f -c %T /sys/fs/bpf)" = bpf_fs ]; do
		umount /sys/fs/bpf || exit 2
	done
	"$1" && "$1" || exit 3
	[ "$(stat -f -c %T /sys/fs/bpf)" = bpf_fs ] || exit 4
	[ "$(grep -c " /sys/fs/bpf " /proc/self/mountinfo)" -eq 1 ] || exit 5
' sh "$here/../../devtools/mount-bpffs.sh" 2>"$tmp/mount.log" ||
	{ cat "$tmp/mount.log"; fail "mount-bpffs.sh: step $? failed"; }
echo "ok   mount-bpffs.sh mounts the BPF filesystem, once"

# 2. The CI rule
for ci in true false; do
	CI=$ci sh -c '. "$1/lib.sh"; skip_privileged "no facility"' sh "$here" \
		>"$tmp/skip.log" 2>&1
	rc=$?
	want=77
	[ $ci = true ] && want=1
	[ $rc -eq $want ] ||
		{ cat "$tmp/skip.log"; fail "skip_privileged, CI=$ci: exit $rc, expected $want"; }
done
echo "ok   skip_privileged: exit 77, under CI=true as root exit 1"

# A bpftool whose "prog loadall" refuses the objects named *_v2.o with
# the log in $tmp/log, the rest the real one
mkdir "$tmp/bin"
cat >"$tmp/bin/bpftool" <<EOF
#!/bin/sh
case "\$1 \$2 \$3" in
"prog loadall "*_v2.o) cat "$tmp/log" >&2; exit 255 ;;
esac
exec "$real" "\$@"
EOF
chmod +x "$tmp/bin/bpftool"

# $1: the verifier's error line; writes the log as bpftool prints it
refusal() {
	cat >"$tmp/log" <<EOF
libbpf: prog 'xdp_meta': BPF program load failed: Invalid argument
libbpf: prog 'xdp_meta': -- BEGIN PROG LOAD LOG --
0: R1=ctx() R10=fp0
; if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(*m))) @ xdp_meta.c:21
0: (b7) r2 = -8                       ; R2_w=-8
1: (85) call bpf_xdp_adjust_meta#54
$1
processed 2 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0
-- END PROG LOAD LOG --
libbpf: prog 'xdp_meta': failed to load: -22
libbpf: failed to load object '$objs/xdp_meta_v2.o'
Error: failed to load object file
EOF
}

# $1: the objects (XDP_DIFF_ONLY)
diff_only() {
	PATH=$tmp/bin:$PATH XDP_DIFF_ONLY=$1 \
		"$here/xdp_kernel_diff.sh" "$xdp" "$objs" >"$tmp/out" 2>&1
}

# 3. Only a helper this kernel lacks: a skip, counted, the suite passes
refusal "program of this type cannot use helper bpf_xdp_adjust_meta#54"
diff_only xdp_meta
rc=$?
# the runs the kernel made of v1 (9 or 10: with a veth or without)
runs=$(sed -n 's/^ok   xdp_meta_v1 (1 programs, \([0-9]*\) runs.*/\1/p' "$tmp/out")
for want in \
	"skipped xdp_meta_v2: this kernel lacks helper bpf_xdp_adjust_meta for XDP" \
	"ok   xdp_meta_v1 (1 programs, $runs runs" \
	"ok   xdp_meta_v3 (1 programs, $runs runs" \
	"ok   xdp_meta_v2: dpdk-xdp alone, $runs runs without an error" \
	"totals: 2 objects compared with the kernel, 2 agreed, 1 skipped" \
	"  skipped 1: this kernel lacks helper bpf_xdp_adjust_meta for XDP (xdp_meta_v2)"; do
	grep -qF "$want" "$tmp/out" ||
		{ cat "$tmp/out"; fail "a lacking kernel: no line \"$want\""; }
done
[ $rc -eq 0 ] || { cat "$tmp/out"; fail "a lacking kernel: exit $rc, expected 0"; }
echo "ok   a kernel lacking bpf_xdp_adjust_meta: xdp_meta_v2 skipped, the suite passes"

# 4. Refused for another reason: a failure
refusal "R1 offset is outside of the packet"
diff_only xdp_meta
rc=$?
grep -qF "FAIL xdp_meta_v2: kernel refused the object:" "$tmp/out" &&
	grep -qF "totals: 3 objects compared with the kernel, 2 agreed, 0 skipped" \
		"$tmp/out" && [ $rc -eq 1 ] ||
	{ cat "$tmp/out"; fail "a refusal for another reason: exit $rc, expected a failure"; }
echo "ok   a refusal for another reason fails the suite"

# 5. A lack, and dpdk-xdp cannot run the object either
refusal "program of this type cannot use helper bpf_xdp_adjust_meta#54"
diff_only xdp_bad_loop
rc=$?
grep -qF "FAIL xdp_bad_loop_v2: dpdk-xdp alone, 0 runs" "$tmp/out" &&
	[ $rc -eq 1 ] ||
	{ cat "$tmp/out"; fail "a lack, dpdk-xdp refusing: exit $rc, expected a failure"; }
echo "ok   a lack the suite skips still needs dpdk-xdp to run the object"
