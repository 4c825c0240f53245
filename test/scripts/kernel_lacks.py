# SPDX-License-Identifier: BSD-3-Clause
"""Why did the kernel refuse an XDP object: because this kernel does not
offer one of its helpers or kfuncs to XDP programs, or for another reason?

The kernel is the differential test's oracle, and kernels differ in what
they offer XDP (Linux 6.18 builds exist that refuse bpf_xdp_adjust_meta).
An object refused only for that cannot be compared with the kernel, and
is reported as skipped; any other refusal stays a failure. The verifier
stops at its first error, so the reason is the last line of its log
before the statistics it prints on the way out; that line must be one of
the messages below, whole, or the refusal is not classified as a lack.

Messages (kernel/bpf/verifier.c, check_helper_call() and
check_kfunc_call(); libbpf's bpf_object__resolve_ksym_func_btf_id()):
  program of this type cannot use helper NAME#N   helper not offered to
                                                  the program type (6.x)
  unknown func NAME#N                             the same, before (6.1)
  invalid func unknown#N                          helper id newer than
                                                  the kernel
  func NAME#N not supported for program type T    get_func_ip
  calling kernel function NAME is not allowed     kfunc not in the
                                                  program type's set
  libbpf: extern (func ksym) 'NAME': not found in kernel or module BTFs
                                                  kfunc not in the kernel

usage: python3 kernel_lacks.py --self-test
       python3 kernel_lacks.py < bpftool-stderr   (prints the lack or
                                                  "not a lack", exit 0/1)
"""
import re
import sys

# (verifier message, what it says is lacking)
VERIFIER_LACKS = [
    (re.compile(r"program of this type cannot use helper (\w+)#(\d+)"),
     lambda m: "helper " + m.group(1)),
    (re.compile(r"unknown func (\w+)#(\d+)"),
     lambda m: "helper " + m.group(1)),
    (re.compile(r"invalid func (\w+)#(\d+)"),
     lambda m: "helper #" + m.group(2)),
    (re.compile(r"func (\w+)#(\d+) not supported for program type \d+"),
     lambda m: "helper " + m.group(1)),
    (re.compile(r"calling kernel function (\w+) is not allowed"),
     lambda m: "kfunc " + m.group(1)),
]
LIBBPF_KSYM = re.compile(
    r"libbpf: extern \(func ksym\) '(\w+)': not found in kernel or module BTFs")
# What the verifier prints after the error (print_verification_stats())
STATS = re.compile(r"processed \d+ insns .*|verification time \d+ usec|"
                   r"stack depth [\d+]*|")
LOG_BEGIN = re.compile(r"(libbpf: prog '\w+': )?-- BEGIN PROG LOAD LOG --")
LOG_END = "-- END PROG LOAD LOG --"


def verifier_error(stderr):
    """The verifier's error line: the last line of the last log libbpf
    printed, statistics left out; None without a log."""
    log, inside = None, False
    for line in map(str.strip, stderr.splitlines()):
        if LOG_BEGIN.fullmatch(line):
            log, inside = [], True
        elif line == LOG_END:
            inside = False
        elif inside:
            log.append(line)
    while log and STATS.fullmatch(log[-1]):
        log.pop()
    return log[-1] if log else None


def lacks(stderr):
    """(what, message) when bpftool's or libbpf's report of a refused
    load says only that the kernel lacks a helper or kfunc for the
    program type: what is "helper NAME" or "kfunc NAME", message the
    kernel's line. None for any other refusal."""
    err = verifier_error(stderr)
    if err is not None:
        for pat, what in VERIFIER_LACKS:
            m = pat.fullmatch(err)
            if m:
                return what(m), err
        return None
    # no verifier log: libbpf refused before loading, the first error it
    # printed is the cause
    for line in stderr.splitlines():
        line = line.strip()
        if line.startswith("libbpf: "):
            m = LIBBPF_KSYM.fullmatch(line)
            return ("kfunc " + m.group(1), line) if m else None
    return None


def log_of(prog, body, stats=True):
    """A refused load as bpftool prints it (libbpf's messages around the
    verifier's log); the self-test's input."""
    out = ["libbpf: prog '%s': BPF program load failed: Invalid argument" % prog,
           "libbpf: prog '%s': -- BEGIN PROG LOAD LOG --" % prog,
           "0: R1=ctx() R10=fp0"] + body
    if stats:
        out.append("processed 5 insns (limit 1000000) max_states_per_insn 0 "
                   "total_states 0 peak_states 0 mark_read 0")
    out += ["-- END PROG LOAD LOG --",
            "libbpf: prog '%s': failed to load: -22" % prog,
            "libbpf: failed to load object 'x.o'",
            "Error: failed to load object file"]
    return "\n".join(out) + "\n"


# (stderr, expected lack or None); the verifier lines are the messages of
# Linux 6.18 (as it printed them here) and 6.1 (kernel/bpf/verifier.c)
SELF_TEST = [
    (log_of("xdp_meta", ["; if (bpf_xdp_adjust_meta(ctx, -8)) @ xdp_meta.c:21",
                         "0: (85) call bpf_xdp_adjust_meta#54",
                         "program of this type cannot use helper bpf_xdp_adjust_meta#54"]),
     "helper bpf_xdp_adjust_meta"),
    (log_of("xdp_meta", ["0: (85) call bpf_xdp_adjust_meta#54",
                         "unknown func bpf_xdp_adjust_meta#54"]),
     "helper bpf_xdp_adjust_meta"),
    (log_of("p", ["invalid func unknown#300"]), "helper #300"),
    (log_of("p", ["func bpf_get_func_ip#173 not supported for program type 6"]),
     "helper bpf_get_func_ip"),
    (log_of("p", ["calling kernel function bpf_dynptr_from_skb is not allowed"]),
     "kfunc bpf_dynptr_from_skb"),
    # BPF_LOG_STATS lines after the error
    (log_of("p", ["unknown func bpf_xdp_adjust_meta#54",
                  "verification time 12 usec", "stack depth 0+8"]),
     "helper bpf_xdp_adjust_meta"),
    ("libbpf: extern (func ksym) 'bpf_xdp_ct_lookup': not found in kernel or module BTFs\n"
     "libbpf: failed to load object 'x.o'\nError: failed to load object file\n",
     "kfunc bpf_xdp_ct_lookup"),
    # refused for other reasons: stay failures
    (log_of("p", ["invalid access to packet, off=6000 size=1, R1(id=0,off=6000,r=0)",
                  "R1 offset is outside of the packet"]), None),
    (log_of("p", ["metadata kfuncs require device-bound program"]), None),
    (log_of("p", ["cannot call GPL-restricted function from non-GPL compatible program"]),
     None),
    (log_of("p", ["R2 invalid mem access 'scalar'"], stats=False), None),
    # the lack's words elsewhere than in the error line: a source line
    # the log quotes, a message about a helper the type does offer
    (log_of("p", ["; /* unknown func bpf_xdp_adjust_meta#54 */ @ x.c:3",
                  "R0 !read_ok"]), None),
    (log_of("p", ["program of this type cannot use helper bpf_xdp_adjust_meta#54 "
                  "with these flags"]), None),
    (log_of("p", ["kernel subsystem misconfigured func bpf_xdp_adjust_meta#54"]), None),
    ("libbpf: extern (func ksym) 'bpf_ct_release': func_proto [29] incompatible "
     "with kernel [63222]\nlibbpf: failed to load object 'x.o'\n", None),
    ("libbpf: map 'm': failed to create: Operation not permitted(-1)\n"
     "libbpf: extern (func ksym) 'bpf_x': not found in kernel or module BTFs\n", None),
    ("Error: failed to open object file\n", None),
    ("", None),
]


def self_test():
    bad = 0
    for i, (stderr, want) in enumerate(SELF_TEST):
        got = lacks(stderr)
        if (got[0] if got else None) != want:
            print("kernel_lacks self-test %d: expected %s, got %s\n%s"
                  % (i, want, got, stderr))
            bad += 1
    print("kernel_lacks self-test: %d of %d cases right"
          % (len(SELF_TEST) - bad, len(SELF_TEST)))
    return bad == 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--self-test"]:
        sys.exit(0 if self_test() else 1)
    got = lacks(sys.stdin.read())
    print("this kernel lacks %s for XDP (%s)" % got if got else "not a lack")
    sys.exit(0 if got else 1)
