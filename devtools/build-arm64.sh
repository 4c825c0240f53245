#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Cross-build everything for arm64 (AArch64, the Armada SoCs' ISA) into
# build-arm64/: the library, the PMD, dpdk-xdp, the examples, the tests
# and the BPF objects. Idempotent, like devtools/build.sh, which it runs
# first for the machine's set-up.
#
# The arm64 DPDK, libbpf, libelf, libpcap and libc come from Debian's
# arm64 packages of the same version as the installed amd64 DPDK,
# downloaded and unpacked into a sysroot (nothing is installed
# system-wide: Debian's arm64 -dev packages conflict with the amd64
# ones). The sysroot is cached in $MVNETA_XDP_CACHE (default
# /var/cache/mvneta-xdp, or ~/.cache/mvneta-xdp), reused while the DPDK
# version is the same, and linked from build-arm64/sysroot so that
#     qemu-aarch64-static -L build-arm64/sysroot build-arm64/app/dpdk-xdp/dpdk-xdp
# runs a tool. The meson cross file comes from buildtools/cross-arm64.ini.in.
# Prints the build directory. BUILD_DIR overrides build-arm64/.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build-arm64}

die() { echo "build-arm64: $*" >&2; exit 1; }

if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
else
	SUDO=
fi

# The machine's own set-up (packages, deb-src, DPDK's source package).
"$top/devtools/setup.sh" >&2

# The cross compiler and the emulator.
cross_packages="gcc-aarch64-linux-gnu qemu-user-static binfmt-support file"
missing=""
for p in $cross_packages; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "build-arm64: installing$missing" >&2
	$SUDO apt-get update -qq
	$SUDO env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# apt must know the arm64 packages (downloaded, never installed).
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	echo "build-arm64: adding the arm64 architecture to apt's lists" >&2
	$SUDO dpkg --add-architecture arm64
	$SUDO apt-get update -qq
fi

version=$(dpkg-query -W -f='${Version}' libdpdk-dev) ||
	die "libdpdk-dev is not installed (devtools/setup.sh installs it)"
if [ -z "$(apt-cache madison "libdpdk-dev:arm64" | grep -F "| $version |")" ]; then
	$SUDO apt-get update -qq
	apt-cache madison "libdpdk-dev:arm64" | grep -qF "| $version |" ||
		die "no libdpdk-dev:arm64 of version $version (the driver-SDK headers and the JIT source come from that version's source package)"
fi

cache=${MVNETA_XDP_CACHE:-/var/cache/mvneta-xdp}
if ! mkdir -p "$cache" 2>/dev/null || [ ! -w "$cache" ]; then
	cache=${HOME:-/tmp}/.cache/mvneta-xdp
	mkdir -p "$cache"
fi
sysroot=$cache/arm64-sysroot-$version
debs=$cache/arm64-debs

# What the build links against and what the tests run (dpdk-dev:
# dpdk-testpmd and dpdk-test; coreutils: the libstdbuf.so that stdbuf
# preloads, found in the sysroot by an emulated program), with every
# arm64 package they depend on.
ROOTS="libdpdk-dev:arm64=$version dpdk-dev:arm64=$version
libbpf-dev:arm64 libelf-dev:arm64 libpcap-dev:arm64 zlib1g-dev:arm64
libc6-dev:arm64 coreutils:arm64"

# The packages apt would install on an empty arm64 system, with their
# versions: an empty dpkg status, so the amd64 ones do not get in the
# way. Only arm64 packages go in; the interpreter dpdk-dev's scripts
# need is left out (nothing here runs them).
resolve() {
	empty=$(mktemp -d)
	: > "$empty/status"
	# shellcheck disable=SC2086
	apt-get -s -o Debug::NoLocking=1 \
		-o Dir::State::status="$empty/status" \
		-o APT::Install-Recommends=false install $ROOTS 2>"$empty/err" |
		sed -n 's/^Inst \([^ ]*:arm64\) (\([^ ]*\) .*/\1=\2/p' |
		grep -Ev '^(python3|libpython3)' | sort > "$empty/list" ||
		true
	if [ ! -s "$empty/list" ]; then
		cat "$empty/err" >&2
		rm -rf "$empty"
		die "apt cannot resolve the arm64 packages"
	fi
	cat "$empty/list"
	rm -rf "$empty"
}

# How assemble() unpacks: a sysroot made otherwise is made again.
ASSEMBLY=2

# NAME:arm64=VERSION -> the file apt-get download writes.
debfile() {
	name=${1%%:*}
	ver=${1#*=}
	echo "${name}_$(echo "$ver" | sed 's/:/%3a/')_arm64.deb"
}

# Unpack the packages into a fresh sysroot, merged-/usr as Debian 12 is.
assemble() {
	list=$1
	mkdir -p "$debs"
	(
		cd "$debs"
		need=""
		for p in $list; do
			[ -f "$(debfile "$p")" ] || need="$need $p"
		done
		if [ -n "$need" ]; then
			echo "build-arm64: downloading $(echo "$need" | wc -w) arm64 packages" >&2
			# shellcheck disable=SC2086
			apt-get download -qq -o APT::Sandbox::User=root $need >&2
		fi
	)
	tmp=$sysroot.tmp.$$
	rm -rf "$tmp"
	mkdir -p "$tmp/usr/lib" "$tmp/usr/bin" "$tmp/usr/sbin"
	ln -s usr/lib "$tmp/lib"
	ln -s usr/bin "$tmp/bin"
	ln -s usr/sbin "$tmp/sbin"
	for p in $list; do
		# coreutils: its libstdbuf.so only (meson puts the sysroot's
		# bin/ in some tests' PATH, where arm64 tools would be slow)
		case "$p" in
		coreutils:*) only=./usr/libexec/coreutils/libstdbuf.so ;;
		*) only= ;;
		esac
		dpkg-deb --fsys-tarfile "$debs/$(debfile "$p")" |
			tar -x --keep-directory-symlink -C "$tmp" $only
	done
	# Absolute links point into the sysroot, not at the build machine.
	find "$tmp" -type l -lname '/*' | while IFS= read -r l; do
		ln -sfn "$(realpath -m --relative-to="$(dirname "$l")" \
			"$tmp$(readlink "$l")")" "$l"
	done
	echo "$list" > "$tmp/.packages"
	echo "$ASSEMBLY" > "$tmp/.assembly"
	rm -rf "$sysroot"
	mv "$tmp" "$sysroot"
}

list=$(resolve)
if [ ! -f "$sysroot/.packages" ] ||
   [ "$(cat "$sysroot/.packages")" != "$list" ] ||
   [ "$(cat "$sysroot/.assembly" 2>/dev/null)" != "$ASSEMBLY" ]; then
	echo "build-arm64: assembling the arm64 sysroot in $sysroot" >&2
	assemble "$list"
fi

mkdir -p "$build"
ln -sfn "$sysroot" "$build/sysroot"
cross=$build/cross-arm64.ini
sed "s|@SYSROOT@|$build/sysroot|" "$top/buildtools/cross-arm64.ini.in" \
	> "$cross.tmp"
if cmp -s "$cross.tmp" "$cross"; then
	rm "$cross.tmp"
else
	mv "$cross.tmp" "$cross"
fi

if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" "$top" --cross-file "$cross" >&2
fi
ninja -C "$build" >&2
echo "$build"
