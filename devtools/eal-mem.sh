# SPDX-License-Identifier: BSD-3-Clause
#
# EAL memory arguments: one rule for the tests, the demo and the
# benchmarks (sourced, POSIX sh; test/test.c applies the same rule to the
# autotests). 2 MB hugepages when the machine has them free, as a DPDK
# deployment runs (devtools/setup.sh reserves 1 GiB as root), with
# --in-memory so that nothing is left in /dev/hugepages even when the
# process is killed; --no-huge -m 512 otherwise.
#
#   eal_mem_args PREFIX [MB [shared]]
#	PREFIX	the process's --file-prefix, unique (callers add $$)
#	MB	most hugepage memory the process may take (default 256:
#		meson runs two tests at a time in the 1 GiB reserved)
#	shared	a secondary process will attach: hugepage files named
#		after PREFIX, to be removed with eal_mem_cleanup PREFIX,
#		also when the process was killed (a test's trap); callers
#		check eal_mem_hugepages first (no fallback). Under meson
#		($BUILD set) the prefix goes to $BUILD/hugepage-prefixes,
#		which the suite's last test checks.
#   eal_mem_hugepages [MB]	true if hugepages are there to use
#   eal_mem_kind [MB]		"hugepages, IOVA as PA|VA|chosen by DPDK" or
#				"no hugepages (--no-huge)", for reports
#   eal_mem_cleanup PREFIX	hugepage files and runtime directory of PREFIX
#
# EAL_MEM=auto (default), huge (hugepages even if the check fails: EAL
# then says why; test/scripts/lib.sh skips such a test first) or nohuge;
# EAL_IOVA_MODE=pa or va adds --iova-mode with hugepages (IOVA as PA
# needs root: without it the check fails).

eal_mem_mount() {
	awk '$3 == "hugetlbfs" { print $2; exit }' /proc/mounts
}

eal_mem_hugepages() {
	[ "${EAL_MEM:-auto}" != nohuge ] || return 1
	_mnt=$(eal_mem_mount)
	[ -n "$_mnt" ] && [ -w "$_mnt" ] || return 1
	[ "${EAL_IOVA_MODE:-}" != pa ] || [ "$(id -u)" -eq 0 ] || return 1
	_free=$(awk '/^HugePages_Free:/ { f = $2 } /^Hugepagesize:/ { s = $2 }
		END { print int(f * s / 1024) }' /proc/meminfo)
	[ "$_free" -ge "${1:-256}" ]
}

eal_mem_args() {
	_mb=${2:-256}
	# EAL leaves a runtime directory for every prefix: the suite's last
	# test (hugepage_files) removes those of $BUILD/eal-prefixes
	[ -z "${BUILD:-}" ] || echo "$1" >>"$BUILD/eal-prefixes"
	if [ "${EAL_MEM:-auto}" = huge ] || eal_mem_hugepages "$_mb"; then
		if [ "${3:-}" = shared ]; then
			_share=
			# for the suite's last test (hugepage_files)
			[ -z "${BUILD:-}" ] ||
				echo "$1" >>"$BUILD/hugepage-prefixes"
			# Under the ASan runtime (test/scripts/lib.sh) EAL's
			# default base address lies in ASan's shadow gap: the
			# primary's memory would land wherever mmap puts it,
			# and a secondary could find that range taken. One
			# address in ASan's high application memory instead.
			[ -z "${ASAN_RUNTIME:-}" ] ||
				_share="--base-virtaddr 0x300000000000"
		else
			_share=--in-memory
		fi
		echo "$_share --socket-limit $_mb --file-prefix $1${EAL_IOVA_MODE:+ --iova-mode=$EAL_IOVA_MODE}"
	else
		[ "$_mb" -gt 512 ] || _mb=512
		echo "--no-huge -m $_mb --no-shconf --file-prefix $1"
	fi
}

eal_mem_kind() {
	if [ "${EAL_MEM:-auto}" = huge ] || eal_mem_hugepages "${1:-256}"; then
		case ${EAL_IOVA_MODE:-} in
		pa) echo "hugepages, IOVA as PA" ;;
		va) echo "hugepages, IOVA as VA" ;;
		*) echo "hugepages, IOVA mode chosen by DPDK" ;;
		esac
	else
		echo "no hugepages (--no-huge)"
	fi
}

eal_mem_cleanup() {
	_mnt=$(eal_mem_mount)
	[ -z "$_mnt" ] || rm -f "$_mnt/$1"map_*
	rm -rf "/var/run/dpdk/$1" "${XDG_RUNTIME_DIR:-/nonexistent}/dpdk/$1"
}
