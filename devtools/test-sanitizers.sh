#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# The whole default test suite in a build with AddressSanitizer,
# LeakSanitizer and UndefinedBehaviorSanitizer (build-asan/, configured
# once with -Db_sanitize=address,undefined), every report fatal:
# `meson test --setup sanitize` (test/sanitizers/meson.build). The stock
# dpdk-testpmd and dpdk-test that load the PMD with -d get the ASan
# runtime preloaded (test/scripts/lib.sh). DPDK's own libraries are not
# instrumented. Extra arguments go to `meson test`. BUILD_DIR overrides
# build-asan/.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build-asan}

"$top/devtools/setup.sh" >&2
if [ ! -f "$build/build.ninja" ]; then
	# debugoptimized: -O2 -g, so that reports name files and lines.
	# b_lundef=false: with clang, instrumented shared objects leave the
	# sanitizer runtime's symbols to the executable.
	meson setup "$build" "$top" -Db_sanitize=address,undefined \
		-Db_lundef=false -Dbuildtype=debugoptimized >&2
fi
ninja -C "$build" >&2
exec meson test -C "$build" --setup sanitize --print-errorlogs "$@"
