#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Writes the wire_fuzz seed corpus (tests/fuzz/corpus/wire): byte 0 picks the link type as in
# wire_fuzz.cpp (0 Ethernet, 1 raw, 2 Linux cooked v1, 3 IPv4, 4 IPv6, 5 Linux cooked v2). The
# records_* seeds are for the reassembly half: after byte 0, records of [length: 2 bytes]
# [clock step: 1 byte, seconds][IP packet].
import pathlib
import struct

OUT = pathlib.Path(__file__).resolve().parents[1] / "fuzz" / "corpus" / "wire"


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack(f"!{len(b) // 2}H", b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(proto, payload, flags_offset=0x4000, options=b"", ident=0x1234):
    ihl = 5 + len(options) // 4
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, ihl * 4 + len(payload), ident,
                    flags_offset, 64, proto, 0, bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    h += options
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def ipv6(next_header, payload):
    src = bytes.fromhex("20010db8000000000000000000000001")
    dst = bytes.fromhex("20010db8000000000000000000000002")
    return struct.pack("!IHBB", 0x60000000, len(payload), next_header, 64) + src + dst + payload


def tcp(flags, payload=b""):
    return struct.pack("!HHIIBBHHH", 40000, 443, 1, 0, 0x50, flags, 65535, 0, 0) + payload


def udp(payload=b""):
    return struct.pack("!HHHH", 5353, 53, 8 + len(payload), 0) + payload


def icmp(t, c, payload=b""):
    return struct.pack("!BBHI", t, c, 0, 0) + payload


def eth(ethertype, payload, tags=()):
    b = bytes([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1])
    for tpid, tci in tags:
        b += struct.pack("!HH", tpid, tci)
    return b + struct.pack("!H", ethertype) + payload


def sll(ethertype, payload):
    return struct.pack("!HHH8sH", 4, 1, 6, b"\2\0\0\0\0\1\0\0", ethertype) + payload


def sll2(ethertype, payload):
    return struct.pack("!HHIHBB8s", ethertype, 0, 3, 1, 0, 6, b"\2\0\0\0\0\1\0\0") + payload


def ipv4_fragments(proto, data, chunk, ident):
    out = []
    for at in range(0, len(data), chunk):
        more = 0x2000 if at + chunk < len(data) else 0
        out.append(ipv4(proto, data[at:at + chunk], more | at // 8, ident=ident))
    return out


def ipv6_fragments(data, chunk, ident, hop_by_hop=False):
    out = []
    for at in range(0, len(data), chunk):
        more = 1 if at + chunk < len(data) else 0
        frag = struct.pack("!BBHI", 17, 0, at | more, ident) + data[at:at + chunk]
        out.append(ipv6(0, bytes([44, 0, 1, 4, 0, 0, 0, 0]) + frag) if hop_by_hop
                   else ipv6(44, frag))
    return out


def records(*packets, steps=None):
    steps = steps or [0] * len(packets)
    return b"".join(struct.pack("!HB", len(p), step) + p for p, step in zip(packets, steps))


quote = ipv4(17, udp(b"12345678"))[:28]
f4 = ipv4_fragments(17, udp(b"v4 fragmented " * 8), 40, 0x77)
f6 = ipv6_fragments(udp(b"v6 fragmented " * 8), 48, 0x12345678, hop_by_hop=True)
seeds = {
    "eth_ipv4_tcp_syn": b"\0" + eth(0x0800, ipv4(6, tcp(0x02))),
    "eth_qinq_ipv6_tcp": b"\0" + eth(0x86DD, ipv6(6, tcp(0x12)), [(0x88A8, 10), (0x8100, 20)]),
    "eth_ipv4_options_udp": b"\0" + eth(0x0800, ipv4(17, udp(b"hi"), options=b"\1\1\1\0")),
    "raw_ipv4_icmp_error": b"\1" + ipv4(1, icmp(3, 3, quote)),
    "raw_ipv6_ext_chain": b"\1" + ipv6(0, bytes([60, 0, 1, 4, 0, 0, 0, 0]) +
                                       bytes([17, 0, 1, 4, 0, 0, 0, 0]) + udp(b"x")),
    "sll_ipv4_first_fragment": b"\2" + sll(0x0800, ipv4(17, udp(b"a" * 8)[:12], 0x2000)),
    "ipv4_non_first_fragment": b"\3" + ipv4(6, b"\0" * 16, 0x00B9),
    "ipv6_fragment": b"\4" + ipv6(44, bytes([17, 0, 0, 1, 0, 0, 0, 7]) + udp(b"frag")),
    "sll2_ipv6_icmpv6_error": b"\5" + sll2(0x86DD, ipv6(58, icmp(1, 4, ipv6(6, tcp(0x02))[:48]))),
    "eth_arp": b"\0" + eth(0x0806, b"\0\1\x08\0\6\4\0\1" + b"\0" * 20),
    "records_ipv4_udp_fragments": b"\1" + records(f4[2], f4[0], f4[1], f4[0]),
    "records_ipv6_hop_by_hop_fragments": b"\1" + records(*reversed(f6)),
    "records_overlap_then_timeout": b"\1" + records(
        f4[0], ipv4(17, b"\xee" * 40, 0x2000, ident=0x77), f4[1], f4[2], f4[0],
        steps=[0, 0, 0, 40, 0]),
}

OUT.mkdir(parents=True, exist_ok=True)
for name, data in seeds.items():
    (OUT / name).write_bytes(data)
print(f"wrote {len(seeds)} seeds to {OUT}")
