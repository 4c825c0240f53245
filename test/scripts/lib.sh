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

# Drive testpmd interactively: commands on stdin, "sleep N" lines wait.
testpmd_script() {
	while IFS= read -r line; do
		case "$line" in
		sleep\ *) sleep "${line#sleep }" ;;
		*) echo "$line" ;;
		esac
	done
}
