#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# Differential test against the kernel, the semantic reference. For every
# test program (built for v1 where clang accepts, v2, v3), every frame of
# a set, in the same order on both sides:
#   kernel: bpftool prog loadall (maps pinned), map updates, then
#           bpftool prog run pinned PROG (on CPU 0) and bpftool map dump;
#   dpdk:   one dpdk-xdp -j batch per verification policy (kernel, then
#           builtin): prog load OBJ, the same map updates, prog run name
#           PROG, map dump name MAP;
# verdicts, output frames (metadata included), ctx_out and the contents of
# every map (global data .bss/.data/.rodata included) must be equal.
# xdp/devmap and xdp/cpumap programs load on both sides and are refused
# test runs on both sides. Frags-aware programs also get multi-buffer
# frames; prog arrays and maps of maps compare by key (their values are
# ids); perf event arrays compare the samples bpftool map event_pipe reads
# with dpdk-xdp's, ring buffers the records read from the kernel's pages;
# legacy objects run against their twin built with BTF-defined maps. Then
# the negative objects: each must be refused,
# with the expected reason, by every verification policy that can see its
# fault (see doc/guides/prog_guide/xdp_compat.rst), the process alive;
# and the report of dpdk-xdp prog show dir must agree.
#
# Map updates for an object are "xdp-diff: map update name MAP ..." lines
# in its C source; "xdp-diff: frame NAME HEX" lines add frames of its own.
#
# An object the suite expects the kernel to accept but that this kernel
# refuses only because it does not offer one of its helpers or kfuncs to
# XDP (kernel_lacks.py says which verifier messages mean that) is not
# compared: it is reported as skipped with the reason, and dpdk-xdp alone
# must still load it and run every program on every frame without an
# error. Any other disagreement is a failure. The totals at the end count
# the objects compared, agreed and skipped.
#
# usage: [XDP_DIFF_ONLY=name,...] xdp_kernel_diff.sh DPDK_XDP BPF_OBJ_DIR
# XDP_DIFF_POLICIES (default "kernel builtin"): dpdk-xdp's verification
# policies compared; devtools/test-arm64.sh leaves "kernel" out, as
# qemu-user has no bpf() for the emulated dpdk-xdp.
# Mounts the BPF filesystem when it is not. Exits 77 (skip) when not
# root; under CI=true as root a missing facility fails (skip_privileged).
set -u

xdp=$1
objs=$2
here=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-$(cd "$objs/../.." && pwd)}
. "$here/lib.sh"
src=$(cd "$here/../bpf" && pwd)
pin=/sys/fs/bpf/xdpc_diff_$$
ns=xdpc_diff_$$
work=$(mktemp -d "${TMPDIR:-/tmp}/xdpc_diff.XXXXXX")
trap 'rm -rf "$pin" "$work"; ip netns del "$ns" 2>/dev/null' EXIT INT TERM

need_root "bpf() needs CAP_BPF"
command -v bpftool >/dev/null || skip_privileged "bpftool not installed"
command -v python3 >/dev/null || skip_privileged "python3 not installed"
"$here/../../devtools/mount-bpffs.sh" ||
	skip_privileged "no BPF filesystem at /sys/fs/bpf"
mkdir -p "$pin" || skip_privileged "cannot create $pin"
if ! bpftool prog load "$objs/xdp_pass_v2.o" "$pin/probe" >/dev/null 2>&1; then
	skip_privileged "bpf() not permitted (cannot load an XDP program)"
fi
rm -f "$pin/probe"

# A network namespace with a 4-queue veth: ctx_in may then name an
# ingress_ifindex and rx_queue_index other than lo's queue 0.
veth_ifindex=0
if command -v ip >/dev/null && command -v nsenter >/dev/null &&
	ip netns add "$ns" 2>/dev/null &&
	ip -n "$ns" link add xv0 numrxqueues 4 type veth peer name xv1 \
		numrxqueues 4 2>/dev/null; then
	veth_ifindex=$(ip netns exec "$ns" cat /sys/class/net/xv0/ifindex)
else
	echo "note: no veth in a netns: rx_queue_index only tested as 0"
fi

python3 - "$xdp" "$objs" "$src" "$pin" "$work" "$ns" "$veth_ifindex" "$here" <<'PY'
import ctypes, json, mmap, os, re, signal, struct, subprocess, sys, time

xdp, objs, src, pin, work, ns, veth, here = sys.argv[1:9]
veth = int(veth)
sys.path.insert(0, here)
import kernel_lacks
fails = []
POLICIES = os.environ.get("XDP_DIFF_POLICIES", "kernel builtin").split()
if POLICIES != ["kernel", "builtin"]:
    print("note: dpdk-xdp's verification policies compared: %s" % " ".join(POLICIES))
compared = []	# objects whose results were compared with the kernel's
skipped = []	# (object, reason): this kernel cannot load them

# Test programs; v1 is tried where it was built.
PROGS = ["xdp_pass", "xdp_count", "xdp_adjust", "xdp_meta", "xdp_clamp",
         "xdp_helpers", "xdp_maps", "xdp_redirect", "xdp_fields", "xdp_csum",
         "xdp_div", "xdp_bswap", "xdp_jmp32_spill", "xdp_frags", "xdp_tailcall",
         "xdp_mapinmap", "xdp_events", "xdp_loop", "xdp_spinlock", "xdp_jset",
         "xdp_lb",
         "xdp_legacy", "xdp_monitor", "xdp_bounded", "xdp_dispatch",
         "xdp_hdrcursor", "xdp_mapsel", "xdp_nullmerge", "xdp_loop32",
         "xdp_filtershape",
         "xdp_misaligned", "xdp_nullguard",
         "xdp_arrlookup", "xdp_fwshape"]
# Objects libbpf 1.x cannot open (legacy SEC("maps")): the kernel runs
# their twin built with BTF-defined maps; sections libbpf does not know
# load with "type xdp".
TWIN = {"xdp_legacy": "xdp_legacy_btf"}
TYPE_XDP = {"xdp_legacy"}

def eth(proto):
    return bytes([0, 0x11, 0x22, 0x33, 0x44, 0x55,
                  0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb]) + proto

def ipv4(payload, dst=(10, 1, 2, 3)):
    h = bytes([0x45, 0, 0, 20 + len(payload), 0, 1, 0, 0, 64, 17, 0, 0,
               10, 9, 8, 7]) + bytes(dst)
    return h + payload

FRAMES = [
    ("ipv4", eth(b"\x08\x00") + ipv4(bytes(range(80)))),
    ("ipv4_other", eth(b"\x08\x00") + ipv4(bytes(60), (192, 168, 0, 1))),
    ("ipv6", eth(b"\x86\xdd") + bytes(range(64))),
    ("arp", eth(b"\x08\x06") + b"A" * 28),
    # a variable offset (bytes 14-15 and 16-17) far into a long frame
    ("long", eth(b"\x01\x02") + b"\x05\x00\x00\x30" + bytes(i & 0xff for i in range(1482))),
    # offsets past rte_bpf's window: clamped, and still past data_end
    ("far", eth(b"\x01\x03") + b"\x1f\xff\x1e\x00" + bytes(60)),
    ("short", eth(b"\x0a\x01")),
    # UDP to 10.1.2.3:80 (a virtual IP of xdp_lb)
    ("udp_vip", eth(b"\x08\x00") + ipv4(struct.pack(">HHHH", 1234, 80, 40, 0) +
                                        bytes(range(32)))),
]
# Multi-buffer frames, for frags-aware programs only: more than the
# 3520-byte linear part of a test run, the rest in 4 KiB frags. Bytes
# 14-15: the tail move xdp_frags makes (signed, big endian).
def mb(delta, size):
    return eth(b"\x08\x00") + struct.pack(">h", delta) + \
        bytes((i * 7) & 0xff for i in range(size - 16))
MB_FRAMES = [
    ("mb2_shrink60", mb(-60, 3620)),
    ("mb2_shrink_frag", mb(-100, 3620)),
    ("mb2_zero", mb(0, 3620)),
    ("mb2_full_grow", mb(10, 3520 + 4096)),
    ("mb3_shrink_into_linear", mb(-4200, 3520 + 4096 + 50)),
    ("mb3_grow100", mb(100, 3520 + 4096 + 50)),
    ("mb3_too_much", mb(-7660, 3520 + 4096 + 50)),
    ("mb4", mb(-5000, 3520 + 3 * 4096)),
]
# What the rewriter must have done for the test to mean anything.
EXPECT = {"xdp_clamp": ("clamps", 2), "xdp_jmp32_spill": ("spills", 3)}
# (name, metadata bytes, ingress_ifindex, rx_queue_index)
CTXS = [("meta", 8, 0, 0)]
if veth:
    CTXS.append(("veth_q2", 4, veth, 2))

def run(cmd, netns=False, **kw):
    if netns:	# not "ip netns exec": it hides /sys/fs/bpf
        cmd = ["nsenter", "--net=/var/run/netns/" + ns] + cmd
    return subprocess.run(cmd, capture_output=True, text=True, **kw)

def jdecode_all(txt):
    dec, out, pos = json.JSONDecoder(), [], 0
    txt = txt.strip()
    while pos < len(txt):
        while txt[pos].isspace():
            pos += 1
        v, pos = dec.raw_decode(txt, pos)
        out.append(v)
    return out

def fail(obj, msg):
    fails.append("%s: %s" % (obj, msg))
    print("FAIL %s: %s" % (obj, msg))

def own_frames(name):
    path = os.path.join(src, name + ".c")
    if not os.path.exists(path):
        return []
    return [(n, bytes.fromhex(h)) for n, h in
            re.findall(r"xdp-diff: frame (\S+) ([0-9a-f]+)", open(path).read())]

def setup_lines(name):
    path = os.path.join(src, name + ".c")
    if not os.path.exists(path):
        return []
    return re.findall(r"xdp-diff: (map update .*)", open(path).read())

def norm_map(entries):
    """(key, value) pairs; per-CPU values as {cpu: value}."""
    out = []
    for e in entries:
        k = tuple(e["key"])
        if "values" in e:
            v = tuple(sorted((c["cpu"], tuple(c["value"])) for c in e["values"]))
        elif isinstance(e.get("value"), dict):
            v = ("error", e["value"].get("error"))
        else:
            v = tuple(e.get("value", []))
        out.append((k, v))
    return sorted(out)

def same_percpu(kv, dv):
    """Per-CPU values: equal on the CPUs both show; on a CPU one side
    only shows, zero or what every CPU of the other side holds (a map
    update writes every CPU: dpdk-xdp has one slot more than its lcores,
    that of other threads, and the kernel may have more CPUs)."""
    if not (isinstance(kv, tuple) and kv and isinstance(kv[0], tuple)
            and len(kv[0]) == 2 and isinstance(kv[0][1], tuple)):
        return kv == dv
    kd, dd = dict(kv), dict(dv)
    for c in set(kd) | set(dd):
        a, b = kd.get(c), dd.get(c)
        if a is None or b is None:
            v, other = (b, kd) if a is None else (a, dd)
            if any(x != "0x00" for x in v) and \
                    any(o != v for o in other.values()):
                return False
        elif a != b:
            return False
    return True

# Maps whose values are program or map ids: only their keys compare.
ID_MAPS = ("prog_array", "array_of_maps", "hash_of_maps")

def compare_maps(obj, name, kmap, dmap, mtype):
    if isinstance(dmap, dict):
        fail(obj, "map %s: dpdk-xdp: %s" % (name, dmap.get("error")))
        return
    k, d = norm_map(kmap), norm_map(dmap)
    if mtype in ID_MAPS:
        k = [(x[0], "id") for x in k if not isinstance(x[1], tuple) or x[1][:1] != ("error",)]
        d = [(x[0], "id") for x in d if not isinstance(x[1], tuple) or x[1][:1] != ("error",)]
    if [x[0] for x in k] != [x[0] for x in d] or \
       not all(same_percpu(a[1], b[1]) for a, b in zip(k, d)):
        fail(obj, "map %s differs:\n  kernel %s\n  dpdk   %s" % (name, k, d))

def ringbuf_records(path):
    """The records of a pinned ring buffer, read as libbpf's consumer
    reads them: its pages mapped (bpf(BPF_OBJ_GET) for the fd)."""
    libc = ctypes.CDLL(None, use_errno=True)
    name = ctypes.create_string_buffer(path.encode())
    attr = ctypes.create_string_buffer(128)
    struct.pack_into("<Q", attr, 0, ctypes.addressof(name))
    fd = libc.syscall(321, 7, attr, ctypes.c_uint(128))	# BPF_OBJ_GET
    if fd < 0:
        return None
    info = json.loads(run(["bpftool", "-j", "map", "show", "pinned", path]).stdout)
    size = info["max_entries"]
    try:
        cons = mmap.mmap(fd, 4096, mmap.MAP_SHARED, mmap.PROT_READ, offset=0)
        prod = mmap.mmap(fd, 4096 + 2 * size, mmap.MAP_SHARED,
                         mmap.PROT_READ, offset=4096)
    finally:
        os.close(fd)
    c, p = struct.unpack_from("<Q", cons, 0)[0], struct.unpack_from("<Q", prod, 0)[0]
    out = []
    while c < p:
        ln = struct.unpack_from("<I", prod, 4096 + (c & (size - 1)))[0]
        if ln & (1 << 31):
            break
        sz = ln & ~(3 << 30)
        if not ln & (1 << 30):
            off = 4096 + (c & (size - 1)) + 8
            out.append(list(prod[off:off + sz]))
        c += (sz + 8 + 7) // 8 * 8
    return out

def compare_events(tag, mname, kev, dev):
    """Records of a perf event array or ring buffer, in order."""
    if isinstance(dev, dict) or dev is None:
        fail(tag, "map %s: dpdk-xdp: %s" % (mname, dev))
        return
    k = [e["data"] if isinstance(e, dict) else e for e in kev
         if not isinstance(e, dict) or "data" in e]
    d = [e["data"] for e in dev if "data" in e]
    if k != d:
        fail(tag, "map %s: records differ:\n  kernel %s\n  dpdk   %s"
             % (mname, k[:4], d[:4]))

def compare_dpdk(tag, name, policy, batch, runs, kmaps, ktypes, pre, kev):
    """One dpdk-xdp batch under a policy, compared with the kernel's."""
    d = os.path.join(work, "%s_%s" % (tag, policy))
    bfile = d + ".batch"
    open(bfile, "w").write("\n".join(batch).replace("{d}", d) + "\n")
    r = run([xdp, "-j", "--verify", policy, "batch", "file", bfile])
    tag = "%s (%s)" % (tag, policy)
    try:
        out = json.loads(r.stdout)
    except ValueError:
        fail(tag, "dpdk-xdp batch: %s %s" % (r.stdout[-1000:], r.stderr[-1000:]))
        return
    if r.returncode != 0 or len(out) != len(batch):
        bad = out[-1] if out else {}
        fail(tag, "dpdk-xdp stopped at %s: %s" % (bad.get("command"), bad.get("output")))
        return
    n = pre
    for i, (p, fname, kres, kout, kctx) in enumerate(runs):
        o = out[n + i]["output"]
        what = "%s/%s" % (p, fname)
        if kres["retval"] != o["retval"]:
            fail(tag, "%s: verdict kernel %d dpdk %d" % (what, kres["retval"], o["retval"]))
        kb = open(kout, "rb").read()
        db = open("%s_%s_%s" % (d, p, fname), "rb").read()
        if kb != db:
            diff = [i for i in range(min(len(kb), len(db))) if kb[i] != db[i]][:8]
            fail(tag, "%s: output frames differ (%d vs %d bytes, first differing bytes %s)"
                 % (what, len(kb), len(db), diff))
        if kctx and open(kctx[3], "rb").read() != \
                open("%sctx_%s_%s" % (d, p, fname), "rb").read():
            fail(tag, "%s: ctx_out differs" % what)
    n += len(runs)
    for j, mname in enumerate(kmaps):
        compare_maps(tag, mname, kmaps[mname], out[n + j]["output"],
                     ktypes.get(mname))
    n += len(kmaps)
    for j, mname in enumerate(kev):
        compare_events(tag, mname, kev[mname], out[n + j]["output"])

def refused_for_lack(tag, stderr):
    """The kernel refused an object the suite expects it to accept.
    Only because this kernel does not offer one of its helpers or kfuncs
    to XDP: a skip, counted with its reason (returned). For any other
    reason: a failure (None)."""
    lack = kernel_lacks.lacks(stderr)
    if lack is None:
        fail(tag, "kernel refused the object:\n" + stderr[-1500:])
        return None
    why = "this kernel lacks %s for XDP" % lack[0]
    skipped.append((tag, why))
    print("skipped %s: %s (verifier: %s)" % (tag, why, lack[1]))
    return why

def frames_of(frags, name):
    """(frame name, data_in file, ctx_in file or None, ingress_ifindex) of
    each run of a program of object name (its own frames too); writes the
    files."""
    out = []
    for fname, data in FRAMES + own_frames(name) + \
            (MB_FRAMES if frags else []) + [(c[0], None) for c in CTXS]:
        ctx, ifindex = None, 0
        if data is None:
            c = [x for x in CTXS if x[0] == fname][0]
            data = bytes(range(0xa0, 0xa0 + c[1])) + FRAMES[0][1]
            ctx, ifindex = os.path.join(work, "ctx_" + fname), c[2]
            open(ctx, "wb").write(struct.pack("<6I", c[1], len(data), 0,
                                              c[2], c[3], 0))
        fin = os.path.join(work, "in_" + fname)
        open(fin, "wb").write(data)
        out.append((fname, fin, ctx, ifindex))
    return out

def dpdk_alone(tag, name, obj):
    """What can be checked without the kernel of an object this kernel
    cannot load: dpdk-xdp's builtin policy (which does not ask the kernel)
    loads it and runs every program on every frame, after the object's
    map updates, without an error and with a verdict that is an XDP
    action. Returns the number of runs."""
    r = run([xdp, "-j", "--verify", "builtin", "prog", "show", obj])
    if r.returncode != 0:
        fail(tag, "dpdk-xdp refused it: %s%s" % (r.stdout[-600:],
                                                 r.stderr[-600:]))
        return 0
    batch = ["prog load %s" % obj] + setup_lines(name)
    pre = len(batch)
    for p in json.loads(r.stdout):
        if p["attach_type"] != "xdp":
            continue	# xdp/devmap, xdp/cpumap: no test runs, as the kernel
        for fname, fin, ctx, _ in frames_of(p["frags"], name):
            d = os.path.join(work, "alone_%s_%s_%s" % (tag, p["name"], fname))
            batch.append("prog run name %s data_in %s data_out %s%s" %
                         (p["name"], fin, d, " ctx_in %s ctx_out %s.ctx" %
                          (ctx, d) if ctx else ""))
    bfile = os.path.join(work, "alone_%s.batch" % tag)
    open(bfile, "w").write("\n".join(batch) + "\n")
    r = run([xdp, "-j", "--verify", "builtin", "batch", "file", bfile])
    try:
        out = json.loads(r.stdout)
    except ValueError:
        out = []
    bad = [o for o in out if isinstance(o.get("output"), dict) and
           "error" in o["output"]]
    if r.returncode != 0 or len(out) != len(batch) or bad:
        fail(tag, "dpdk-xdp alone: %s" % (bad[:1] or r.stderr[-600:]))
        return 0
    for o in out[pre:]:
        if o["output"].get("retval") not in range(5):
            fail(tag, "dpdk-xdp alone: %s: verdict %s is no XDP action"
                 % (o["command"], o["output"].get("retval")))
    return len(out) - pre

def test_object(name, cpu):
    obj = os.path.join(objs, "%s_%s.o" % (name, cpu))
    tag = "%s_%s" % (name, cpu)
    pdir = os.path.join(pin, tag)
    mdir = pdir + "_maps"
    if name in EXPECT:
        field, n = EXPECT[name]
        r = run([xdp, "-j", "--verify", "builtin", "prog", "show", obj])
        got = json.loads(r.stdout)[0].get(field, 0) if r.returncode == 0 else -1
        if got < n:
            fail(tag, "expected at least %d %s in the rewritten program, got %d"
                 % (n, field, got))
    r = run([xdp, "-j", "--verify", "builtin", "prog", "show", obj])
    frags = {p["name"] for p in json.loads(r.stdout) if p.get("frags")} \
        if r.returncode == 0 else set()
    kobj = os.path.join(objs, "%s_%s.o" % (TWIN.get(name, name), cpu))
    r = run(["bpftool", "prog", "loadall", kobj, pdir, "pinmaps", mdir] +
            (["type", "xdp"] if name in TYPE_XDP else []))
    if r.returncode != 0 and refused_for_lack(tag, r.stderr):
        n = dpdk_alone(tag, name, obj)
        print("%s %s: dpdk-xdp alone, %d runs without an error" %
              ("FAIL" if [f for f in fails if f.startswith(tag + ":")]
               else "ok  ", tag, n))
        return
    compared.append(tag)
    if r.returncode != 0:
        return	# refused for another reason: a failure
    progs = sorted(os.listdir(pdir))
    maps = {}
    for m in sorted(os.listdir(mdir)) if os.path.isdir(mdir) else []:
        info = json.loads(run(["bpftool", "-j", "map", "show", "pinned",
                               os.path.join(mdir, m)]).stdout)
        maps[m] = info
    batch = ["prog load %s" % obj]
    for line in setup_lines(name):
        w = line.split()
        mname = w[3]
        # "value name X": the program (prog array) or map (map of maps)
        # X; bpftool takes it pinned (its own name lookup is global: a
        # concurrent run's program of the same name makes it ambiguous),
        # dpdk-xdp by name
        v = w.index("value") if "value" in w else len(w)
        if len(w) > v + 2 and w[v + 1] == "name":
            holder = pdir if maps.get(mname, {}).get("type") == \
                "prog_array" else mdir
            w = w[:v + 1] + ["pinned", os.path.join(holder, w[v + 2])] + \
                w[v + 3:]
        r = run(["bpftool", "map", "update", "pinned",
                 os.path.join(mdir, mname)] + w[4:])
        if r.returncode != 0:
            fail(tag, "kernel: %s: %s" % (line, r.stderr.strip()))
        batch.append(line)
    # perf event arrays: bpftool reads them while the programs run, the
    # batch opens its buffers before its runs
    pipes = {}
    for m, info in maps.items():
        if info["type"] == "perf_event_array":
            f = open(os.path.join(work, "ev_%s_%s" % (tag, m)), "w+")
            pipes[info["name"]] = (subprocess.Popen(
                ["bpftool", "-j", "map", "event_pipe", "pinned",
                 os.path.join(mdir, m)], stdout=f, stderr=subprocess.DEVNULL), f)
            batch.append("map event_pipe name %s" % info["name"])
    if pipes:
        time.sleep(0.3)
    pre = len(batch)
    runs = []	# (prog, frame, kernel result, kernel out, ctx args)
    refused = []
    for p in progs:
        for fname, fin, ctx, ifindex in frames_of(p in frags, name):
            ctx_args = ["ctx_in", ctx, "ctx_out",
                        os.path.join(work, "kctx_%s_%s" % (p, fname))] \
                if ctx else []
            kout = os.path.join(work, "k_%s_%s" % (p, fname))
            r = run(["taskset", "-c", "0", "bpftool", "-j", "prog", "run",
                     "pinned", os.path.join(pdir, p), "data_in", fin,
                     "data_out", kout] + ctx_args, netns=ifindex != 0)
            if r.returncode != 0:
                refused.append((p, fname, ctx_args))
                continue
            kres = json.loads(r.stdout)
            batch.append(("prog run name %s data_in %s data_out {d}_%s_%s %s" %
                          (p, fin, p, fname, " ".join(ctx_args[:2] +
                           ctx_args[2:3] + ["{d}ctx_%s_%s" % (p, fname)]
                           if ctx_args else []))).strip())
            runs.append((p, fname, kres, kout, ctx_args))
    kmaps, ktypes, kev = {}, {}, {}
    for mname, (proc, f) in pipes.items():
        time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)
        f.seek(0)
        txt = f.read().strip()
        f.close()
        kev[mname] = json.loads(txt) if txt else []
    for m, info in maps.items():
        if info["type"] == "ringbuf":
            kev[info["name"]] = ringbuf_records(os.path.join(mdir, m))
    for m, info in maps.items():
        if info["type"] in ("xskmap", "perf_event_array", "ringbuf"):
            continue	# the kernel cannot read it from user space
        r = run(["bpftool", "-j", "map", "dump", "pinned", os.path.join(mdir, m)])
        kmaps[info["name"]] = json.loads(r.stdout)
        ktypes[info["name"]] = info["type"]
        batch.append("map dump name %s" % info["name"])
    for mname in kev:
        batch.append("map event_pipe name %s" % mname)
    for policy in POLICIES:
        compare_dpdk(tag, name, policy, batch, runs, kmaps, ktypes, pre,
                     kev)
    # programs the kernel does not test-run must not run here either
    for p, fname, ctx_args in refused:
        if fname != FRAMES[0][0]:
            continue
        r = run([xdp, "-j", "batch", "file", "-"], input="prog load %s\nprog run name %s data_in %s\n" % (obj, p, os.path.join(work, "in_" + fname)))
        o = json.loads(r.stdout)
        if r.returncode == 0 or "error" not in (o[-1]["output"] or {}):
            fail(tag, "%s: kernel refused its test run, dpdk-xdp ran it" % p)
    print("%s %s (%d programs, %d runs, %d maps, %d records, %d runs refused by both)" %
          ("ok  " if not [f for f in fails if f.split(":")[0].split(" ")[0] == tag]
           else "FAIL", tag, len(progs), len(runs), len(kmaps),
           sum(len(v or []) for v in kev.values()),
           len(refused) // (len(FRAMES) + len(CTXS))))
    run(["rm", "-rf", pdir, mdir])

# XDP_DIFF_ONLY=name,name...: only these objects (and no negative ones)
only = [n for n in os.environ.get("XDP_DIFF_ONLY", "").split(",") if n]
for name in only or PROGS:
    for cpu in ("v1", "v2", "v3"):
        if os.path.exists(os.path.join(objs, "%s_%s.o" % (name, cpu))):
            test_object(name, cpu)

# Negative objects: (object, kernel refuses it, reason with --verify
# kernel, reason with --verify builtin).
truncated = os.path.join(work, "truncated.o")
open(truncated, "wb").write(open(os.path.join(objs, "xdp_count_v2.o"), "rb").read()[:900])
garbage = os.path.join(work, "garbage.o")
open(garbage, "wb").write(b"\x7fELF" + bytes(range(256)) * 4)
NEG = [(garbage, True, "not an ELF", "not an ELF"),
       (truncated, True, "ELF", "ELF"),
       (os.path.join(objs, "xdp_bad_big.o"), True, "too long", "too large")]
for cpu in ("v1", "v2", "v3"):
    o = lambda n: os.path.join(objs, "%s_%s.o" % (n, cpu))
    if not os.path.exists(o("xdp_bad_loop")):
        continue
    NEG += [(o("xdp_bad_helper"), None, "helper 14", "helper 14"),
            (o("xdp_bad_maptype"), False, "map type not supported", "map type not supported"),
            (o("xdp_bad_loop"), False, "loop", "loop"),
            (o("xdp_bad_oob"), True, "outside of the packet", "boundary violation"),
            (o("xdp_bad_null"), True, "map_value_or_null", "may be NULL")]
    if os.path.exists(o("xdp_bad_kfunc")):
        NEG += [(o("xdp_bad_kfunc"), None, ("ksym", "kfunc bpf_xdp_ct_lookup"),
                 "kfunc bpf_xdp_ct_lookup"),
                (o("xdp_bad_deep"), True, "9 frames is too deep",
                 "9 frames is too deep")]
    # what rte_bpf alone accepts and would crash or hang on
    if os.path.exists(o("xdp_bad_ldimm")):
        NEG += [(o("xdp_bad_reg"), True, "R15 is invalid", "R15 is invalid"),
                (o("xdp_bad_shift"), True, "invalid shift", "invalid shift"),
                (o("xdp_bad_ldimm"), True, "middle of ldimm64",
                 "middle of an LD_IMM64"),
                (o("xdp_bad_ptrsub"), True, "R2 invalid mem access",
                 "R2 is not a pointer"),
                (o("xdp_bad_ptrctx"), True, "R2 invalid mem access",
                 "may or may not be the context"),
                (o("xdp_bad_ptradd"), True, "pointer += pointer prohibited",
                 "pointer += pointer prohibited"),
                (o("xdp_bad_trunc"), True, "pointer arithmetic",
                 "R2 is not a pointer to memory"),
                (o("xdp_bad_spinlock"), True, "struct bpf_spin_lock",
                 "not the struct bpf_spin_lock"),
                (o("xdp_bad_lockword"), True, "cannot be accessed directly",
                 "cannot be accessed directly"),
                (o("xdp_bad_lockhelper"), True, "cannot be accessed directly",
                 "cannot be accessed directly"),
                (o("xdp_bad_atomicpkt"), True, "BPF_ATOMIC stores into R",
                 "atomic operation on packet memory"),
                (o("xdp_bad_atomicmis"), True, "misaligned value access",
                 "misaligned atomic operation")]
# A negative object the kernel may accept or refuse: when it refuses, it
# is for the lack of this helper (a check of kernel_lacks.py on the real
# verifier's words).
LACKING = {"xdp_bad_helper": "helper bpf_get_current_pid_tgid"}
for obj, krefuses, kwhy, bwhy in ([] if only else NEG):
    tag = os.path.basename(obj)
    r = run(["bpftool", "prog", "load", obj, os.path.join(pin, "neg")])
    run(["rm", "-f", os.path.join(pin, "neg")])
    lack = kernel_lacks.lacks(r.stderr) if r.returncode != 0 else None
    policies = tuple(p for p in (("kernel", kwhy), ("builtin", bwhy))
                     if p[0] in POLICIES)
    if krefuses is None:
        want = LACKING.get(tag.rsplit("_", 1)[0])
        if lack and want and lack[0] != want:
            fail(tag, "kernel refused it for lacking %s, expected %s"
                 % (lack[0], want))
    elif krefuses is False and r.returncode != 0:
        if refused_for_lack(tag, r.stderr):
            # the kernel policy cannot see it
            policies = tuple(p for p in policies if p[0] != "kernel")
        else:
            compared.append(tag)	# and failed
    else:
        compared.append(tag)
        if krefuses and r.returncode == 0:
            fail(tag, "kernel accepted it")
        elif krefuses and lack:	# so it did not see the fault it is for
            fail(tag, "kernel refused it only for lacking %s" % lack[0])
    for policy, why in policies:
        r = run([xdp, "--verify", policy, "prog", "load", obj])
        whys = why if isinstance(why, tuple) else (why,)
        if r.returncode != 255 or not any(w in r.stderr for w in whys):
            fail(tag, "--verify %s: exit %d, expected a refusal naming \"%s\":\n%s"
                 % (policy, r.returncode, why, r.stderr[-600:]))
    print("%s %s refused (kernel: %s)" %
          ("ok  " if not [f for f in fails if f.startswith(tag + ":")] else "FAIL", tag,
           "refuses" if krefuses else "accepts" if krefuses is False else "either"))

# The report over the directory: every test program loads, every
# negative object is refused, tracepoints are listed as not XDP.
if not only:
    r = run([xdp, "-j", "--verify", "builtin", "prog", "show", "dir", objs])
    try:
        rep = json.loads(r.stdout)
    except ValueError:
        rep = []
        fail("prog show dir", "no JSON report: %s" % r.stderr[-300:])
    neg = {os.path.basename(o[0]) for o in NEG}
    for e in rep:
        base = e["object"].rsplit("_", 1)[0]
        if e["object"] in neg and e["loads"]:
            fail("prog show dir", "%s loads" % e["object"])
        elif base in PROGS and e["xdp"] and not e["loads"]:
            fail("prog show dir", "%s %s refused: %s" %
                 (e["object"], e["program"], e["reason"]))
    print("%s prog show dir (%d programs)" %
          ("ok  " if not [f for f in fails if f.startswith("prog show dir")]
           else "FAIL", len(rep)))

# Totals: objects whose results were compared with the kernel's, those
# that agreed, those this kernel could not load (by reason).
agreed = [t for t in compared
          if not [f for f in fails if f.split(":")[0].split(" ")[0] == t]]
print("totals: %d objects compared with the kernel, %d agreed, %d skipped"
      % (len(compared), len(agreed), len(skipped)))
for why in sorted({w for _, w in skipped}):
    tags = [t for t, w in skipped if w == why]
    print("  skipped %d: %s (%s)" % (len(tags), why, ", ".join(tags)))
print("%d failures" % len(fails))
sys.exit(1 if fails else 0)
PY
