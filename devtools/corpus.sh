#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
#
# The load table of a corpus of public XDP programs: how many XDP programs
# the kernel loads, and how many of those dpdk-xdp loads with
# --verify builtin and with --verify kernel, each program loaded alone
# under the same conditions on both sides (sections libbpf does not name
# are XDP, as bpftool's "type xdp"; maps left at max_entries 0 for their
# loader get 64). Nothing is left loaded or pinned in the kernel.
#
# The objects are built here (clang -O2 -target bpf, -mcpu=v2 and v3,
# against Debian's libbpf-dev headers) from the sources that are
# reachable, and never committed:
#   - the kernel's BPF selftests' XDP programs, from Debian's
#     linux-source-6.1 (/usr/src/linux-source-6.1.tar.xz);
#   - xdp-tools (xdp-filter, xdp-forward, xdp-bench, xdp-trafficgen), from
#     "apt-get source xdp-tools" or from the directory XDP_TOOLS_SRC;
#   - Katran (KATRAN_SRC), XDP-Firewall (XDPFW_SRC) and Suricata's eBPF
#     filters (SURICATA_SRC: the directory holding ebpf/): sources Debian
#     does not package, given as directories (the project's measurements
#     used copies of the public repositories brought in with a search
#     tool's fetch);
#   - any objects already built: -d DIR (copied as they are).
#
# usage: devtools/corpus.sh [-b BUILD_DIR] [-o OUT_DIR] [-d OBJ_DIR]...
# Needs root (the kernel's verifier), clang, python3.
set -eu

build=build
out=
extra=
while getopts "b:o:d:" opt; do
	case $opt in
	b) build=$OPTARG ;;
	o) out=$OPTARG ;;
	d) extra="$extra $OPTARG" ;;
	*) echo "usage: $0 [-b BUILD_DIR] [-o OUT_DIR] [-d OBJ_DIR]..." >&2
	   exit 2 ;;
	esac
done
xdp=$(cd "$build" && pwd)/app/dpdk-xdp/dpdk-xdp
[ -x "$xdp" ] || { echo "no $xdp: build first" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "root is needed (the kernel's verifier)" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/xdp_corpus.XXXXXX")
. "$(dirname "$0")/eal-mem.sh"
# 4 GiB at most: bpf-examples' pping has large per-CPU maps
prefix=corpus$$
XDP_CORPUS_EAL="--no-pci $(eal_mem_args $prefix 4096)"
export XDP_CORPUS_EAL
trap 'rm -rf "$tmp"; eal_mem_cleanup $prefix' EXIT INT TERM
[ -n "$out" ] || out=$tmp/objs
mkdir -p "$out" "$tmp/inc/gnu"
out=$(cd "$out" && pwd)
# -target bpf makes glibc's headers ask for the 32-bit stubs
: > "$tmp/inc/gnu/stubs-32.h"
ma=$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)

# cc PREFIX SRC [FLAGS...]: PREFIX_NAME_v2.o and _v3.o in $out
cc() {
	prefix=$1 src=$2
	shift 2
	name=$(basename "$src" .c)
	name=${name%.bpf}
	for cpu in v2 v3; do
		clang -O2 -g -target bpf -mcpu=$cpu -Wno-unused-value \
			-Wno-pointer-sign -Wno-compare-distinct-pointer-types \
			"$@" -I"$tmp/inc" -I/usr/include/"$ma" -c "$src" \
			-o "$out/${prefix}_${name}_$cpu.o" 2>"$tmp/cc.log" ||
			echo "note: $src ($cpu) does not build: $(head -1 "$tmp/cc.log")"
	done
}

# the kernel's selftests
ksrc=/usr/src/linux-source-6.1.tar.xz
if [ -f "$ksrc" ]; then
	sel=linux-source-6.1/tools/testing/selftests/bpf
	tar xJf "$ksrc" -C "$tmp" --wildcards "$sel/progs/test_xdp*.c" \
		"$sel/progs/xdp*.c" "$sel/progs/bpf_*.h" "$sel/bpf_*.h" \
		"$sel/test_iptunnel_common.h" 2>/dev/null || true
	for f in test_xdp.c test_xdp_loop.c test_xdp_noinline.c test_xdp_vlan.c \
		test_xdp_adjust_tail_grow.c test_xdp_adjust_tail_shrink.c \
		test_xdp_context_test_run.c test_xdp_devmap_helpers.c \
		test_xdp_redirect.c test_xdp_meta.c xdp_dummy.c xdp_tx.c \
		xdp_redirect_map.c; do
		[ -f "$tmp/$sel/progs/$f" ] &&
			cc ksel "$tmp/$sel/progs/$f" -I"$tmp/$sel"
	done
else
	echo "note: no $ksrc (apt-get install linux-source-6.1): no selftests"
fi

# xdp-tools
xt=${XDP_TOOLS_SRC:-}
if [ -z "$xt" ] && (cd "$tmp" && apt-get source -qq xdp-tools >/dev/null 2>&1); then
	xt=$(ls -d "$tmp"/xdp-tools-*/ | head -1)
fi
if [ -n "$xt" ] && [ -d "$xt/headers" ]; then
	for f in "$xt"/xdp-filter/xdpfilt_*.c "$xt"/xdp-forward/xdp_forward.bpf.c \
		"$xt"/xdp-bench/*.bpf.c "$xt"/xdp-trafficgen/*.bpf.c; do
		[ -f "$f" ] && cc xdpt "$f" -std=gnu2x -Dbool=_Bool -Dtrue=1 \
			-Dfalse=0 -DHAVE_LIBBPF_BPF_PROGRAM__TYPE \
			-I"$xt/headers" -I"$xt/lib/util"
	done
else
	echo "note: no xdp-tools source (apt-get source xdp-tools failed; XDP_TOOLS_SRC unset)"
fi

# sources Debian does not package
if [ -n "${KATRAN_SRC:-}" ]; then
	for f in katran/lib/bpf/balancer.bpf.c katran/lib/bpf/xdp_pktcntr.c \
		katran/lib/bpf/xdp_root.c katran/decap/bpf/decap.bpf.c; do
		(cd "$KATRAN_SRC" && cc katran "$f" -D__KERNEL__ -I. \
			-Ikatran/lib/linux_includes)
	done
fi
if [ -n "${XDPFW_SRC:-}" ]; then
	cc xdpfw "$XDPFW_SRC/src/xdp/prog.c" -I"$XDPFW_SRC/src" \
		${XDP_TOOLS_SRC:+-I"$XDP_TOOLS_SRC/headers"}
fi
if [ -n "${SURICATA_SRC:-}" ]; then
	for f in xdp_filter.c xdp_lb.c; do
		cc suri "$SURICATA_SRC/ebpf/$f" -D__KERNEL__ -D__ASM_SYSREG_H \
			-I"$SURICATA_SRC/ebpf/include"
	done
fi
for d in $extra; do
	cp "$d"/*.o "$out"/
done

python3 - "$xdp" "$out" <<'PY'
import ctypes, json, os, re, subprocess, sys, time

xdp, objs = sys.argv[1:3]
eal = os.environ["XDP_CORPUS_EAL"].split() + ["--"]
lib = ctypes.CDLL("libbpf.so.1")
vp, cp = ctypes.c_void_p, ctypes.c_char_p
for fn, res, args in [
        ("bpf_object__open_file", vp, [cp, vp]),
        ("bpf_object__next_program", vp, [vp, vp]),
        ("bpf_object__next_map", vp, [vp, vp]),
        ("bpf_object__load", ctypes.c_int, [vp]),
        ("bpf_object__close", None, [vp]),
        ("bpf_program__name", cp, [vp]),
        ("bpf_program__type", ctypes.c_int, [vp]),
        ("bpf_program__set_type", ctypes.c_int, [vp, ctypes.c_int]),
        ("bpf_program__set_autoload", ctypes.c_int, [vp, ctypes.c_bool]),
        ("bpf_map__max_entries", ctypes.c_uint, [vp]),
        ("bpf_map__set_max_entries", ctypes.c_int, [vp, ctypes.c_uint]),
        ("bpf_map__set_pin_path", ctypes.c_int, [vp, cp]),
        ("libbpf_set_print", vp, [vp])]:
    f = getattr(lib, fn)
    f.restype, f.argtypes = res, args
lib.libbpf_set_print(None)
XDP, UNSPEC = 6, 0

def progs_of(obj):
    out, p = [], None
    while True:
        p = lib.bpf_object__next_program(obj, p)
        if not p:
            return out
        out.append(p)

def kernel_loads(path):
    """{program: loaded} for its XDP programs, each loaded alone."""
    obj = lib.bpf_object__open_file(path.encode(), None)
    if not obj:
        return {}
    names = [(lib.bpf_program__name(p).decode(), lib.bpf_program__type(p))
             for p in progs_of(obj)]
    lib.bpf_object__close(obj)
    res = {}
    for i, (name, t) in enumerate(names):
        if t not in (XDP, UNSPEC):
            continue
        obj = lib.bpf_object__open_file(path.encode(), None)
        for j, p in enumerate(progs_of(obj)):
            lib.bpf_program__set_autoload(p, j == i)
            if j == i and t == UNSPEC:
                lib.bpf_program__set_type(p, XDP)
        m = None
        while True:
            m = lib.bpf_object__next_map(obj, m)
            if not m:
                break
            lib.bpf_map__set_pin_path(m, None)
            if lib.bpf_map__max_entries(m) == 0:
                lib.bpf_map__set_max_entries(m, 64)
        res[name] = lib.bpf_object__load(obj) == 0
        lib.bpf_object__close(obj)
    return res

def dpdk_load(policy, obj, prog):
    """(loads, reason, seconds): the program loaded alone in a dpdk-xdp
    process, maps left at max_entries 0 sized as its loader sizes them;
    the time is the process's, start included."""
    sizes, o, t = [], os.path.join(objs, obj), 0.0
    for _ in range(32):
        t0 = time.monotonic()
        r = subprocess.run([xdp] + eal + ["--verify", policy, "prog", "load",
                            o, "sec", prog, "type", "xdp"] + sizes,
                           capture_output=True, text=True)
        t = time.monotonic() - t0
        if r.returncode == 0:
            return True, "", t
        why = (r.stderr.strip().splitlines() or ["no output"])[-1]
        m = re.search(r"map (\S+): max_entries is 0", why)
        if not m:
            return False, why, t
        sizes += ["map", "name", m.group(1), "max_entries", "64"]
    return False, why, t

kern = {}
for f in sorted(os.listdir(objs)):
    if f.endswith(".o"):
        for p, ok in kernel_loads(os.path.join(objs, f)).items():
            kern[(f, p)] = ok
builtin, kpol = {}, {}
for key in sorted(kern):
    if kern[key]:
        builtin[key] = dpdk_load("builtin", *key)
        kpol[key] = dpdk_load("kernel", *key)
print("%-36s %-30s %-7s %-15s %s" % ("OBJECT", "PROGRAM", "KERNEL",
                                    "BUILTIN", "KERNEL POLICY"))
refused = {}
for key in sorted(kern):
    if not kern[key]:
        print("%-36s %-30s refuses" % key)
        continue
    b, k = builtin[key], kpol[key]
    print("%-36s %-30s %-7s %-15s %s" % (key[0], key[1], "loads",
          "%s %.1fs" % ("loads" if b[0] else "refused", b[2]),
          "%s %.1fs" % ("loads" if k[0] else "refused", k[2])))
    for pol, v in (("builtin", b), ("kernel", k)):
        if not v[0]:
            why = re.sub(r"insns? [0-9-]+|pc: [0-9]+|[0-9]+ paths|/\S+/", "N",
                         v[1].split(": ", 1)[-1])
            refused.setdefault(why, set()).add("%s (%s)" % (key[1], pol))
for cpu in ("v2", "v3"):
    ks = [k for k in kern if k[0].endswith("_%s.o" % cpu) and kern[k]]
    nb = sum(1 for k in ks if builtin[k][0])
    nk = sum(1 for k in ks if kpol[k][0])
    print("%s: the kernel loads %d XDP programs; --verify builtin %d, "
          "--verify kernel %d" % (cpu, len(ks), nb, nk))
print("refusals of programs the kernel loads:")
for why, who in sorted(refused.items()):
    print("  %s: %s" % (why[:150], ", ".join(sorted(who))))
PY
