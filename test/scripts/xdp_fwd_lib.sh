#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Shared by the dpdk-xdp-fwd script tests: a packet tool in Python (no
# tcpdump or scapy needed), the guide's console blocks (doc_block) and
# its two-host topology around a router namespace. Needs lib.sh.
#
# pkt_tool FILE writes the tool; then "python3 FILE COMMAND ...":
#   udp-echo PORT                  UDP echo server (IPv4 and IPv6)
#   tcp-echo PORT                  TCP echo server
#   udp HOST PORT N                send N datagrams, need 90% echoed
#   tcp HOST PORT BYTES            send BYTES, need them back intact
#   sniff IFACE FILE SECONDS       AF_PACKET capture into a pcap file,
#                                  until FILE.stop exists or SECONDS
#   check FILE SMAC DMAC MARK N    frames carrying MARK: at least N,
#                                  IPv4 and IPv6, MACs as given, TTL
#                                  and hop limit 63, checksums right
#   mkpcap IN EXPECT DMAC SMAC NMAC  mixed traffic to the router (DMAC)
#                                  and what xdp_fwd must send out of
#                                  the port with MAC SMAC to the
#                                  neighbour NMAC
#   cmp GOT EXPECT                 the same frames, in order

pkt_tool() {
	cat >"$1" <<'PY'
import os, socket, struct, sys, time, select

def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff

def mac(s):
    return bytes(int(x, 16) for x in s.split(':'))

def fmt(b):
    return ':'.join('%02x' % x for x in b)

def pcap_write(path, frames):
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for fr in frames:
            f.write(struct.pack('<IIII', 0, 0, len(fr), len(fr)))
            f.write(fr)

def pcap_read(path):
    out = []
    with open(path, 'rb') as f:
        hdr = f.read(24)
        if len(hdr) < 24:
            return out
        magic = struct.unpack('<I', hdr[:4])[0]
        e = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
        while True:
            h = f.read(16)
            if len(h) < 16:
                break
            _, _, incl, _ = struct.unpack(e + 'IIII', h)
            out.append(f.read(incl))
    return out

def ip4(src, dst, proto, payload, ttl=64, tos=0):
    h = struct.pack('!BBHHHBBH4s4s', 0x45, tos, 20 + len(payload), 1, 0,
                    ttl, proto, 0, socket.inet_aton(src),
                    socket.inet_aton(dst))
    return h[:10] + struct.pack('!H', csum(h)) + h[12:] + payload

def l4(proto, src, dst, fam, body):
    if fam == 4:
        ph = socket.inet_pton(socket.AF_INET, src) + \
            socket.inet_pton(socket.AF_INET, dst) + \
            struct.pack('!BBH', 0, proto, len(body))
    else:
        ph = socket.inet_pton(socket.AF_INET6, src) + \
            socket.inet_pton(socket.AF_INET6, dst) + \
            struct.pack('!IxxxB', len(body), proto)
    c = csum(ph + body) or 0xffff
    off = 6 if proto == 17 else 16
    return body[:off] + struct.pack('!H', c) + body[off + 2:]

def udp(src, dst, fam, sport, dport, data):
    b = struct.pack('!HHHH', sport, dport, 8 + len(data), 0) + data
    return l4(17, src, dst, fam, b)

def tcp(src, dst, fam, sport, dport, data):
    b = struct.pack('!HHIIBBHHH', sport, dport, 1, 0, 0x50, 0x18, 8192,
                    0, 0) + data
    return l4(6, src, dst, fam, b)

def ip6(src, dst, nh, payload, hlim=64):
    return struct.pack('!IHBB16s16s', 0x60000000, len(payload), nh, hlim,
                       socket.inet_pton(socket.AF_INET6, src),
                       socket.inet_pton(socket.AF_INET6, dst)) + payload

def eth(dst, src, typ, payload):
    fr = dst + src + struct.pack('!H', typ) + payload
    return fr + b'\0' * max(0, 60 - len(fr))

def forwarded(fr, smac, nmac):
    """What xdp_fwd makes of a frame it forwards."""
    b = bytearray(fr)
    b[0:6] = nmac
    b[6:12] = smac
    if struct.unpack('!H', fr[12:14])[0] == 0x0800:
        b[22] -= 1
        b[24:26] = b'\0\0'
        b[24:26] = struct.pack('!H', csum(bytes(b[14:34])))
    else:
        b[21] -= 1
    return bytes(b)

def cmd_mkpcap(a):
    inp, exp, dmac, smac, nmac = a[0], a[1], mac(a[2]), mac(a[3]), mac(a[4])
    src = mac('02:aa:00:00:00:02')
    A, B, A6, B6 = '10.1.0.2', '10.2.0.2', '2001:db8:1::2', '2001:db8:2::2'
    frames, expect = [], []
    for i in range(8):
        data = b'XFWD-PCAP %d ' % i + bytes(range(40))
        fwd = [
            eth(dmac, src, 0x0800, ip4(A, B, 17, udp(A, B, 4, 1000 + i, 7, data))),
            eth(dmac, src, 0x0800, ip4(A, B, 6, tcp(A, B, 4, 2000 + i, 80, data), tos=0x10)),
            eth(dmac, src, 0x86dd, ip6(A6, B6, 17, udp(A6, B6, 6, 3000 + i, 7, data))),
            eth(dmac, src, 0x0800, ip4(A, B, 17, udp(A, B, 4, 4000 + i, 7, data * 15))),
        ]
        passed = [
            eth(dmac, src, 0x0800, ip4(A, B, 17, udp(A, B, 4, 5, 7, data), ttl=1)),
            eth(b'\xff' * 6, src, 0x0806, struct.pack('!HHBBH', 1, 0x0800, 6, 4, 1) +
                src + socket.inet_aton(A) + b'\0' * 6 + socket.inet_aton('10.1.0.1')),
            eth(dmac, src, 0x0800, ip4(A, '192.0.2.1', 17, udp(A, '192.0.2.1', 4, 6, 7, data))),
            eth(dmac, src, 0x0800, ip4(A, '10.2.0.9', 17, udp(A, '10.2.0.9', 4, 7, 7, data))),
            eth(dmac, src, 0x0800, ip4(A, '10.1.0.1', 1, b'\x08\0\xf7\xff' + b'\0' * 4)),
            eth(dmac, src, 0x0800, ip4(A, '10.3.0.2', 17, udp(A, '10.3.0.2', 4, 8, 7, data * 20))),
            eth(dmac, src, 0x88b5, b'local experimental ethertype'),
            eth(dmac, src, 0x86dd, ip6('fe80::2', B6, 17, udp('fe80::2', B6, 6, 9, 7, data))),
        ]
        frames += fwd + passed
        expect += [forwarded(f, smac, nmac) for f in fwd]
    pcap_write(inp, frames)
    pcap_write(exp, expect)
    print('%d frames in, %d expected out' % (len(frames), len(expect)))

def cmd_cmp(a):
    got, exp = pcap_read(a[0]), pcap_read(a[1])
    # a PMD may pad to 60 bytes: compare up to the expected length
    bad = [i for i, (g, e) in enumerate(zip(got, exp)) if g[:len(e)] != e]
    if len(got) != len(exp) or bad:
        print('got %d frames, expected %d; first differing: %s' %
              (len(got), len(exp), bad[:5]))
        for i in bad[:2]:
            print(' got', got[i].hex())
            print(' exp', exp[i].hex())
        sys.exit(1)
    print('%d frames as expected' % len(got))

def cmd_sniff(a):
    iface, path, secs = a[0], a[1], float(a[2])
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
    s.bind((iface, 0))
    frames, end = [], time.time() + secs
    open(path + '.ready', 'w').close()
    while time.time() < end and not os.path.exists(path + '.stop'):
        r, _, _ = select.select([s], [], [], 0.1)
        if r:
            fr, addr = s.recvfrom(65535)
            if addr[2] != socket.PACKET_OUTGOING:
                frames.append(fr)
    pcap_write(path, frames)

def cmd_check(a):
    path, smac, dmac, mark, need = a[0], mac(a[1]), mac(a[2]), a[3].encode(), int(a[4])
    n4 = n6 = 0
    for fr in pcap_read(path):
        if mark not in fr:
            continue
        typ = struct.unpack('!H', fr[12:14])[0]
        where = 'frame %s' % fr[:60].hex()
        if fr[0:6] != dmac or fr[6:12] != smac:
            sys.exit('%s: MACs %s > %s, expected %s > %s' % (where, fmt(fr[6:12]), fmt(fr[0:6]), fmt(smac), fmt(dmac)))
        if typ == 0x0800:
            ihl = (fr[14] & 15) * 4
            if fr[22] != 63:
                sys.exit('%s: TTL %d, expected 63' % (where, fr[22]))
            if csum(fr[14:14 + ihl]) != 0:
                sys.exit('%s: bad IPv4 header checksum' % where)
            tot = struct.unpack('!H', fr[16:18])[0]
            seg = fr[14 + ihl:14 + tot]
            ph = fr[26:34] + struct.pack('!BBH', 0, fr[23], len(seg))
            if fr[23] == 17 and struct.unpack('!H', seg[6:8])[0] != 0 and csum(ph + seg) != 0:
                sys.exit('%s: bad UDP checksum' % where)
            if fr[23] == 6 and csum(ph + seg) != 0:
                sys.exit('%s: bad TCP checksum' % where)
            n4 += 1
        elif typ == 0x86dd:
            if fr[21] != 63:
                sys.exit('%s: hop limit %d, expected 63' % (where, fr[21]))
            plen = struct.unpack('!H', fr[18:20])[0]
            seg = fr[54:54 + plen]
            ph = fr[22:54] + struct.pack('!IxxxB', plen, fr[20])
            if csum(ph + seg) != 0:
                sys.exit('%s: bad L4 checksum' % where)
            n6 += 1
    print('checked %d IPv4 and %d IPv6 frames' % (n4, n6))
    if n4 < need or n6 < need:
        sys.exit('expected at least %d of each' % need)

def serve(kind, port):
    socks = []
    for fam, addr in ((socket.AF_INET, '0.0.0.0'), (socket.AF_INET6, '::')):
        s = socket.socket(fam, socket.SOCK_DGRAM if kind == 'udp' else socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if fam == socket.AF_INET6:
            s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        s.bind((addr, port))
        if kind == 'tcp':
            s.listen(4)
        socks.append(s)
    conns = []
    while True:
        r, _, _ = select.select(socks + conns, [], [])
        for s in r:
            if kind == 'udp':
                d, peer = s.recvfrom(65535)
                s.sendto(d, peer)
            elif s in socks:
                c, _ = s.accept()
                conns.append(c)
            else:
                d = s.recv(65536)
                if d:
                    s.sendall(d)
                else:
                    conns.remove(s)
                    s.close()

def cmd_udp(a):
    host, port, n = a[0], int(a[1]), int(a[2])
    fam = socket.AF_INET6 if ':' in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.settimeout(0.5)
    got = lost = 0
    for i in range(n):
        msg = b'XFWD-UDP %d ' % i + os.urandom(64)
        s.sendto(msg, (host, port))
        try:
            if s.recv(2048) == msg:
                got += 1
                lost = 0
        except socket.timeout:
            lost += 1
            if lost == 10:
                break
    print('udp %s: %d of %d echoed' % (host, got, n))
    if got < n * 9 // 10:
        sys.exit(1)

def cmd_tcp(a):
    host, port, size = a[0], int(a[1]), int(a[2])
    fam = socket.AF_INET6 if ':' in host else socket.AF_INET
    data = os.urandom(size)
    s = socket.create_connection((host, port), timeout=10)
    s.sendall(data)
    back = b''
    while len(back) < size:
        d = s.recv(65536)
        if not d:
            break
        back += d
    s.close()
    print('tcp %s: %d of %d bytes back %s' % (host, len(back), size,
          'intact' if back == data else 'CORRUPTED'))
    if back != data:
        sys.exit(1)

cmd, args = sys.argv[1], sys.argv[2:]
if cmd in ('udp-echo', 'tcp-echo'):
    serve(cmd[:3], int(args[0]))
else:
    globals()['cmd_' + cmd](args)
PY
}

# The guide's topology (doc/guides/sample_app_ug/xdp_fwd.rst), made by
# its own commands (doc_block setup), with this run's names:
#   $NS_A: eth0 10.1.0.2/24 2001:db8:1::2/64  --veth--  $V_A  in $NS_R
#   $NS_B: eth0 10.2.0.2/24 2001:db8:2::2/64  --veth--  $V_B  in $NS_R
# The router side has no addresses, IPv6 off and a strict reverse-path
# filter: dpdk-xdp-fwd drives V_A and V_B, and its TAP interfaces
# (${TAP}0, ${TAP}1) carry the router's addresses.
MAC_A=02:aa:00:00:00:02
MAC_B=02:bb:00:00:00:02

topo_up() {
	id=$1
	NS_R=xf$id-r NS_A=xf$id-a NS_B=xf$id-b
	V_A=xf$id-va V_B=xf$id-vb H_A=eth0 H_B=eth0
	doc_root "$tmp/root"
	doc_block setup >"$tmp/setup.sh"
	(cd "$tmp/root" && bash -e "$tmp/setup.sh") >"$tmp/setup.log" 2>&1 ||
		{ cat "$tmp/setup.log"; return 1; }
}

topo_down() {
	doc_block cleanup | bash 2>/dev/null || true
}

# Wait for dpdk-xdp-fwd's TAP interfaces.
taps_wait() {
	tap=$1
	for i in 0 1; do
		n=0
		until ip -n "$NS_R" link show "$tap$i" >/dev/null 2>&1; do
			n=$((n + 1))
			[ $n -lt 100 ] || return 1
			sleep 0.1
		done
	done
}

# The router's side on the TAP interfaces, once dpdk-xdp-fwd made them,
# for routes from the kernel (a routes file's addresses are put there by
# dpdk-xdp-fwd itself).
taps_up() {
	tap=$1
	taps_wait "$tap" || return 1
	ip -n "$NS_R" addr add 10.1.0.1/24 dev "${tap}0"
	ip -n "$NS_R" addr add 10.2.0.1/24 dev "${tap}1"
	ip -n "$NS_R" -6 addr add 2001:db8:1::1/64 dev "${tap}0" nodad
	ip -n "$NS_R" -6 addr add 2001:db8:2::1/64 dev "${tap}1" nodad
	ip netns exec "$NS_R" sysctl -q -w "net.ipv4.conf.${tap}0.forwarding=1" \
		"net.ipv4.conf.${tap}1.forwarding=1" net.ipv6.conf.all.forwarding=1
}

# doc_block NAME: the commands of the guide's console block marked
# ".. xdp_fwd_netns: NAME" (rst_block), with the example's names made
# this run's own: xfwd-* (namespaces, veth ends, EAL file prefix) become
# xf$id-*. Run them with bash in doc_root.
doc_block() {
	rst_block sample_app_ug/xdp_fwd.rst "xdp_fwd_netns: $1" |
	sed -e "s/xfwd-/xf$id-/g"
}

# eal_dirs_rm PREFIX: remove EAL's runtime directories of the file
# prefixes starting with PREFIX (EAL leaves them behind, even with
# --no-shconf).
eal_dirs_rm() {
	if [ "$(id -u)" -eq 0 ]; then
		d=/var/run/dpdk
	else
		d=${XDG_RUNTIME_DIR:-/tmp}/dpdk
	fi
	rm -rf "$d/$1"*
}
