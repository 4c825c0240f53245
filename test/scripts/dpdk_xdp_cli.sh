#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# dpdk-xdp speaks bpftool: its options, its exit statuses, prog run's
# output sizes (data_size_out, ctx_size_out: the kernel's ENOSPC), and
# prog dump xlated|jited in bpftool's shapes, with the rewriter's notes.
# As root with bpf() permitted, the same commands also go to the real
# bpftool and the kernel (a bpffs mounted privately for the test), and
# the statuses, messages, output files and xlated dumps must agree;
# without, that part is left out with a note (a failure under CI=true
# as root).
#
# usage: dpdk_xdp_cli.sh DPDK_XDP BPF_OBJ_DIR
set -u

xdp=$1
objs=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/dpdk_xdp_cli.XXXXXX")
bpffs=$work/bpffs
cleanup() {
	umount "$bpffs" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

kernel=""
if [ "$(id -u)" -ne 0 ]; then
	why="not root"
elif ! command -v bpftool >/dev/null; then
	why="no bpftool"
elif ! mkdir -p "$bpffs" || ! mount -t bpf bpf "$bpffs" 2>/dev/null; then
	why="cannot mount a bpffs"
elif ! bpftool prog load "$objs/xdp_pass_v2.o" "$bpffs/probe" \
		>/dev/null 2>&1; then
	why="bpf() not permitted"
else
	kernel=$bpffs
	rm -f "$bpffs/probe"
fi
if [ -z "$kernel" ]; then
	if [ "${CI:-}" = true ] && [ "$(id -u)" -eq 0 ]; then
		echo "FAIL: the comparison with bpftool cannot run as root: $why"
		exit 1
	fi
	echo "note: no comparison with bpftool and the kernel: $why"
fi

python3 - "$xdp" "$objs" "$work" "$kernel" <<'PY'
import json, os, re, struct, subprocess, sys

xdp, objs, work, kernel = sys.argv[1:5]
fails = []

def check(cond, what):
    print("%s %s" % ("ok  " if cond else "FAIL", what))
    if not cond:
        fails.append(what)

def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True,
                          errors="replace", **kw)

def jload(s):
    """JSON, or None for anything else (a failure, not a crash)."""
    try:
        return json.loads(s)
    except ValueError:
        return None

def dx(*args, **kw):
    return run([xdp] + list(args), **kw)

def obj(name):
    return os.path.join(objs, name + "_v3.o")

def path(name):
    return os.path.join(work, name)

def write(name, data):
    open(path(name), "wb").write(data)
    return path(name)

eth = bytes([0, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa,
             0xbb, 8, 0])
frame = write("frame.bin", eth + bytes(range(80)))
FLEN = 94
PASS = os.path.join(objs, "xdp_pass_v2.o")	# r0 = 2: v3 writes w0

# ---- options, as bpftool takes them ----
r = dx("--help")
check(r.returncode == 0 and "{-p|--pretty}" in r.stderr and
      r.stdout == "", "--help: usage (with -p) on stderr, status 0")
r = dx("-h")
check(r.returncode == 0 and "Usage:" in r.stderr, "-h: status 0")
r = dx()
check(r.returncode == 0 and "Usage:" in r.stderr, "no command: the usage, status 0")
r = dx("prog", "help")
check(r.returncode == 0 and "data_size_out L" in r.stderr and
      "dump xlated" in r.stderr, "prog help: prog run and dump syntax")
r = dx("--verify", "nope", "prog", "show")
check(r.returncode == 255 and r.stderr ==
      "Error: --verify: expected auto, kernel or builtin, got 'nope'\n",
      "--verify nope: an error, status 255")
r = dx("-j", "--verify", "nope", "prog", "show")
check(r.returncode == 255 and jload(r.stdout) ==
      {"error": "--verify: expected auto, kernel or builtin, got 'nope'"},
      "-j --verify nope: the error as JSON")
r = dx("prog", "show", "--verify")
check(r.returncode == 255 and "'--verify' needs an argument" in r.stderr,
      "--verify without a policy: an error")
r = dx("--bogus", "prog", "show")
check(r.returncode == 255 and
      r.stderr.startswith("Error: unrecognized option '--bogus'\nUsage:"),
      "an unknown option: the error and the usage, status 255")
r = dx("-j", "prog", "bogus")
check(r.returncode == 255 and
      jload(r.stdout) == {"error": "unknown command 'bogus'"},
      "an unknown command, JSON: the error, one value")
r = dx("prog", "show", PASS, "-j")
check(r.returncode == 0 and (jload(r.stdout) or [{}])[0].get("name") == "xdp_pass",
      "options after the command words, as getopt takes them")
r = dx("-p", "prog", "show", PASS)
check(r.returncode == 0 and r.stdout.startswith('[{\n        "id": 1,\n') and
      (jload(r.stdout) or [{}])[0].get("name") == "xdp_pass",
      "-p: bpftool's pretty JSON")
r = dx("version")
check(r.returncode == 0 and r.stdout.startswith("dpdk-xdp v") and
      "features:" in r.stdout, "version")
r = dx("-j", "version")
v = jload(r.stdout) or {"features": {}}
check(r.returncode == 0 and "libbpf_version" in v and
      "capstone" in v["features"], "version, JSON")

# ---- prog run: repeat, sizes, statuses ----
def drun(*args):
    return dx("prog", "run", PASS, "data_in", frame, *args)

r = drun("repeat", "abc")
check(r.returncode == 255 and
      r.stderr == "Error: can't parse abc as repeat number\n",
      "repeat abc: refused, status 255")
r = drun("repeat", "-5")
check(r.returncode == 255 and
      r.stderr.startswith("Error: unrecognized option '-5'\n"),
      "repeat -5 on the command line: an unknown option, as bpftool")
r = dx("batch", "file", "-", input="prog run %s data_in %s repeat -5\n" %
       (PASS, frame))
check(r.returncode == 255 and "can't parse -5 as repeat number" in r.stderr,
      "repeat -5 in a batch: refused, not 4294967291 runs")
r = drun("repeat", "4294967296")
check(r.returncode == 255 and "can't parse 4294967296" in r.stderr,
      "repeat past 32 bits: refused")
r = drun("repeat", "0x10")
check(r.returncode == 0 and "duration (average)" in r.stdout,
      "repeat 0x10: 16 runs, an average")
r = drun("rep", "2")
check(r.returncode == 0 and "(average)" in r.stdout,
      "keywords by prefix (rep)")
r = drun("dat", "5")
check(r.returncode == 255 and r.stderr == "Error: ambiguous prefix: 'dat' could be 'data_in' or 'data_out' or 'data_size_out'\n",
      "an ambiguous prefix: refused")
r = drun("data_size_out", "x")
check(r.returncode == 255 and
      r.stderr == "Error: can't parse x as output data size\n",
      "data_size_out x: refused")
out = path("out.bin")
r = drun("data_out", out, "data_size_out", str(FLEN - 1))
check(r.returncode == 228 and
      r.stderr == "Error: failed to run program: No space left on device\n"
      and not os.path.exists(out),
      "data_size_out below the frame: ENOSPC (status 228), nothing written")
r = drun("data_out", out, "data_size_out", str(FLEN))
check(r.returncode == 0 and open(out, "rb").read() == open(frame, "rb").read(),
      "data_size_out the frame's size: the frame written")
if os.path.exists(out):
    os.unlink(out)
r = dx("-j", "prog", "run", PASS, "data_in", frame, "data_size_out", "10")
check(r.returncode == 228 and jload(r.stdout) ==
      {"error": "failed to run program: No space left on device"},
      "ENOSPC without data_out, JSON")
ctx = write("ctx.bin", struct.pack("<6I", 0, FLEN, 0, 0, 0, 0))
r = drun("ctx_in", ctx, "ctx_out", path("ctx_out.bin"), "ctx_size_out", "8")
check(r.returncode == 228 and not os.path.exists(path("ctx_out.bin")),
      "ctx_size_out below struct xdp_md: ENOSPC")
r = drun("ctx_in", ctx, "ctx_out", path("ctx_out.bin"))
check(r.returncode == 0 and open(path("ctx_out.bin"), "rb").read() ==
      struct.pack("<6I", 0, FLEN, 0, 0, 0, 0), "ctx_out")
r = drun("data_out", "-")
check(r.returncode == 0 and r.stdout.startswith(
      "0000000\t0011 2233 4455 6677 8899 aabb 0800 0001 | ..\"3DUfw ........\n"),
      "data_out -: bpftool's hex dump")
r = dx("-j", "prog", "run", PASS, "data_in", frame, "data_out", "-")
d = (jload(r.stdout) if r.returncode == 0 else None) or {}
check(d.get("data_out") == list(open(frame, "rb").read()) and
      d.get("retval") == 2, "data_out - with -j: the bytes in the JSON")
# multi-buffer frames: bpftool's 32 KiB default output buffer
big = write("big.bin", eth + bytes(40000))
FRAGS = obj("xdp_frags")
r = dx("prog", "run", FRAGS, "data_in", big)
check(r.returncode == 228, "a 40 KB frame, default data_size_out: ENOSPC")
r = dx("prog", "run", FRAGS, "data_in", big, "data_out", out,
       "data_size_out", "65536")
check(r.returncode == 0 and os.path.getsize(out) == 40014,
      "a 40 KB frame, data_size_out 65536: written")
huge = write("huge.bin", eth + bytes(100000))
r = dx("prog", "run", FRAGS, "data_in", huge)
check(r.returncode == 244 and "Cannot allocate memory" in r.stderr,
      "more than 17 frags: ENOMEM (status 244)")
r = dx("prog", "run", PASS, "data_in", write("short.bin", b"abc"))
check(r.returncode == 234 and
      r.stderr.startswith("Error: failed to run program: Invalid argument"),
      "3 bytes: EINVAL (status 234)")

# ---- prog dump xlated ----
def xlated(o, *args, verify="builtin"):
    r = dx("-j", "--verify", verify, "prog", "dump", "xlated", o, *args)
    return r.returncode, jload(r.stdout) or []

def show(o):
    return jload(dx("-j", "--verify", "builtin", "prog", "show",
                         o).stdout)[0]

def nb_slots(insns):
    return sum(2 if i["disasm"].startswith("(18)") else 1 for i in insns)

rc, x = xlated(PASS)
check(rc == 0 and [i["disasm"] for i in x] == ["(b7) r0 = 2", "(95) exit"]
      and x[0].get("proto") == "int xdp_pass(struct xdp_md * ctx)"
      and x[0].get("src") == "return XDP_PASS;",
      "dump xlated xdp_pass: instructions, prototype, source line")
for name, note in (("xdp_jmp32_spill", "JMP32 as a 64-bit jump"),
                   ("xdp_jmp32_spill", "scratch register kept in a reserved stack slot"),
                   ("xdp_clamp", "variable packet offset clamped"),
                   ("xdp_tailcall", "bpf_tail_call()"),
                   ("xdp_lb", "inlined bpf-to-bpf call"),
                   ("xdp_count", "struct xdp_md field read from the runtime context")):
    rc, x = xlated(obj(name))
    check(rc == 0 and any(note in i.get("notes", "") for i in x),
          "dump xlated %s: notes \"%s\"" % (name, note))
    if name in ("xdp_count", "xdp_clamp"):
        check(nb_slots(x) * 8 == show(obj(name))["bytes_xlated"],
              "dump xlated %s: as many instructions as bytes_xlated" % name)
r = dx("--verify", "builtin", "prog", "dump", "xlated", obj("xdp_jmp32_spill"))
check(r.returncode == 0 and
      re.search(r"^;   \[JMP32 as a 64-bit jump.*: xdp insn \d+\]$", r.stdout, re.M)
      and re.search(r"^ +\d+: \(bc\) w1 = w0$", r.stdout, re.M),
      "dump xlated, plain: rewriter notes as comments, kernel syntax")
r = dx("--verify", "builtin", "prog", "dump", "xlated", obj("xdp_loop"))
check(r.returncode == 0 and "; bpf_loop() callback 1" in r.stdout,
      "dump xlated: bpf_loop callbacks, each its own function")
r = dx("--verify", "builtin", "prog", "dump", "xlated", PASS, "opcodes",
       "linum")
check(r.returncode == 0 and "       b7 00 00 00 02 00 00 00\n" in r.stdout and
      re.search(r"; return XDP_PASS; \[file:.*xdp_pass.c line_num:\d+ line_col:\d+\]",
                r.stdout), "dump xlated opcodes linum")
r = dx("--verify", "builtin", "prog", "dump", "xlated", obj("xdp_count"),
       "file", path("x.bin"))
check(r.returncode == 0 and os.path.getsize(path("x.bin")) ==
      show(obj("xdp_count"))["bytes_xlated"], "dump xlated file FILE")
r = dx("prog", "dump", "xlated", PASS, "file", path("x.bin"), "opcodes")
check(r.returncode == 255, "dump xlated file FILE opcodes: refused")
r = dx("prog", "dump", "sideways", PASS)
check(r.returncode == 255 and "expected 'xlated' or 'jited'" in r.stderr,
      "dump sideways: refused")

# ---- prog dump jited ----
for name in ("xdp_pass", "xdp_count"):
    r = dx("-j", "prog", "dump", "jited", obj(name), "opcodes")
    j = jload(r.stdout) if r.returncode == 0 else None
    if not isinstance(j, list) or not j:
        j = [{}]
    nbytes = sum(len(i["opcodes"]) for i in j[0].get("insns", []))
    check(r.returncode == 0 and nbytes == show(obj(name))["bytes_jited"],
          "dump jited %s opcodes: every byte of the JIT code" % name)
if v["features"]["capstone"]:
    check(str(j[0].get("disassembler")).startswith("capstone") and
          all("operation" in i for i in j[0].get("insns", [])),
          "dump jited: disassembled by capstone")
    r = dx("prog", "dump", "jited", PASS)
    check(r.returncode == 0 and r.stdout.startswith("xdp_pass:\n   0:\t") and
          "ret" in r.stdout, "dump jited, plain")
else:
    check("disassembler" in j[0] and j[0]["disassembler"] is None,
          "dump jited: bytes, no disassembler")
r = dx("prog", "dump", "jited", PASS, "linum")
check(r.returncode == 255 and "line table" in r.stderr,
      "dump jited linum: refused, rte_bpf keeps no JIT line table")
r = dx("prog", "dump", "jited", obj("xdp_count"), "file", path("j.bin"))
check(r.returncode == 0 and os.path.getsize(path("j.bin")) ==
      show(obj("xdp_count"))["bytes_jited"], "dump jited file FILE")

# ---- the same commands against bpftool and the kernel ----
def strip_time(s):
    return re.sub(r'duration( \(average\))?: \d+ns|"duration":\d+', "D", s)

def both(name, opts, args, kprog, dprog, files=()):
    """One prog run on both sides: status, messages, files agree. A
    "%s" in an argument is the side ("k" or "d")."""
    def side(s):
        return [a % s if "%s" in a else a for a in args]
    for f in files:
        for s in ("k", "d"):
            if os.path.exists(f % s):
                os.unlink(f % s)
    k = run(["bpftool"] + opts + ["prog", "run", "pinned",
             os.path.join(kernel, kprog)] + side("k"))
    d = run([xdp] + opts + ["prog", "run", dprog] + side("d"))
    same = (k.returncode == d.returncode and
            strip_time(k.stdout) == strip_time(d.stdout) and
            k.stderr == d.stderr)
    for f in files:
        kf, df = f % "k", f % "d"
        same = same and os.path.exists(kf) == os.path.exists(df) and \
            (not os.path.exists(kf) or
             open(kf, "rb").read() == open(df, "rb").read())
    check(same, "as bpftool: %s (status %d)" % (name, k.returncode))
    if not same:
        print("  bpftool:  %d %r %r\n  dpdk-xdp: %d %r %r" %
              (k.returncode, k.stdout[-300:], k.stderr[-300:],
               d.returncode, d.stdout[-300:], d.stderr[-300:]))

if kernel:
    for o, f in (("xdp_pass", PASS), ("xdp_frags", FRAGS),
                 ("xdp_csum", obj("xdp_csum"))):
        r = run(["bpftool", "prog", "loadall", f, os.path.join(kernel, o)])
        check(r.returncode == 0, "bpftool loads %s" % o)
    P, Fr = "xdp_pass/xdp_pass", "xdp_frags/xdp_frags"
    o = path("o_%s.bin")
    c = path("c_%s.bin")
    cases = [
        ("data_size_out below the frame", [],
         ["data_in", frame, "data_out", o, "data_size_out", "50"], P, PASS),
        ("data_size_out one byte short", [],
         ["data_in", frame, "data_out", o, "data_size_out", str(FLEN - 1)], P, PASS),
        ("data_size_out the frame's size", [],
         ["data_in", frame, "data_out", o, "data_size_out", str(FLEN)], P, PASS),
        ("data_size_out without data_out", [],
         ["data_in", frame, "data_size_out", "10"], P, PASS),
        ("-j, ENOSPC", ["-j"], ["data_in", frame, "data_size_out", "10"], P, PASS),
        ("data_out -", [], ["data_in", frame, "data_out", "-"], P, PASS),
        ("-j data_out -", ["-j"], ["data_in", frame, "data_out", "-"], P, PASS),
        ("ctx_size_out 8", [],
         ["data_in", frame, "ctx_in", ctx, "ctx_out", c, "ctx_size_out", "8"], P, PASS),
        ("ctx_out", [], ["data_in", frame, "ctx_in", ctx, "ctx_out", c], P, PASS),
        ("repeat abc", [], ["data_in", frame, "repeat", "abc"], P, PASS),
        ("repeat 3", [], ["data_in", frame, "repeat", "3"], P, PASS),
        ("an ambiguous prefix", [], ["data_in", frame, "dat", "5"], P, PASS),
        ("an unknown keyword", [], ["data_in", frame, "bogus", "1"], P, PASS),
        ("data_size_out x", [], ["data_in", frame, "data_size_out", "x"], P, PASS),
        ("a 40 KB two-buffer frame, default 32 KiB output", [],
         ["data_in", big, "data_out", o], Fr, FRAGS),
        ("a 40 KB frame, data_size_out 65536", [],
         ["data_in", big, "data_out", o, "data_size_out", "65536"], Fr, FRAGS),
        ("a 40 KB frame, data_size_out 39000", [],
         ["data_in", big, "data_out", o, "data_size_out", "39000"], Fr, FRAGS),
        ("ctx_in data_end short of data_in: the rest in frags", [],
         ["data_in", frame, "data_out", o, "ctx_in", write("ctx20.bin",
          struct.pack("<6I", 0, 20, 0, 0, 0, 0)), "ctx_out", c], Fr, FRAGS),
        ("ctx_in with 8 bytes of metadata", [],
         ["data_in", frame, "data_out", o, "ctx_in", write("ctx_meta.bin",
          struct.pack("<6I", 8, FLEN, 0, 0, 0, 0)), "ctx_out", c], Fr, FRAGS),
        ("a shorter ctx_in", [],
         ["data_in", frame, "ctx_in", write("ctx_short.bin",
          struct.pack("<2I", 0, FLEN)), "ctx_out", c], P, PASS),
        ("a longer ctx_in, zeros past struct xdp_md", [],
         ["data_in", frame, "ctx_in", write("ctx_long.bin",
          struct.pack("<8I", 0, FLEN, 0, 0, 0, 0, 0, 0)), "ctx_out", c], P, PASS),
    ]
    for name, opts, args, kprog, dprog in cases:
        both(name, opts, args, kprog, dprog, files=(o, c))
    # errors whose reason dpdk-xdp adds in parentheses: status and
    # bpftool's message as the start of ours
    for name, args, kprog, dprog in (
            ("3 bytes of data_in", ["data_in", path("short.bin")], P, PASS),
            ("ctx_in data_end past data_in", ["data_in", frame, "ctx_in",
             write("ctx_bad.bin", struct.pack("<6I", 0, FLEN + 1, 0, 0, 0, 0))],
             P, PASS),
            ("ctx_in not zero past struct xdp_md", ["data_in", frame, "ctx_in",
             write("ctx_tail.bin", struct.pack("<8I", 0, FLEN, 0, 0, 0, 0, 0, 1))],
             P, PASS),
            ("ctx_in metadata not a multiple of 4", ["data_in", frame, "ctx_in",
             write("ctx_m3.bin", struct.pack("<6I", 3, FLEN, 0, 0, 0, 0))],
             P, PASS),
            ("more than 17 frags", ["data_in", huge], Fr, FRAGS)):
        k = run(["bpftool", "prog", "run", "pinned",
                 os.path.join(kernel, kprog)] + args)
        d = run([xdp, "prog", "run", dprog] + args)
        check(k.returncode == d.returncode and k.returncode != 0 and
              d.stderr.startswith(k.stderr.rstrip("\n")),
              "as bpftool: %s (status %d)" % (name, k.returncode))
    k = run(["bpftool", "prog", "run", "pinned", os.path.join(kernel, P),
             "data_in", frame, "repeat", "-5"])
    d = dx("prog", "run", PASS, "data_in", frame, "repeat", "-5")
    check(k.returncode == d.returncode == 255 and
          k.stderr.splitlines()[0] == d.stderr.splitlines()[0],
          "as bpftool: repeat -5, an unknown option (status 255)")
    k = run(["bpftool", "--help"])
    d = run([xdp, "--help"])
    check(k.returncode == d.returncode == 0, "as bpftool: --help status 0")

    # xlated: a program the kernel and rte_bpf run unchanged reads the
    # same; a larger one has every kernel line (jump offsets, map ids and
    # call numbers aside) among ours, and the same source lines
    for args in ([], ["opcodes"], ["linum"]):
        k = run(["bpftool", "prog", "dump", "xlated", "pinned",
                 os.path.join(kernel, P)] + args)
        d = dx("prog", "dump", "xlated", PASS, *args)
        check(k.returncode == d.returncode == 0 and k.stdout == d.stdout,
              "as the kernel: dump xlated xdp_pass %s" % " ".join(args))
    k = run(["bpftool", "-j", "prog", "dump", "xlated", "pinned",
             os.path.join(kernel, P), "linum"])
    d = dx("-j", "prog", "dump", "xlated", PASS, "linum")
    ours = [{a: b for a, b in i.items() if a not in ("section", "insn", "notes")}
            for i in jload(d.stdout)]
    check(jload(k.stdout) == ours, "as the kernel: dump xlated -j linum")

    def norm(txt):
        out = set()
        for line in txt.splitlines():
            m = re.match(r"^ *\d+: (.*)$", line)
            if m:
                out.add(re.sub(r"goto pc[-+]\d+", "goto pc?",
                        re.sub(r"#\d+$", "", re.sub(r"map\[id:\d+\]",
                                                   "map[id:?]", m.group(1)))))
        return out

    def src(txt):
        return [line for line in txt.splitlines()
                if not re.match(r"^( *\d+: |;   \[)", line)]

    for p in ("xdp_csum24", "xdp_csum32"):
        k = run(["bpftool", "prog", "dump", "xlated", "pinned",
                 os.path.join(kernel, "xdp_csum", p), "linum"]).stdout
        d = dx("--verify", "builtin", "prog", "dump", "xlated",
               obj("xdp_csum"), "sec", p, "linum").stdout
        missing = norm(k) - norm(d)
        check(not missing and src(k) == src(d),
              "as the kernel: dump xlated %s, instruction syntax and source lines" % p)
        if missing:
            print("  kernel lines not in ours: %s" % sorted(missing)[:5])

print("%d failures" % len(fails))
sys.exit(1 if fails else 0)
PY
