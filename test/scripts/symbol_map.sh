#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# The library exports exactly what its installed headers declare, as
# DPDK checks its own maps: every function of an rte_xdp_*.h header is in
# lib/xdp_compat/version.map, declared __rte_experimental exactly when it
# is in the map's EXPERIMENTAL section, and the built library exports
# nothing else but the map's INTERNAL symbols.
set -eu
. "$(dirname "$0")/lib.sh"

lib=$SRCDIR/lib/xdp_compat
map=$lib/version.map
so=$(ls "$BUILD"/lib/xdp_compat/librte_xdp_compat.so.* | head -n 1)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# name<TAB>experimental(0|1) of each function a header declares
for h in "$lib"/rte_xdp_*.h; do
	awk '
	/^__rte_experimental/ { exp = 1; next }
	/^[a-z].*[ *]rte_xdp_[a-z0-9_]+\(/ {
		match($0, /rte_xdp_[a-z0-9_]+\(/)
		print substr($0, RSTART, RLENGTH - 1) "\t" exp
	}
	{ exp = 0 }' "$h"
done | sort -u >"$tmp/hdr"
section() {
	awk -v s="$1" '$1 == s { f = 1; next } f && /^}/ { f = 0 }
		f && /;$/ && $1 != "local:" { sub(/;$/, "", $1); print $1 }' "$map" |
		sort -u
}
section DPDK_XDP_COMPAT_0.1 >"$tmp/stable"
section EXPERIMENTAL >"$tmp/exp"
section INTERNAL >"$tmp/internal"

bad=0
while IFS="$(printf '\t')" read -r f exp; do
	if grep -qx "$f" "$tmp/exp"; then
		[ "$exp" = 1 ] || { echo "$f: in EXPERIMENTAL, not __rte_experimental in its header"; bad=1; }
	elif grep -qx "$f" "$tmp/stable"; then
		[ "$exp" = 0 ] || { echo "$f: __rte_experimental, but in the stable section"; bad=1; }
	else
		echo "$f: declared in a header, missing from version.map"
		bad=1
	fi
done <"$tmp/hdr"
nm -D --defined-only "$so" | awk '$2 ~ /[TDBR]/ { sub(/@.*/, "", $3); print $3 }' | sort -u >"$tmp/exported"
cat "$tmp/stable" "$tmp/exp" "$tmp/internal" | sort -u >"$tmp/mapped"
extra=$(comm -23 "$tmp/exported" "$tmp/mapped")
[ -z "$extra" ] || { echo "exported without being in the map: $extra"; bad=1; }
[ $bad -eq 0 ] || fail "lib/xdp_compat/version.map and the headers disagree"
echo "PASS: $(wc -l <"$tmp/hdr") functions, $(wc -l <"$tmp/exp") experimental, the map and the headers agree"
