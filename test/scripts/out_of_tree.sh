#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The library as an application outside this tree gets it: `meson install`
# (into a staging directory), then a C file built with nothing but
# `pkg-config --cflags --libs dpdk-xdp-compat` runs an XDP object through
# the installed library's API.
set -eu
. "$(dirname "$0")/lib.sh"

command -v pkg-config >/dev/null || skip "pkg-config not installed"
src=$(cd "$(dirname "$0")/.." && pwd)/out_of_tree/load_and_list.c
obj=$BUILD/test/bpf/xdp_pass_v2.o
[ -f "$obj" ] || skip "BPF test objects not built (clang missing?)"
CC=${OOT_CC:-cc}
tmp=$(mktemp -d)
# A cross build (OOT_SYSROOT): installed into a directory of the sysroot,
# pkg-config reads the sysroot's .pc files and prefixes their paths with
# it, as a cross-compiling user's does.
root=${OOT_SYSROOT:+$OOT_SYSROOT/tmp-oot$$}
root=${root:-$tmp/root}
trap 'rm -rf "$tmp" "$root"; eal_mem_cleanup oot$$' EXIT

meson install -C "$BUILD" --destdir "$root" --no-rebuild --quiet \
	>"$tmp/install.log" 2>&1 || { cat "$tmp/install.log"; fail "meson install"; }
pc=$(find "$root" -name dpdk-xdp-compat.pc | head -n 1)
[ -n "$pc" ] || fail "meson install put no dpdk-xdp-compat.pc"
# The staging directory stands for the prefix it was installed for.
prefix=$(sed -n 's/^prefix=//p' "$pc")
mkdir "$tmp/pc"
sed "s|^prefix=.*|prefix=${root#"${OOT_SYSROOT:-}"}$prefix|" "$pc" \
	>"$tmp/pc/dpdk-xdp-compat.pc"
if [ -n "${OOT_SYSROOT:-}" ]; then
	PKG_CONFIG_SYSROOT_DIR=$OOT_SYSROOT
	PKG_CONFIG_LIBDIR=$tmp/pc:$(find "$OOT_SYSROOT/usr/lib" -maxdepth 2 \
		-name pkgconfig -type d | tr '\n' :)$OOT_SYSROOT/usr/share/pkgconfig
	export PKG_CONFIG_SYSROOT_DIR PKG_CONFIG_LIBDIR
	CC="$CC --sysroot=$OOT_SYSROOT"
else
	PKG_CONFIG_PATH=$tmp/pc
	export PKG_CONFIG_PATH
fi
flags=$(pkg-config --cflags --libs dpdk-xdp-compat) ||
	fail "pkg-config cannot resolve dpdk-xdp-compat"
# shellcheck disable=SC2086
$CC -Wall -Werror -DALLOW_EXPERIMENTAL_API -o "$tmp/app" "$src" $flags ||
	fail "the out-of-tree build failed with: $flags"
libdir=$(dirname "$(find "$root" -name 'librte_xdp_compat.so' | head -n 1)")
# A sanitized build's library needs the ASan runtime first in the
# process, as for the stock testpmd (lib.sh, sanitizer_preload).
preload=${ASAN_RUNTIME:-}
out=$(LD_PRELOAD=$preload LD_LIBRARY_PATH=$libdir "$tmp/app" --no-huge --no-pci -m 128 \
	--no-shconf --file-prefix oot$$ --log-level=lib.eal:error -- "$obj") ||
	fail "the application failed: $out"
echo "$out"
case "$out" in
*"programs 1, first xdp_pass, verdict 2"*) ;;
*) fail "unexpected output" ;;
esac
# Experimental APIs are refused without ALLOW_EXPERIMENTAL_API, as DPDK's.
# shellcheck disable=SC2086
if $CC -Werror -o "$tmp/app2" "$src" $flags 2>/dev/null; then
	fail "the control API built without ALLOW_EXPERIMENTAL_API"
fi
echo "PASS: built and ran against the installed library with pkg-config"
