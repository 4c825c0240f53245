#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Shared by the script tests: where things are, EAL arguments, skipping.

: "${BUILD:?BUILD must name the build directory}"
PMD=$BUILD/drivers/librte_net_mvneta_xdp.so
TESTPMD=${TESTPMD:-dpdk-testpmd}

# EAL arguments, one prefix a test: hugepages when free, else --no-huge
# (devtools/eal-mem.sh: EAL_MEM, EAL_IOVA_MODE); no PCI devices here.
# The source tree: meson gives it (SRCDIR); a script run by hand finds it
# from its own path.
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$SRCDIR/devtools/eal-mem.sh"
eal_args() {
	echo "$(eal_mem_args "$1$$") --no-pci -d $PMD"
}

# A test killed by meson's timeout (SIGTERM) or Ctrl-C still runs its
# EXIT trap (namespaces, processes, hugepage files): sh runs it on exit,
# not on a deadly signal.
trap 'exit 143' TERM
trap 'exit 130' INT

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
# Tests that need hugepages (a secondary process, IOVA as PA): skip
# without them, except in CI as root, where devtools/setup.sh has
# reserved them.
need_hugepages() {
	eal_mem_hugepages "${2:-256}" && return 0
	[ "${CI:-}" != true ] || [ "$(id -u)" -ne 0 ] ||
		fail "needs hugepages ($1): CI as root has them (devtools/setup.sh)"
	[ "${EAL_IOVA_MODE:-}" != pa ] || [ "$(id -u)" -eq 0 ] ||
		skip "needs hugepages ($1): IOVA as PA needs root"
	skip "needs hugepages ($1): none free (devtools/setup.sh reserves them as root)"
}
[ "${EAL_MEM:-auto}" != huge ] || need_hugepages "EAL_MEM=huge"

# Under user-mode emulation (devtools/test-arm64.sh runs the arm64 build
# under qemu-user and names the emulator in XDP_TEST_EMULATOR): a test
# that needs what the emulator does not pass to the kernel skips, saying
# what.
emulator_lacks() {
	[ -z "${XDP_TEST_EMULATOR:-}" ] || skip "$XDP_TEST_EMULATOR $*"
}

# The guides' console blocks, for the tests that run them as written.
# rst_block FILE MARKER: the commands of the console block of
# doc/guides/FILE that follows the comment ".. MARKER", as pasted ("# "
# prompts, "\" continuations; output lines left out).
rst_block() {
	awk -v want=".. $2" '
		$0 == want { state = 1; next }
		state == 1 && /^\.\. code-block:: console/ { state = 2; next }
		state == 2 && /^[^ ]/ { exit }
		state == 2 {
			line = substr($0, 4)
			if (cont || line ~ /^# /) {
				print cont ? line : substr(line, 3)
				cont = line ~ /\\$/
			}
		}' "$SRCDIR/doc/guides/$1"
}

# doc_root DIR: a directory that looks like the repository's top after
# ./devtools/build.sh (links to the source tree's entries, build/ to
# $BUILD), where a guide's commands run and leave their files.
doc_root() {
	mkdir -p "$1"
	for e in "$SRCDIR"/*; do
		[ "$(basename "$e")" = build ] || ln -s "$e" "$1/"
	done
	ln -s "$BUILD" "$1/build"
}

# Frames the ports received in total, by testpmd's last "show port stats
# all" in $TESTPMD_OUT.
testpmd_rx_total() {
	awk '/NIC statistics for port/ { sub(/.*for port /, ""); p = $1 }
	     p != "" && /RX-packets:/ { rx[p] = $2; p = "" }
	     END { for (p in rx) t += rx[p]; print t + 0 }' "$TESTPMD_OUT"
}

# Drive testpmd interactively: commands on stdin, "sleep N" lines wait,
# "await TEXT" lines wait (60 s at most) until testpmd's output, the file
# $TESTPMD_OUT, holds TEXT: a slow start on a loaded machine must not eat
# the time a test forwards for. "await_rx N" lines ask for the ports'
# statistics until they count N received frames (60 s at most): under
# emulation or load the forwarding lcore may get little time, and a test
# asks for frames, not for a rate.
testpmd_script() {
	while IFS= read -r line; do
		case "$line" in
		sleep\ *) sleep "${line#sleep }" ;;
		await\ *)
			_n=0
			until grep -qF -- "${line#await }" "$TESTPMD_OUT" ||
			    [ $_n -ge 600 ]; do
				sleep 0.1
				_n=$((_n + 1))
			done ;;
		await_rx\ *)
			_n=0
			until [ "$(testpmd_rx_total)" -ge "${line#await_rx }" ] ||
			    [ $_n -ge 120 ]; do
				echo "show port stats all"
				sleep 0.5
				_n=$((_n + 1))
			done ;;
		*) echo "$line" ;;
		esac
	done
}

# sanitizer_base NAME: the wrapper's lines that set $base, EAL options
# it adds: for testpmd, a primary that a secondary may attach to (the
# guides' commands, which do not use eal_mem_args) starts at
# devtools/eal-mem.sh's base address, for the reason given there.
sanitizer_base() {
	if [ "$1" != "$(basename "$TESTPMD")" ]; then
		echo 'base='
		return
	fi
	echo 'base=--base-virtaddr=0x300000000000'
	echo 'for a; do case $a in --) break ;; --base-virtaddr*|--in-memory|--no-huge|--no-shconf) base= ;; esac; done'
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
		printf '#!/bin/sh\n# Written by test/scripts/lib.sh.\n%s\nLD_PRELOAD="%s${LD_PRELOAD:+ $LD_PRELOAD}" exec "%s" $base "$@"\n' \
			"$(sanitizer_base "$name")" "$ASAN_RUNTIME" "$real" \
			>"$wrap/.$name.$$"
		chmod +x "$wrap/.$name.$$"
		mv -f "$wrap/.$name.$$" "$wrap/$name"
	done
	[ -x "$wrap/$(basename "$TESTPMD")" ] &&
		TESTPMD=$wrap/$(basename "$TESTPMD")
	PATH=$wrap:$PATH
	export PATH
}
sanitizer_preload
