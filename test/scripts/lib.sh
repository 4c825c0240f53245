#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Shared by the script tests: where things are, EAL arguments, skipping.

: "${BUILD:?BUILD must name the build directory}"
PMD=$BUILD/drivers/librte_net_mvneta_xdp.so
TESTPMD=${TESTPMD:-dpdk-testpmd}

# EAL arguments for a machine without hugepages or PCI, one prefix a test.
eal_args() {
	echo "--no-huge --no-pci -m 512 --no-shconf --file-prefix $1$$ -d $PMD"
}

skip() {
	echo "SKIP: $*"
	exit 77
}

fail() {
	echo "FAIL: $*"
	exit 1
}

need_root() {
	[ "$(id -u)" -eq 0 ] || skip "needs root ($1)"
}

# A privileged suite (kernel oracle, network namespaces) without a
# facility it needs: a skip for a developer, but a failure under CI=true
# as root, where devtools/setup.sh provides all of them and a skip would
# pass CI without the suite having run.
skip_privileged() {
	if [ "${CI:-}" = true ] && [ "$(id -u)" -eq 0 ]; then
		fail "$* (a privileged suite may not skip under CI=true as root)"
	fi
	skip "$*"
}

# Under user-mode emulation (devtools/test-arm64.sh runs the arm64 build
# under qemu-user and names the emulator in XDP_TEST_EMULATOR): a test
# that needs what the emulator does not pass to the kernel skips, saying
# what.
emulator_lacks() {
	[ -z "${XDP_TEST_EMULATOR:-}" ] || skip "$XDP_TEST_EMULATOR $*"
}

# Drive testpmd interactively: commands on stdin, "sleep N" lines wait.
testpmd_script() {
	while IFS= read -r line; do
		case "$line" in
		sleep\ *) sleep "${line#sleep }" ;;
		*) echo "$line" ;;
		esac
	done
}

# Sanitized builds (-Db_sanitize=address,...): the stock dpdk-testpmd and
# dpdk-test are not instrumented, and an instrumented PMD can only be
# dlopen()ed (-d) into a process whose first library is the ASan runtime.
# Wrappers of these two commands, put first in PATH, preload the runtime
# the build names in test/sanitizers/sanitizers.env; nothing else the
# scripts run (ip, ping, awk) gets it. ASAN_OPTIONS, UBSAN_OPTIONS and
# LSAN_OPTIONS come from the environment (meson test --setup sanitize).
sanitizer_preload() {
	env_file=$BUILD/test/sanitizers/sanitizers.env
	[ -f "$env_file" ] || return 0
	. "$env_file"
	[ -n "$ASAN_RUNTIME" ] || return 0
	[ -f "$ASAN_RUNTIME" ] ||
		fail "sanitized build, but no ASan runtime at $ASAN_RUNTIME"
	wrap=$BUILD/test/sanitizers/bin
	mkdir -p "$wrap"
	for cmd in "$TESTPMD" dpdk-test; do
		real=$(command -v "$cmd") || continue
		name=$(basename "$cmd")
		[ "$real" = "$wrap/$name" ] && continue
		printf '#!/bin/sh\n# Written by test/scripts/lib.sh.\nLD_PRELOAD="%s${LD_PRELOAD:+ $LD_PRELOAD}" exec "%s" "$@"\n' \
			"$ASAN_RUNTIME" "$real" >"$wrap/.$name.$$"
		chmod +x "$wrap/.$name.$$"
		mv -f "$wrap/.$name.$$" "$wrap/$name"
	done
	[ -x "$wrap/$(basename "$TESTPMD")" ] &&
		TESTPMD=$wrap/$(basename "$TESTPMD")
	PATH=$wrap:$PATH
	export PATH
}
sanitizer_preload
