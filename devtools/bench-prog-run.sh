#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Test-run cost of each XDP test program: the kernel (bpftool prog run
# ... repeat N, BPF_PROG_TEST_RUN, JIT) against dpdk-xdp (prog run ...
# repeat N, rte_bpf JIT), same frame, same CPU, alternating in one run.
# Both report the average time of one run of the program (ns); the table
# gives the median of RUNS rounds and the ratio dpdk-xdp / kernel.
# REPEAT (default 10,000,000) is lowered for a program whose round would
# exceed BUDGET_MS on either side, so that the whole run stays under two
# minutes. An object this kernel refuses only because it does not offer
# one of its helpers or kfuncs to XDP (test/scripts/kernel_lacks.py) is
# skipped, with the reason under the table; any other refusal stops the
# run. Needs root (bpf(), the BPF filesystem, mounted if need be); writes
# doc/perf/prog-run.md.
#
#   RUNS=3 REPEAT=10000000 ./devtools/bench-prog-run.sh
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-}
if [ -z "$build" ]; then
	build=$("$top/devtools/build.sh")
fi
runs=${RUNS:-3}
repeat=${REPEAT:-10000000}
budget=${BUDGET_MS:-250}
cpu=${CPU:-1}
out=${OUT:-$top/doc/perf/prog-run.md}
xdp="$build/app/dpdk-xdp/dpdk-xdp"
objs="$build/test/bpf"

[ "$(id -u)" -eq 0 ] || { echo "bench-prog-run: needs root (bpf())" >&2; exit 1; }
"$top/devtools/mount-bpffs.sh" || exit 1
. "$top/devtools/eal-mem.sh"
EAL_MEM_ARGS=$(eal_mem_args bench$$) EAL_MEM_KIND=$(eal_mem_kind)
export EAL_MEM_ARGS EAL_MEM_KIND
pin=/sys/fs/bpf/bench_prog_run_$$
work=$(mktemp -d)
trap 'rm -rf "$pin" "$work"' EXIT INT TERM
mkdir -p "$pin"

python3 - "$xdp" "$objs" "$pin" "$work" "$runs" "$repeat" "$budget" "$cpu" \
	"$out" "$top/test/bpf" "$top/test/scripts" <<'PY'
import json, os, re, statistics, struct, subprocess, sys, time

xdp, objs, pin, work, runs, repeat, budget, cpu, out, src, scripts = \
    sys.argv[1:12]
runs, repeat, budget = int(runs), int(repeat), int(budget)
sys.path.insert(0, scripts)
import kernel_lacks
OBJECTS = ["xdp_pass", "xdp_count", "xdp_adjust", "xdp_meta", "xdp_clamp",
           "xdp_helpers", "xdp_maps", "xdp_redirect", "xdp_fields",
           "xdp_csum", "xdp_div", "xdp_jmp32_spill", "xdp_lb"]
# devtools/eal-mem.sh: hugepages when free, else --no-huge
eal = os.environ["EAL_MEM_ARGS"].split() + [
       "--no-pci", "--no-telemetry", "--log-level=lib.eal:error",
       "-l", cpu, "--"]
frame = bytes([0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99,
               0xaa, 0xbb, 8, 0, 0x45, 0, 0, 100, 0, 1, 0, 0, 64, 17, 0, 0,
               10, 9, 8, 7, 10, 1, 2, 3]) + bytes(range(80))
fin = os.path.join(work, "frame")
open(fin, "wb").write(frame)
# xdp_lb: UDP to its virtual IP 10.1.2.3:80, so that xdp_lb_probe takes
# its whole path (about forty bpf-to-bpf calls) on every run
vip_frame = frame[:34] + struct.pack(">HHHH", 1234, 80, 88, 0) + bytes(range(72))
fin_vip = os.path.join(work, "frame_vip")
open(fin_vip, "wb").write(vip_frame)
FRAME_OF = {"xdp_lb": fin_vip}

def setup_lines(name):
    """Map updates the object needs ("xdp-diff:" lines of its source)."""
    path = os.path.join(src, name + ".c")
    if not os.path.exists(path):
        return []
    return re.findall(r"xdp-diff: (map update .*)", open(path).read())

def sh(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        raise SystemExit("%s: %s%s" % (" ".join(cmd), r.stdout, r.stderr))
    return r.stdout

# Both sides at real-time priority (SCHED_FIFO), so that other processes
# do not take the CPU from them: the kernel's test timer stops while the
# run yields the CPU (bpf_test_timer_continue()), dpdk-xdp's clock does
# not, and on a busy machine the others' load would count against dpdk-xdp
# alone.
rt = ["chrt", "-f", "50"]
if subprocess.run(rt + ["true"], capture_output=True).returncode != 0:
    rt = []
    print("bench-prog-run: no real-time priority (chrt -f): other load on "
          "CPU %s counts against dpdk-xdp" % cpu, file=sys.stderr)

def kernel_run(path, n, data):
    o = sh(rt + ["taskset", "-c", cpu, "bpftool", "-j", "prog", "run",
                 "pinned", path, "data_in", data, "repeat", str(n)])
    return json.loads(o)["duration"]

def dpdk_runs(obj, progs, setup, data):
    """One dpdk-xdp process: every program of the object, once each."""
    batch = os.path.join(work, "batch")
    with open(batch, "w") as f:
        f.write("prog load %s\n" % obj)
        for line in setup:
            f.write(line + "\n")
        for p, n in progs:
            f.write("prog run name %s data_in %s repeat %d\n" % (p, data, n))
    res = json.loads(sh(rt + [xdp] + eal + ["-j", "batch", "file", batch]))
    return [r["output"]["duration"] for r in res[1 + len(setup):]]

def kernel_setup(pdir, mdir, setup):
    for line in setup:
        w = line.split()
        if len(w) > 9 and w[8] == "value" and w[9] == "name":
            w = w[:9] + ["pinned", os.path.join(pdir, w[10])] + w[11:]
        sh(["bpftool", "map", "update", "pinned", os.path.join(mdir, w[3])] +
           w[4:])

rows = []
skipped = []	# (object, reason)
t_start = time.time()
load_start = os.getloadavg()[0]
for name in OBJECTS:
    cpus = [c for c in ("v2", "v3")
            if os.path.exists(os.path.join(objs, "%s_%s.o" % (name, c)))]
    for c in cpus:
        obj = os.path.join(objs, "%s_%s.o" % (name, c))
        pdir = os.path.join(pin, "%s_%s" % (name, c))
        mdir = pdir + "_maps"
        data = FRAME_OF.get(name, fin)
        setup = setup_lines(name)
        r = subprocess.run(["bpftool", "prog", "loadall", obj, pdir,
                            "pinmaps", mdir], capture_output=True, text=True)
        lack = kernel_lacks.lacks(r.stderr) if r.returncode != 0 else None
        if lack:
            skipped.append(("%s_%s" % (name, c),
                            "this kernel lacks %s for XDP" % lack[0]))
            print("%-26s %s skipped: %s" % (name, c, skipped[-1][1]),
                  flush=True)
            sh(["rm", "-rf", pdir, mdir])
            continue
        if r.returncode != 0:
            raise SystemExit("bpftool prog loadall %s: %s" % (obj, r.stderr))
        kernel_setup(pdir, mdir, setup)
        progs = []
        for p in sorted(os.listdir(pdir)):
            info = json.loads(sh(["bpftool", "-j", "prog", "show", "pinned",
                                  os.path.join(pdir, p)]))
            # devmap/cpumap programs are not test-run by the kernel
            r = subprocess.run(["bpftool", "prog", "run", "pinned",
                                os.path.join(pdir, p), "data_in", data],
                               capture_output=True)
            if r.returncode == 0:
                progs.append(p)
        if not progs:
            continue
        # calibrate: lower the repeat count of slow programs
        k1 = [kernel_run(os.path.join(pdir, p), 10000, data) for p in progs]
        d1 = dpdk_runs(obj, [(p, 10000) for p in progs], setup, data)
        reps = [max(1000, min(repeat, int(budget * 1e6 / max(a, b, 1))))
                for a, b in zip(k1, d1)]
        kt = {p: [] for p in progs}
        dt = {p: [] for p in progs}
        for _ in range(runs):
            for p, n in zip(progs, reps):
                kt[p].append(kernel_run(os.path.join(pdir, p), n, data))
            for p, d in zip(progs, dpdk_runs(obj, list(zip(progs, reps)),
                                             setup, data)):
                dt[p].append(d)
        for p, n in zip(progs, reps):
            km, dm = statistics.median(kt[p]), statistics.median(dt[p])
            rows.append((p, c, n, km, dm, kt[p], dt[p]))
            print("%-26s %s repeat %-9d kernel %5d ns  dpdk-xdp %5d ns  ratio %.2f"
                  % (p, c, n, km, dm, dm / km if km else 0), flush=True)
        sh(["rm", "-rf", pdir, mdir])
elapsed = time.time() - t_start

cpuinfo = [l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
           if l.startswith("model name")]
with open(out, "w") as f:
    f.write("# Program test runs: dpdk-xdp vs the kernel\n\n")
    f.write("Command: `RUNS=%d REPEAT=%d ./devtools/bench-prog-run.sh` "
            "(as root; %.0f s, from %s UTC; load average %.1f at the start, "
            "%.1f at the end)\n\n" % (runs, repeat, elapsed,
            time.strftime("%Y-%m-%d %H:%M", time.gmtime(t_start)),
            load_start, os.getloadavg()[0]))
    f.write("Each cell is the median over %d alternating rounds of the "
            "average time of one run of the program, as each tool reports "
            "it: `bpftool prog run pinned PROG data_in F repeat N` "
            "(BPF_PROG_TEST_RUN, kernel JIT) and `dpdk-xdp prog run name PROG "
            "data_in F repeat N` (rte_bpf JIT, one mbuf per "
            "rte_xdp_prog_run_burst() call). Both on CPU %s, %s, frame: "
            "114-byte IPv4/UDP (xdp_lb: to its virtual IP). N is lowered "
            "from %d for programs whose round would take over %d ms.\n\n"
            % (runs, cpu, "at SCHED_FIFO priority 50 (the kernel's test "
               "timer stops while the run yields the CPU, dpdk-xdp's clock "
               "does not: other load would count against dpdk-xdp alone)"
               if rt else "at normal priority (chrt -f refused: other load "
               "counts against dpdk-xdp)", repeat, budget))
    f.write("Machine: %d CPUs, %s, kernel %s. EAL memory of dpdk-xdp: "
            "%s (devtools/eal-mem.sh).\n\n" % (
        os.cpu_count(), cpuinfo[0] if cpuinfo else "?", os.uname().release,
        os.environ["EAL_MEM_KIND"]))
    f.write("| program | -mcpu | repeat | kernel ns/run | dpdk-xdp ns/run | ratio dpdk-xdp/kernel |\n")
    f.write("|---|---|---|---|---|---|\n")
    for p, c, n, km, dm, _, _ in rows:
        f.write("| %s | %s | %d | %d | %d | %.2f |\n" %
                (p, c, n, km, dm, dm / km if km else 0))
    ratios = [dm / km for _, _, _, km, dm, _, _ in rows if km]
    f.write("\nMedian ratio over the programs: %.2f\n" % statistics.median(ratios))
    if skipped:
        f.write("\nNot measured: this kernel refuses them for lacking a "
                "helper or kfunc for XDP (test/scripts/kernel_lacks.py), so "
                "there is nothing to compare with:\n\n")
        f.write("".join("* %s: %s\n" % s for s in skipped))
    else:
        f.write("\nEvery object loaded in this kernel: none skipped for "
                "lacking a helper or kfunc (test/scripts/kernel_lacks.py).\n")
    calls = [(c, dm / km) for p, c, _, km, dm, _, _ in rows
             if p == "xdp_lb_probe" and km]
    if calls:
        f.write("\nBpf-to-bpf calls: `xdp_lb_probe` (test/bpf/xdp_lb.c, a "
                "load balancer written as small functions like Katran's "
                "balancer) makes about forty calls per run, static and "
                "global functions nested six frames deep, on a UDP frame "
                "to its virtual IP (map contents from the xdp-diff lines "
                "of its source). The kernel's JIT makes each a real call; "
                "the runtime inlines them and saves only the callee-saved "
                "registers a callee writes. Ratio: %s (target: at most "
                "1.2).\n" % ", ".join("%.2f (%s)" % (r, c) for c, r in calls))
print("wrote %s (%.0f s)" % (out, elapsed))
PY
