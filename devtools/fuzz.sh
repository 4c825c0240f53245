#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# The libFuzzer targets of test/fuzz/ (fuzz_obj_loader, fuzz_obj_mutate,
# fuzz_frame_path). Configures build-fuzz/ once (CC=clang, -Dfuzz=true),
# builds it, then for each target:
#
#   ./devtools/fuzz.sh --ci          the committed corpus (seeds and every
#                                    crash found so far) replayed, then a
#                                    fixed number of inputs (FUZZ_RUNS, by
#                                    default about a minute's worth per
#                                    target) from a fixed seed (FUZZ_SEED,
#                                    default 1), at most FUZZ_SECONDS
#                                    (default 300): CI replays the sequence
#                                    checked before a commit, whatever the
#                                    machine's speed; new ground is for the
#                                    long runs
#   ./devtools/fuzz.sh [TARGET...]   the long run: FUZZ_SECONDS (default
#                                    3600) per target, FUZZ_JOBS (default 1)
#                                    processes (libFuzzer -fork)
#
# Inputs that add coverage are kept in build-fuzz/corpus/<target>/ (not
# in the source tree), crashes in build-fuzz/artifacts/<target>/; the
# object fuzzers also start from every object the build compiled in
# build-fuzz/test/bpf/. Prints executions, seconds and executions per
# second per target; exits 1 if any target crashed. A crash becomes a
# regression test: put its input in test/fuzz/corpus/<target>/ under a
# name that says what it found, and fix the bug.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build-fuzz}
ci=0
targets=""
for a in "$@"; do
	case "$a" in
	--ci) ci=1 ;;
	-h|--help) sed -n '3,29p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	fuzz_*) targets="$targets $a" ;;
	*) echo "fuzz.sh: unknown argument $a (see --help)" >&2; exit 2 ;;
	esac
done
[ -n "$targets" ] ||
	targets="fuzz_obj_loader fuzz_obj_mutate fuzz_frame_path"
if [ $ci = 1 ]; then
	secs=${FUZZ_SECONDS:-300}
	seed="-seed=${FUZZ_SEED:-1}"
else
	seed=${FUZZ_SEED:+-seed=$FUZZ_SEED}
	secs=${FUZZ_SECONDS:-3600}
fi
jobs=${FUZZ_JOBS:-1}

"$top/devtools/setup.sh" >&2
if [ ! -f "$build/build.ninja" ]; then
	CC=clang meson setup "$build" "$top" -Dfuzz=true \
		-Dbuildtype=debugoptimized >&2
fi
ninja -C "$build" >&2

# Seeds of the object fuzzers: the test objects, below the size limit.
seeds=$build/fuzz-seeds
rm -rf "$seeds"
mkdir -p "$seeds"
find "$build/test/bpf" -name '*.o' -size -64k | while read -r o; do
	cp "$o" "$seeds/$(echo "${o#"$build"/test/bpf/}" | tr / _)"
done

failed=""
summary=""
for t in $targets; do
	exe=$build/test/fuzz/$t
	[ -x "$exe" ] || { echo "fuzz.sh: no target $t" >&2; exit 2; }
	work=$build/corpus/$t
	art=$build/artifacts/$t
	log=$build/fuzz-logs/$t.log
	mkdir -p "$work" "$art" "$(dirname "$log")"
	# runs: about 60 s of each on the 2-core CI machine
	case $t in
	fuzz_frame_path) opts="-max_len=9020"; extra=""; runs=120000 ;;
	fuzz_obj_mutate) opts="-max_len=65536"; extra=$seeds; runs=150000 ;;
	*) opts="-max_len=65536"; extra=$seeds; runs=300000 ;;
	esac
	[ $ci = 1 ] && opts="$opts -runs=${FUZZ_RUNS:-$runs}"
	[ "$jobs" -gt 1 ] && opts="$opts -fork=$jobs -ignore_crashes=0"
	echo "fuzz.sh: $t for at most ${secs}s ($log)" >&2
	rc=0
	t0=$(date +%s)
	# -timeout: the harness loads an object twice, and a load may spend
	# XDPC_VALIDATE_SECS (20) in rte_bpf's validator before it is refused
	# shellcheck disable=SC2086
	timeout $((secs + 600)) "$exe" -max_total_time="$secs" -timeout=90 $seed \
		-rss_limit_mb=4096 -print_final_stats=1 \
		-artifact_prefix="$art/" $opts "$work" \
		"$top/test/fuzz/corpus/$t" $extra >"$log" 2>&1 || rc=$?
	took=$(($(date +%s) - t0))
	execs=$(awk -F': *' '/^stat::number_of_executed_units/ { n = $2 }
		END { print n + 0 }' "$log")
	if [ "$execs" = 0 ]; then	# -fork: the last status line
		execs=$(awk '/^#[0-9]+/ { sub("#", "", $1); n = $1 }
			END { print n + 0 }' "$log")
	fi
	rate=$(awk -F': *' '/^stat::average_exec_per_sec/ { r = $2 }
		END { print r + 0 }' "$log")
	[ "$rate" = 0 ] && rate=$((execs / (took > 0 ? took : 1)))
	cov=$(awk '/^#[0-9]+.*cov:/ { for (i = 1; i < NF; i++)
		if ($i == "cov:") c = $(i + 1) } END { print c + 0 }' "$log")
	if [ $rc = 0 ]; then
		res=ok
	else
		res="FAILED (exit $rc)"
		failed="$failed $t"
		grep -E 'ERROR|runtime error|FUZZ CHECK|SUMMARY|Test unit written' \
			"$log" | head -20 >&2
	fi
	summary="$summary$(printf '%-16s %10s execs %6ss %8s exec/s  cov %-6s %s' \
		"$t" "$execs" "$took" "$rate" "$cov" "$res")
"
done
printf '%s' "$summary"
if [ -n "$failed" ]; then
	echo "fuzz.sh: crashed:$failed; inputs in $build/artifacts/" >&2
	exit 1
fi
