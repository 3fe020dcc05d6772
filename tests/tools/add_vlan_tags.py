#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Rewrites an Ethernet pcap with an 802.1Q tag (VLAN 42, priority 3) in every frame, after the
MAC addresses: `add_vlan_tags.py IN.pcap OUT.pcap`. Made tests/data/pcap/tcp_handshake_data_vlan.pcap
from the real tcp_handshake_data.pcap (no tagged link was at hand in the namespaces)."""
import struct
import sys

TAG = struct.pack("!HH", 0x8100, (3 << 13) | 42)

with open(sys.argv[1], "rb") as f:
    data = f.read()
magic = struct.unpack("<I", data[:4])[0]
assert magic in (0xA1B2C3D4, 0xA1B23C4D), "little-endian pcap expected"
out = bytearray(data[:24])
at = 24
while at + 16 <= len(data):
    sec, frac, caplen, length = struct.unpack("<IIII", data[at:at + 16])
    frame = data[at + 16:at + 16 + caplen]
    frame = frame[:12] + TAG + frame[12:]
    out += struct.pack("<IIII", sec, frac, caplen + 4, length + 4) + frame
    at += 16 + caplen
with open(sys.argv[2], "wb") as f:
    f.write(out)
