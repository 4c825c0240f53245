#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# One-time, idempotent set-up of a Debian 12 machine: installs the Debian
# packages the build and the tests need (only those missing), adds a
# deb-src entry when there is none (DPDK's driver-SDK headers come from the
# dpdk source package), caches that source package, and, as root, mounts
# the BPF filesystem the kernel differential test pins programs in and
# reserves 2 MB hugepages.
set -eu

PACKAGES="gcc libc6-dev pkg-config meson ninja-build
dpdk dpdk-dev libdpdk-dev
clang llvm libbpf-dev libelf-dev zlib1g-dev bpftool libpcap-dev libcapstone-dev
iproute2 iputils-ping ethtool python3 dpkg-dev xz-utils bc babeltrace"

top=$(cd "$(dirname "$0")/.." && pwd)

if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
else
	SUDO=
fi

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		grep -q "install ok installed" || missing="$missing $p"
done

has_deb_src() {
	grep -rqsE '^(deb-src|Types:.*deb-src)' /etc/apt/sources.list \
		/etc/apt/sources.list.d/
}

updated=no
if ! has_deb_src; then
	echo "setup: adding a deb-src entry for the dpdk source package"
	# Mirror the configured binary sources as source sources.
	{
		for f in /etc/apt/sources.list.d/*.sources; do
			[ -f "$f" ] && sed -n 's/^Types:[[:space:]]*deb$/Types: deb-src/;p' "$f" &&
				echo
		done
	} | $SUDO tee /etc/apt/sources.list.d/mvneta-xdp-src.sources >/dev/null
	{
		cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
			sed -n 's/^deb[[:space:]]/deb-src /p'
	} | $SUDO tee /etc/apt/sources.list.d/mvneta-xdp-src.list >/dev/null
	$SUDO apt-get update -qq
	updated=yes
fi

if [ -n "$missing" ]; then
	echo "setup: installing$missing"
	[ $updated = yes ] || $SUDO apt-get update -qq
	$SUDO env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

"$top/buildtools/dpdk-sdk-headers.sh" --fetch

# As root: the BPF filesystem (not mounted without systemd). Without it the
# kernel suite cannot run; that is its failure to report, not set-up's.
if [ "$(id -u)" -eq 0 ]; then
	"$top/devtools/mount-bpffs.sh" ||
		echo "setup: no BPF filesystem: the kernel suite will not run" >&2
fi

# Hugepages, as a DPDK deployment has them (multi-process needs them; the
# tests, demo and benchmarks use them when free, devtools/eal-mem.sh):
# as root, at least 1 GiB of 2 MB pages (never fewer than reserved
# already) and hugetlbfs on /dev/hugepages.
if [ "$(id -u)" -eq 0 ] && [ -w /proc/sys/vm/nr_hugepages ]; then
	want=512
	have=$(cat /proc/sys/vm/nr_hugepages)
	if [ "$have" -lt $want ]; then
		echo $want >/proc/sys/vm/nr_hugepages
		have=$(cat /proc/sys/vm/nr_hugepages)
		echo "setup: reserved $have 2 MB hugepages"
		[ "$have" -ge $want ] ||
			echo "setup: warning: only $have of $want hugepages (memory fragmented?)" >&2
	fi
	if ! awk '$2 == "/dev/hugepages" && $3 == "hugetlbfs" { f = 1 }
			END { exit !f }' /proc/mounts; then
		mkdir -p /dev/hugepages
		mount -t hugetlbfs -o pagesize=2M nodev /dev/hugepages
		echo "setup: mounted hugetlbfs on /dev/hugepages"
	fi
fi
