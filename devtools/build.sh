#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Set up the machine if needed, then configure (once) and build.
# Prints the build directory. BUILD_DIR overrides the default ./build.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build}

"$top/devtools/setup.sh" >&2
if [ ! -f "$build/build.ninja" ]; then
	meson setup "$build" "$top" >&2
fi
ninja -C "$build" >&2
echo "$build"
