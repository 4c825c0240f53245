#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Mount the BPF filesystem at /sys/fs/bpf unless it is mounted there
# (idempotent). bpftool pins programs and maps in it; systemd mounts it
# at boot, a machine without systemd (a container, a CI VM) has none.
# Used by devtools/setup.sh, the kernel differential test and
# devtools/bench-prog-run.sh. Needs root; exits 1 with the reason when it
# cannot mount it.
set -u
dir=/sys/fs/bpf
[ "$(stat -f -c %T "$dir" 2>/dev/null)" = bpf_fs ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "mount-bpffs: $dir is not a BPF filesystem; mounting one needs root" >&2
	exit 1
fi
mkdir -p "$dir" 2>/dev/null
if ! mount -t bpf bpf "$dir"; then
	echo "mount-bpffs: mount -t bpf bpf $dir failed" >&2
	exit 1
fi
echo "mount-bpffs: mounted the BPF filesystem at $dir" >&2
