#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Writes tests/data/pcap/malformed.pcap: hostile and broken frames sent to 198.18.0.2, one per
decoder anomaly the replay must turn into a named discard event (never a crash), between two
healthy ones. Hand-built, since no real stack sends these; regenerate with
`tests/tools/gen_malformed_pcap.py tests/data/pcap/malformed.pcap`."""
import struct
import sys

A = bytes([198, 18, 0, 1])
B = bytes([198, 18, 0, 2])
MAC_A = bytes.fromhex("020000000001")
MAC_B = bytes.fromhex("020000000002")


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ipv4(payload, proto, src=A, dst=B, ihl=5, total=None):
    total = 20 + len(payload) if total is None else total
    header = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, total, 1, 0x4000, 64, proto, 0, src, dst)
    header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
    return header + payload


def tcp(sport, dport, flags, offset=5, payload=b""):
    return struct.pack("!HHIIBBHHH", sport, dport, 1000, 0, offset << 4, flags, 65535, 0, 0) + payload


def udp(sport, dport, payload, length=None):
    length = 8 + len(payload) if length is None else length
    return struct.pack("!HHHH", sport, dport, length, 0) + payload


def ether(payload, ethertype=0x0800):
    return MAC_B + MAC_A + struct.pack("!H", ethertype) + payload


SYN, ACK = 0x02, 0x10
frames = [
    ether(ipv4(tcp(40000, 80, SYN), 6)),                       # healthy SYN to a closed port
    ether(ipv4(tcp(40001, 80, SYN), 6, ihl=4)),                 # bad_ipv4_ihl
    ether(ipv4(tcp(40002, 80, SYN, offset=3), 6)),              # bad_tcp_data_offset
    ether(ipv4(tcp(40003, 80, SYN)[:12], 6)),                   # truncated_tcp_header
    ether(ipv4(udp(40004, 53, b"abcd", length=200), 17)),       # udp_length_mismatch
    ether(ipv4(tcp(40005, 80, SYN), 6, total=400)),             # ipv4_total_length_mismatch
    ether(ipv4(b"\x08\x00", 1)),                                # truncated_icmp
    ether(b"\x00\x01\x08\x00\x06\x04\x00\x01" + MAC_A + A + bytes(6) + B, 0x0806),  # ARP: not IP
    MAC_B + MAC_A[:3],                                          # truncated_ethernet
    ether(bytes([0x60]) + bytes(10), 0x86DD),                   # truncated_ipv6_header
    ether(ipv4(tcp(40006, 80, SYN), 6, src=bytes([198, 18, 9, 9]), dst=bytes([198, 18, 9, 8]))),
    ether(ipv4(tcp(40007, 80, ACK), 6)),                        # healthy ACK, no connection
]

with open(sys.argv[1], "wb") as out:
    out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    for i, frame in enumerate(frames):
        out.write(struct.pack("<IIII", 1700000000, 1000 * i, len(frame), len(frame)))
        out.write(frame)
