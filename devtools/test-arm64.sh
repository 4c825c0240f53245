#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# The whole test suite of the arm64 build (devtools/build-arm64.sh) under
# qemu-user: `meson test -C build-arm64`. Meson runs the arm64 autotests
# through the cross file's exe_wrapper (qemu-aarch64-static -L SYSROOT);
# the script tests start the stock arm64 dpdk-testpmd and dpdk-test of
# the sysroot (first in PATH, test/scripts/lib.sh finds them) and the
# arm64 dpdk-xdp and examples by their paths, all of which the kernel
# hands to qemu through binfmt_misc (registered here, as root, once per
# boot: qemu-user-static's entry). The kernel differential suite runs the
# arm64 dpdk-xdp against the host kernel. Emulation is slower than the
# machine: timeouts are multiplied (ARM64_TIMEOUT_MULTIPLIER, default 4).
# Extra arguments go to `meson test`. BUILD_DIR overrides build-arm64/.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)

die() { echo "test-arm64: $*" >&2; exit 1; }

build=$("$top/devtools/build-arm64.sh")
sysroot=$(cd "$build/sysroot" && pwd -P)
command -v qemu-aarch64-static >/dev/null ||
	die "qemu-aarch64-static missing (devtools/build-arm64.sh installs it)"

# binfmt_misc: an arm64 executable started by path runs under qemu, with
# the sysroot as its root for the loader and libraries (QEMU_LD_PREFIX).
binfmt=/proc/sys/fs/binfmt_misc
if ! grep -qx enabled "$binfmt/qemu-aarch64" 2>/dev/null &&
   [ "$(id -u)" -eq 0 ]; then
	[ -e "$binfmt/register" ] ||
		mount -t binfmt_misc binfmt_misc "$binfmt" 2>/dev/null || true
	update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || true
fi
grep -qx enabled "$binfmt/qemu-aarch64" 2>/dev/null ||
	die "no binfmt_misc entry for arm64 executables: run this once as root (it registers qemu-user-static's)"
QEMU_LD_PREFIX=$sysroot
export QEMU_LD_PREFIX

# The stock arm64 DPDK programs first in PATH (links: run through
# binfmt_misc, they keep their names, which traces record).
wrap=$build/arm64-bin
mkdir -p "$wrap"
for cmd in dpdk-testpmd dpdk-test; do
	[ -x "$sysroot/usr/bin/$cmd" ] || die "$sysroot/usr/bin/$cmd missing"
	ln -sfn "$sysroot/usr/bin/$cmd" "$wrap/$cmd"
done
PATH=$wrap:$PATH
export PATH

# Check the emulation before the suite: the tool runs and is arm64.
file -b "$build/app/dpdk-xdp/dpdk-xdp" | grep -q 'ARM aarch64' ||
	die "$build/app/dpdk-xdp/dpdk-xdp is not an arm64 executable"
"$build/app/dpdk-xdp/dpdk-xdp" --help 2>&1 | grep -q '^Usage: dpdk-xdp' ||
	die "the arm64 dpdk-xdp does not run under qemu"

# qemu-user has no bpf() system call (qemu 7.2 answers ENOSYS): the
# emulated dpdk-xdp cannot ask the kernel's verifier. The kernel
# differential test still runs the kernel's side natively (bpftool) and
# compares it with dpdk-xdp's builtin policy.
XDP_DIFF_POLICIES=builtin
export XDP_DIFF_POLICIES
# Tests that need what qemu-user does not pass to the kernel skip, naming
# it (test/scripts/lib.sh emulator_lacks).
XDP_TEST_EMULATOR="qemu-user $(qemu-aarch64-static --version | sed -n 's/^qemu-aarch64 version \([0-9.]*\).*/\1/p')"
export XDP_TEST_EMULATOR

exec meson test -C "$build" --print-errorlogs \
	--timeout-multiplier "${ARM64_TIMEOUT_MULTIPLIER:-4}" "$@"
