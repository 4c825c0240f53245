#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Run the console examples of doc/guides as pasted and check their output.

usage: doc_examples.py SRCDIR BUILDDIR [FILE.rst...]   (default: every
       doc/guides/**/*.rst)
       doc_examples.py --list SRCDIR BUILDDIR [FILE.rst...]

The convention (doc/guides/index.rst says the same for writers):

* Every ``.. code-block:: console`` block is a terminal session run from
  the repository root after ``./devtools/build.sh``: the build's tools are
  named by their paths under ``build/``. Blocks that are not sessions
  (grammar, file contents) are ``none`` or ``text`` blocks; a console
  block without a command is an error.
* ``$ CMD`` is a command, ``# CMD`` a command that needs root (so no
  output line starts with ``$ `` or ``# ``). A command ending in ``\\``
  continues on the next line; a here-document (``<<EOF``, ``<<'EOF'``)
  takes the lines up to its delimiter.
* Lines of an interactive program's prompt (``testpmd> ``, ``--> ``)
  after a command are typed into it (its standard input, then end of
  file).
* The other lines up to the next command are its expected output:
  standard output and error, as a terminal shows them. Blank lines and
  runs of blanks do not count; ``...`` alone on a line stands for any
  number of lines, inside a line for any text; durations (``duration:
  1851ns``, ``"duration":24``) may differ. A JSON output (a line starting
  with ``[`` or ``{``) may be wrapped in the doc: its lines that start
  with a blank continue it, and it is compared without blanks. A
  command shown without output must print nothing, and every command
  must exit with status 0.
* The blocks of a page run in order in one shell, in a fresh directory
  that looks like the repository root (its entries are links to the
  source tree's, ``build`` to the build directory), so that a page can
  make a file in one block and use it in the next.
* A block that cannot run on a build machine has, right above it, the
  rst comment ``.. doc-test: not run: REASON``; the test lists them.

As root, every page runs in its own network and mount namespaces (fresh
sysfs, bpffs at /sys/fs/bpf, tmpfs at /run, hugetlbfs), so that the
examples' netns, pins, DPDK runtime and hugepage files are private and
vanish with it. Otherwise the blocks with ``#`` commands are skipped, and
listed with the reason. Under an emulator (XDP_TEST_EMULATOR, the arm64
suite under qemu-user), a page's blocks from the first that opens an
AF_PACKET port on are skipped and listed: qemu-user does not pass
AF_PACKET's socket options on.
"""

import fcntl
import os
import pty
import re
import select
import shlex
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time

CMD_PROMPTS = {'$ ': False, '# ': True}		# prompt: needs root
INPUT_PROMPTS = ('testpmd> ', '--> ')
MARKER = '.. doc-test:'
CMD_TIMEOUT = 120	# seconds, one command (the machine may be loaded)
END_TAG = '@@doc-examples-end'


class DocError(Exception):
	pass


class Command:
	def __init__(self, path, line, text, root):
		self.path, self.line, self.text, self.root = path, line, text, root
		self.inputs = []
		self.expected = []

	def where(self):
		return '%s:%d' % (self.path, self.line)


class Block:
	def __init__(self, path, line, marker):
		self.path, self.line, self.marker = path, line, marker
		self.commands = []

	def where(self):
		return '%s:%d' % (self.path, self.line)

	def needs_root(self):
		return any(c.root for c in self.commands)


def indent_of(line):
	return len(line) - len(line.lstrip())


def marker_above(lines, i, indent):
	"""The doc-test comment right above the directive at lines[i]."""
	j = i - 1
	while j >= 0 and not lines[j].strip():
		j -= 1
	end = j
	while j >= 0 and lines[j].strip() and indent_of(lines[j]) > indent:
		j -= 1
	if j < 0 or not lines[j].strip().startswith(MARKER) or \
			indent_of(lines[j]) != indent:
		return None, None
	text = ' '.join(l.strip() for l in lines[j:end + 1])
	return text[len(MARKER):].strip(), j


def heredoc_delims(text):
	return [m.group(2) for m in
		re.finditer(r'(?<!<)<<-?\s*([\'"]?)([A-Za-z_]\w*)\1', text)]


def parse_session(path, first, body):
	"""Commands of a console block; body is [(lineno, text)], dedented."""
	cmds = []
	k = 0
	while k < len(body):
		no, line = body[k]
		k += 1
		prompt = next((p for p in CMD_PROMPTS if line.startswith(p)),
			None)
		if prompt:
			text = line[len(prompt):]
			while text.endswith('\\') and k < len(body):
				text += '\n' + body[k][1]
				k += 1
			for delim in heredoc_delims(text):
				while True:
					if k >= len(body):
						raise DocError('%s:%d: here-document '
							'without %s' % (path, no, delim))
					text += '\n' + body[k][1]
					k += 1
					if body[k - 1][1].strip() == delim:
						break
			cmds.append(Command(path, no, text, CMD_PROMPTS[prompt]))
			continue
		if not line.strip():
			continue
		if not cmds:
			raise DocError('%s:%d: output before any command (a '
				'console block is a session: "$ " or "# " '
				'commands; use "code-block:: none" for '
				'other text)' % (path, no))
		inp = next((p for p in INPUT_PROMPTS if line.startswith(p)),
			None)
		if inp:
			cmds[-1].inputs.append(line[len(inp):])
		else:
			cmds[-1].expected.append(line)
	if not cmds:
		raise DocError('%s:%d: console block without a command (use '
			'"code-block:: none" for grammar or file contents)'
			% (path, first))
	return cmds


def parse_rst(path, rel):
	with open(path, encoding='utf-8') as f:
		lines = f.read().split('\n')
	blocks = []
	used_markers = set()
	directive = re.compile(r'^(\s*)\.\. code-block::\s*(\S+)\s*$')
	for i, line in enumerate(lines):
		m = directive.match(line)
		if not m or m.group(2) != 'console':
			continue
		indent = len(m.group(1))
		marker, mline = marker_above(lines, i, indent)
		if marker is not None:
			used_markers.add(mline)
			if not re.match(r'not run: \S', marker):
				raise DocError('%s:%d: unknown marker "%s" (only '
					'"not run: REASON")' % (rel, mline + 1,
					marker))
		j = i + 1
		while j < len(lines) and re.match(r'^\s+:\w[\w-]*:', lines[j]):
			j += 1
		body = []
		while j < len(lines) and (not lines[j].strip() or
				indent_of(lines[j]) > indent):
			body.append((j + 1, lines[j].rstrip()))
			j += 1
		while body and not body[-1][1]:
			body.pop()
		ind = min((indent_of(t) for _, t in body if t), default=0)
		body = [(n, t[ind:]) for n, t in body]
		block = Block(rel, i + 1, marker)
		block.commands = parse_session(rel, i + 1, body)
		blocks.append(block)
	for n, line in enumerate(lines):
		if line.strip().startswith(MARKER) and n not in used_markers:
			raise DocError('%s:%d: doc-test marker not right above '
				'a console block' % (rel, n + 1))
	return blocks


# Output comparison

def normalise(line):
	line = ' '.join(line.split())
	line = re.sub(r'duration: \d+ns', 'duration: Nns', line)
	return re.sub(r'"duration":\d+', '"duration":N', line)


def expected_lines(cmd):
	out = []
	for line in cmd.expected:
		if out and line[:1].isspace() and is_json(out[-1]):
			out[-1] += line.strip()
		else:
			out.append(line)
	out = [normalise(l) for l in out]
	return [l for l in out if l]


def is_json(line):
	return line[:1] in ('[', '{')


def pattern(line):
	"""None for '...', else (regex, JSON: compared without blanks)."""
	if line == '...':
		return None
	json = is_json(line)
	if json:
		line = re.sub(r'\s+', '', line)
	return re.compile('.*'.join(re.escape(p) for p in line.split('...'))), \
		json


def line_matches(pat, line):
	regex, json = pat
	return regex.fullmatch(re.sub(r'\s+', '', line) if json else line)


def lines_match(expected, actual):
	"""expected: normalised doc lines ('...' = any lines), actual: lines.
	Returns None when they match, else the first expected line that
	cannot follow the ones before it ('': the output goes on after
	the last one)."""
	pats = [pattern(l) for l in expected]
	# reach[j]: the patterns so far can match the first j actual lines
	reach = [True] + [False] * len(actual)
	for i, p in enumerate(pats):
		if not any(reach):
			return expected[i - 1]
		nxt = [False] * (len(actual) + 1)
		for j in range(len(actual) + 1):
			if p is None:
				nxt[j] = reach[j] or (j > 0 and nxt[j - 1])
			elif j > 0 and reach[j - 1] and \
					line_matches(p, actual[j - 1]):
				nxt[j] = True
		reach = nxt
	if reach[len(actual)]:
		return None
	if not any(reach):
		return expected[-1]
	return ''


ANSI = re.compile(r'\x1b\[[0-9;?]*[A-Za-z]')


def actual_lines(raw, cmd):
	text = ANSI.sub('', raw.replace('\r', ''))
	out = []
	for line in text.split('\n'):
		# an interactive program's prompt, and its echo of the input
		stripped = True
		while stripped:
			stripped = False
			for p in INPUT_PROMPTS:
				if cmd.inputs and line.startswith(p):
					line = line[len(p):]
					stripped = True
		if cmd.inputs and line.strip() in cmd.inputs and \
				line.strip() not in cmd.expected:
			continue
		line = normalise(line)
		if line:
			out.append(line)
	return out


# Running

def fake_root(srcdir, builddir, into):
	"""A directory that looks like the repository root, after a build."""
	for name in os.listdir(srcdir):
		if name in ('.git', 'build'):
			continue
		os.symlink(os.path.join(srcdir, name), os.path.join(into, name))
	os.symlink(builddir, os.path.join(into, 'build'))


# A hugetlbfs of the page's own over each one mounted: the hugepage
# files of a primary an example starts (named after its file prefix)
# are private too, and go with the namespace.
ROOT_PRELUDE = '''\
mount -t sysfs sysfs /sys && mount -t bpf bpf /sys/fs/bpf &&
mount -t tmpfs tmpfs /run && ip link set lo up ||
	{ echo "cannot set up the namespaces"; exit 1; }
for m in $(awk '$3 == "hugetlbfs" { print $2 }' /proc/mounts); do
	mount -t hugetlbfs hugetlbfs "$m" ||
		{ echo "cannot mount hugetlbfs on $m"; exit 1; }
done
'''


def sanitizer_path(srcdir, builddir):
	"""PATH with test/scripts/lib.sh's ASan wrappers of dpdk-testpmd."""
	lib = os.path.join(srcdir, 'test', 'scripts', 'lib.sh')
	r = subprocess.run(['sh', '-c', '. "$1" && echo "$PATH"', 'sh', lib],
		env=dict(os.environ, BUILD=builddir, SRCDIR=srcdir),
		capture_output=True,
		text=True)
	if r.returncode != 0:
		raise DocError('test/scripts/lib.sh: ' + r.stdout + r.stderr)
	return r.stdout.strip()


def script_for(cmds, work, harness, as_root):
	s = ['cd %s || exit 1' % shlex.quote(work)]
	if as_root:
		s.insert(0, ROOT_PRELUDE)
	for n, cmd in enumerate(cmds):
		stdin = '/dev/null'
		if cmd.inputs:
			stdin = os.path.join(harness, 'input%d' % n)
			with open(stdin, 'w') as f:
				f.write('\n'.join(cmd.inputs) + '\n')
		s.append('{\n%s\n} <%s\nprintf \'\\n%s %d %%d@@\\n\' $?'
			% (cmd.text, shlex.quote(stdin), END_TAG, n))
	return '\n'.join(s) + '\n'


def run_session(argv, env, ncmds):
	"""Run the page's script on a terminal; [(status, output)] a command."""
	master, slave = pty.openpty()
	fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack('HHHH', 50, 132,
		0, 0))
	proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=slave,
		stderr=slave, env=env, start_new_session=True)
	os.close(slave)
	results, buf = [], b''
	tag = re.compile((r'\n?%s (\d+) (\d+)@@\n' % END_TAG).encode())
	last = time.monotonic()
	timed_out = False
	while True:
		r, _, _ = select.select([master], [], [], 1.0)
		if r:
			try:
				data = os.read(master, 65536)
			except OSError:
				data = b''
			if not data:
				break
			buf += data.replace(b'\r\n', b'\n')
			while True:
				m = tag.search(buf)
				if not m:
					break
				results.append((int(m.group(2)),
					buf[:m.start()].decode('utf-8',
						'replace')))
				buf = buf[m.end():]
				last = time.monotonic()
		elif proc.poll() is not None and len(results) >= ncmds:
			break
		if time.monotonic() - last > CMD_TIMEOUT:
			timed_out = True
			break
	# the shell and whatever it left running in the background
	for sig in (signal.SIGTERM, signal.SIGKILL):
		try:
			os.killpg(proc.pid, sig)
		except ProcessLookupError:
			break
		time.sleep(0.5)
	proc.wait()
	os.close(master)
	if len(results) < ncmds:
		why = 'timed out after %d s' % CMD_TIMEOUT if timed_out \
			else 'the shell exited'
		results.append((None, buf.decode('utf-8', 'replace') +
			'\n[%s]' % why))
	return results


def can_unshare():
	return subprocess.run(['unshare', '--mount', '--net', 'true'],
		capture_output=True).returncode == 0


def show(title, lines):
	print('  ' + title)
	for l in lines:
		print('    | ' + l)


def run_page(blocks, srcdir, builddir, env, root_mode):
	"""Runs a page's blocks; returns (failures, commands passed)."""
	cmds = [c for b in blocks for c in b.commands]
	if not cmds:
		return 0, 0
	with tempfile.TemporaryDirectory(prefix='doc-examples-') as tmp:
		work = os.path.join(tmp, 'root')
		harness = os.path.join(tmp, 'harness')
		os.mkdir(work)
		os.mkdir(harness)
		fake_root(srcdir, builddir, work)
		script = os.path.join(harness, 'page.sh')
		with open(script, 'w') as f:
			f.write(script_for(cmds, work, harness, root_mode))
		argv = ['bash', '--noprofile', '--norc', script]
		if root_mode:
			argv = ['unshare', '--mount', '--net',
				'--propagation', 'private', '--'] + argv
		results = run_session(argv, env, len(cmds))
	failures = passed = 0
	for cmd, (status, raw) in zip(cmds, results):
		actual = actual_lines(raw, cmd)
		exp = expected_lines(cmd)
		why = None
		if status is None:
			why = raw.rsplit('\n', 1)[-1].strip('[]')
		elif status != 0:
			why = 'exit status %d' % status
		else:
			miss = lines_match(exp, actual)
			if miss == '':
				why = 'more output than the doc shows'
			elif miss is not None:
				why = 'output differs, from the expected ' \
					'line: ' + miss
		if why is None:
			passed += 1
			continue
		failures += 1
		print('FAIL %s: %s' % (cmd.where(), why))
		show('command:', cmd.text.split('\n'))
		show('expected (normalised):', exp)
		show('got (normalised):', actual)
		if status is None:
			break
	unrun = len(cmds) - len(results)
	if unrun:
		print('FAIL %s and %d more commands: not reached'
			% (cmds[len(results)].where(), unrun - 1))
	return failures + unrun, passed


def find_pages(srcdir, names):
	if names:
		return [os.path.relpath(os.path.abspath(n), srcdir) for n in names]
	guides = os.path.join(srcdir, 'doc', 'guides')
	pages = []
	for d, _, files in os.walk(guides):
		pages += [os.path.relpath(os.path.join(d, f), srcdir)
			for f in files if f.endswith('.rst')]
	return sorted(pages)


# A command that opens an AF_PACKET port: the PMD's iface= backend or
# DPDK's net_af_packet.
AF_PACKET = re.compile(r'iface=|net_af_packet')


def main(argv):
	listing = argv[:1] == ['--list']
	if listing:
		argv = argv[1:]
	if len(argv) < 2:
		print(__doc__.split('\n\n')[1])
		return 2
	srcdir, builddir = (os.path.abspath(a) for a in argv[:2])
	os.environ['LC_ALL'] = 'C'
	try:
		pages = [(p, parse_rst(os.path.join(srcdir, p), p))
			for p in find_pages(srcdir, argv[2:])]
	except DocError as e:
		print('FAIL ' + str(e))
		return 1
	if listing:
		for _, blocks in pages:
			for b in blocks:
				print('%s%s' % (b.where(), ' (%s)' % b.marker
					if b.marker else ''))
				for c in b.commands:
					print('  %s %s' % ('#' if c.root else '$',
						c.text.split('\n')[0]))
		return 0

	is_root = os.geteuid() == 0
	root_mode = is_root and can_unshare()
	# as a user's shell has it: meson's LD_LIBRARY_PATH is not
	env = dict(os.environ, PATH=sanitizer_path(srcdir, builddir),
		TERM='dumb')
	env.pop('LD_LIBRARY_PATH', None)
	not_run, no_root, emulated = [], [], []
	failures = passed = nblocks = 0
	emulator = os.environ.get('XDP_TEST_EMULATOR')
	for page, blocks in pages:
		# qemu-user does not pass AF_PACKET's socket options on: from
		# the first block that opens such a port, the page is left out
		# there (its later blocks may depend on the port)
		if emulator:
			for k, b in enumerate(blocks):
				if any(AF_PACKET.search(c.text)
				       for c in b.commands):
					emulated.extend(blocks[k:])
					blocks = blocks[:k]
					break
		run = []
		for b in blocks:
			if b.marker:
				not_run.append((b, b.marker[len('not run:'):]
					.strip()))
			elif b.needs_root() and not root_mode:
				no_root.append(b)
			else:
				run.append(b)
		if not run:
			continue
		f, p = run_page(run, srcdir, builddir, env, root_mode)
		print('%s: %d blocks, %d commands: %d passed, %d failed'
			% (page, len(run), sum(len(b.commands) for b in run),
			p, f))
		failures += f
		passed += p
		nblocks += len(run)
	print('not run, marked in the doc (%d):' % len(not_run))
	for b, why in not_run:
		print('  %s: %s' % (b.where(), why))
	if no_root:
		why = 'not root' if not is_root else \
			'unshare --mount --net failed'
		print('skipped, they need root (%s) (%d):'
			% (why, len(no_root)))
		for b in no_root:
			print('  ' + b.where())
	if emulated:
		print('skipped under %s, which does not emulate AF_PACKET\'s '
			'socket options (SOL_PACKET): a page\'s blocks from the '
			'first that opens an AF_PACKET port (%d):'
			% (emulator, len(emulated)))
		for b in emulated:
			print('  ' + b.where())
	if failures:
		print('FAIL: %d of %d commands' % (failures, failures + passed))
		return 1
	print('PASS: %d blocks, %d commands as pasted' % (nblocks, passed))
	return 0


if __name__ == '__main__':
	sys.exit(main(sys.argv[1:]))
