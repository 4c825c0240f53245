#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# The kernel selftest test_xdp_noinline (a Katran-shaped balancer: stack
# pointers spilled to the stack, about 10^8 paths) loads under
# --verify builtin within the validator's time limit, and its test runs
# agree with the kernel's (bpftool prog run), for -mcpu=v2 and v3 builds.
# Built here from Debian's linux-source-6.1 (never committed); skips
# without it.
#
# usage: xdp_selftest_noinline.sh DPDK_XDP
set -u

xdp=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
ksrc=/usr/src/linux-source-6.1.tar.xz
sel=linux-source-6.1/tools/testing/selftests/bpf
pin=/sys/fs/bpf/xdpc_noinline_$$
work=$(mktemp -d "${TMPDIR:-/tmp}/xdpc_noinline.XXXXXX")
trap 'rm -rf "$pin" "$work"; eal_mem_cleanup noinline$$' EXIT

need_root "the kernel's verifier and test runs"
[ -f "$ksrc" ] || skip "no $ksrc (apt-get install linux-source-6.1)"
command -v clang >/dev/null || skip_privileged "clang not installed"
command -v bpftool >/dev/null || skip_privileged "bpftool not installed"
command -v python3 >/dev/null || skip_privileged "python3 not installed"
"$here/../../devtools/mount-bpffs.sh" ||
	skip_privileged "no BPF filesystem at /sys/fs/bpf"
tar xJf "$ksrc" -C "$work" "$sel/progs/test_xdp_noinline.c" \
	--wildcards "$sel/progs/bpf_*.h" "$sel/bpf_*.h" ||
	fail "cannot extract test_xdp_noinline.c from $ksrc"
mkdir -p "$work/inc/gnu"
: > "$work/inc/gnu/stubs-32.h"	# -target bpf asks for the 32-bit stubs
ma=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)

unhex() {
	python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.stdin.read()))'
}

# Ethernet + IPv4 + TCP to port 80, Ethernet + IPv6 + UDP: no VIP is
# configured, the balancer passes or drops them.
printf '000000000001000000000002080045000032000000004006%s0a0000010a00000204d2005000000001000000005002200000000000%s' \
	"66c4" "78787878787878787878" | unhex > "$work/v4tcp"
printf '00000000000100000000000286dd6000000000101140%s%s04d20035001000007979797979797979' \
	"00000000000000000000000000000001" "00000000000000000000000000000002" | unhex > "$work/v6udp"

for cpu in v2 v3; do
	obj=$work/noinline_$cpu.o
	clang -O2 -g -target bpf -mcpu=$cpu -Wno-unused-value \
		-Wno-pointer-sign -Wno-compare-distinct-pointer-types \
		-I"$work/$sel" -I"$work/inc" -I/usr/include/"$ma" \
		-c "$work/$sel/progs/test_xdp_noinline.c" -o "$obj" ||
		fail "clang cannot build test_xdp_noinline.c ($cpu)"
	start=$(date +%s)
	out=$("$xdp" $(eal_args noinline) -- --verify builtin prog load "$obj" \
		type xdp 2>&1) ||
		fail "$cpu: --verify builtin refuses it: $(echo "$out" | tail -1)"
	echo "$cpu: loads under --verify builtin in $(($(date +%s) - start)) s"
	bpftool prog load "$obj" "$pin" type xdp ||
		fail "$cpu: the kernel refuses it"
	for f in v4tcp v6udp; do
		kret=$(bpftool prog run pinned "$pin" data_in "$work/$f" \
			data_out "$work/k_out" repeat 1 2>&1 |
			sed -n 's/.*Return value: \([0-9]*\).*/\1/p')
		dret=$("$xdp" $(eal_args noinline) -- --verify builtin prog run \
			"$obj" data_in "$work/$f" data_out "$work/d_out" 2>&1 |
			sed -n 's/.*Return value: \([0-9]*\).*/\1/p')
		[ -n "$kret" ] && [ "$kret" = "$dret" ] ||
			fail "$cpu $f: kernel returns '$kret', dpdk-xdp '$dret'"
		cmp -s "$work/k_out" "$work/d_out" ||
			fail "$cpu $f: the frames out differ"
		echo "$cpu $f: both return $kret, same frame out"
	done
	rm -f "$pin"
done
echo "PASS"
