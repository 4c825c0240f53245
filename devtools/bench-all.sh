#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Every benchmark of the project, one after the other, on this machine:
# builds what it needs, runs each devtools/bench-*.sh (each measures its
# comparisons side by side, several runs, medians), then gathers the
# Mpps rows of their tables into doc/perf/results.csv and a chart,
# doc/perf/results.png. Set RUNS to change the number of runs.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$("$top/devtools/build.sh")
perf=$top/doc/perf
export BUILD_DIR="$build"

for pkg in gnuplot-nox bc; do
	dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null |
		grep -q "install ok installed" ||
		{ apt-get install -y -qq "$pkg" >/dev/null 2>&1 ||
		  echo "bench-all: $pkg not installed (no chart)" >&2; }
done

run() {
	echo "== $*" >&2
	"$@" >/dev/null 2>&1 || echo "bench-all: $* failed" >&2
}

run "$top/devtools/bench-testpmd.sh"
run "$top/devtools/bench-xdp.sh"
run env XDP_PERF_FRAME_SIZE=1500 KERNEL_BENCH=0 \
	OUT="$perf/native-xdp-1500.md" "$top/devtools/bench-xdp.sh"
run "$top/devtools/bench-generic-xdp.sh"
for extra in bench-prog-run.sh bench-xdp-fwd.sh; do
	[ -x "$top/devtools/$extra" ] && run "$top/devtools/$extra"
done

# Mpps rows of the Markdown tables: file, scenario, median.
csv=$perf/results.csv
echo "report,scenario,median_mpps" >"$csv"
for f in testpmd-io.md native-xdp.md native-xdp-1500.md kernel-xdp.md \
		xdp-fwd.md generic-xdp.md; do
	[ -f "$perf/$f" ] || continue
	awk -v f="${f%.md}" -F'|' '
		/^\| *(scenario|ports|sink|forwarder)/ { if ($3 ~ /Mpps/) t = 1; next }
		/^\|---/ { next }
		t && /^\|/ { gsub(/^ +| +$/, "", $2); gsub(/ /, "", $3);
			     gsub(/,/, ";", $2); print f "," $2 "," $3; next }
		!/^\|/ { t = 0 }' "$perf/$f" >>"$csv"
done

if command -v gnuplot >/dev/null; then
	n=$(($(wc -l <"$csv") - 1))
	gnuplot <<EOT
set terminal png noenhanced size 1500,$((120 + 20 * n))
set output "$perf/results.png"
set datafile separator ","
set style fill solid 0.7
set xlabel "Mpps (median, log scale)"
set logscale x
set ytics nomirror font ",9"
set yrange [-1:$n]
set grid xtics
set title "mvneta_xdp benchmarks, $(nproc) cores, $(date -u +%Y-%m-%d) (doc/perf/*.md)"
plot "$csv" every ::1 using (sqrt(\$3*0.1)):(\$0-1):(0.1):(\$3):(\$0-1.35):(\$0-0.65):yticlabels(strcol(1)." / ".strcol(2)) with boxxyerror notitle
EOT
fi
echo "results: $csv${n:+ and $perf/results.png}"
