#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Install what is missing, build, and run the whole test suite.
# Extra arguments go to `meson test` (e.g. --suite fast).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$("$top/devtools/build.sh")
exec meson test -C "$build" --print-errorlogs "$@"
