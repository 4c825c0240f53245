#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Provide DPDK's driver-SDK headers, which Debian's libdpdk-dev does not
# install, for an out-of-tree PMD build, and the source of rte_bpf's x86
# JIT, whose passes lib/xdp_compat/xdp_jit.c replays to check its output.
#
#   dpdk-sdk-headers.sh OUTDIR      print the include directory to use
#                                   (nothing when the installed DPDK has them)
#   dpdk-sdk-headers.sh --fetch     only download the matching source
#                                   package into the cache (used by set-up)
#
# The headers come from the Debian source package of the exact installed
# dpdk version, cached in $MVNETA_XDP_CACHE (default /var/cache/mvneta-xdp,
# or ~/.cache/mvneta-xdp when that is not writable).
set -eu

HEADERS="lib/ethdev/ethdev_driver.h lib/ethdev/ethdev_vdev.h
drivers/bus/vdev/bus_vdev_driver.h lib/eal/include/dev_driver.h
lib/eal/include/bus_driver.h"
JIT_SOURCES="lib/bpf/bpf_jit_x86.c lib/bpf/bpf_impl.h"

die() { echo "dpdk-sdk-headers: $*" >&2; exit 1; }

incdir=$(pkg-config --variable=includedir libdpdk 2>/dev/null) ||
	die "pkg-config cannot find libdpdk (install libdpdk-dev)"

installed_has_all() {
	for h in $HEADERS; do
		[ -f "$incdir/dpdk/$(basename "$h")" ] || return 1
	done
	return 0
}

version=$(dpkg-query -W -f='${Version}' libdpdk-dev 2>/dev/null) ||
	version=""
upstream=${version#*:}
upstream=${upstream%%-*}

cache=${MVNETA_XDP_CACHE:-/var/cache/mvneta-xdp}
if ! mkdir -p "$cache" 2>/dev/null || [ ! -w "$cache" ]; then
	cache=${HOME:-/tmp}/.cache/mvneta-xdp
	mkdir -p "$cache"
fi
tarball=$cache/dpdk_$upstream.orig.tar.xz

fetch() {
	[ -n "$version" ] ||
		die "libdpdk-dev is not installed from a Debian package; install DPDK's driver headers by hand"
	[ -s "$tarball" ] && return 0
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	if ! (cd "$tmp" && apt-get source --download-only -qq \
			"dpdk=$version" >/dev/null 2>"$tmp/err"); then
		cat "$tmp/err" >&2
		die "cannot download the source package dpdk=$version; a deb-src entry is needed (run devtools/setup.sh as root once)"
	fi
	mv "$tmp/dpdk_$upstream.orig.tar.xz" "$tarball"
}

if [ "${1:-}" = "--fetch" ]; then
	[ -z "$version" ] || fetch
	exit 0
fi

[ $# -eq 1 ] || die "usage: $0 OUTDIR | --fetch"
out=$1

# A DPDK not from a Debian package: its own headers, no JIT source.
if [ -z "$version" ] && installed_has_all; then
	exit 0
fi

wanted="$JIT_SOURCES"
installed_has_all || wanted="$HEADERS $wanted"

stamp=$out/.dpdk-version
have_all() {
	[ -f "$stamp" ] && [ "$(cat "$stamp")" = "$version" ] || return 1
	for f in $wanted; do
		[ -f "$out/$(basename "$f")" ] || return 1
	done
	return 0
}
if have_all; then
	echo "$out"
	exit 0
fi

fetch
mkdir -p "$out"
for f in $wanted; do
	tar -xJf "$tarball" -O --wildcards "*/$f" > "$out/$(basename "$f")" ||
		die "$f is missing from $tarball"
done
echo "$version" > "$stamp"
echo "$out"
