#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Writes the wire_fuzz seed corpus (tests/fuzz/corpus/wire): byte 0 picks the link type as in
# wire_fuzz.cpp (0 Ethernet, 1 raw, 2 Linux cooked v1, 3 IPv4, 4 IPv6, 5 Linux cooked v2).
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


def ipv4(proto, payload, flags_offset=0x4000, options=b""):
    ihl = 5 + len(options) // 4
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, ihl * 4 + len(payload), 0x1234,
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


quote = ipv4(17, udp(b"12345678"))[:28]
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
}

OUT.mkdir(parents=True, exist_ok=True)
for name, data in seeds.items():
    (OUT / name).write_bytes(data)
print(f"wrote {len(seeds)} seeds to {OUT}")
