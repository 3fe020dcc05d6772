// SPDX-License-Identifier: Apache-2.0
// A tiny test-only builder of wire frames (Ethernet, VLAN, Linux cooked, IPv4/IPv6 with
// extension headers, TCP/UDP/ICMP, and fragments of either) with correct lengths and
// checksums, for the decoder and reassembly tests.
#pragma once

#include "common/ip_address.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace openfwp::io::wire::frames {

using Bytes = std::vector<std::uint8_t>;

inline void put8(Bytes& b, unsigned v) { b.push_back(static_cast<std::uint8_t>(v)); }
inline void put16(Bytes& b, unsigned v) {
  put8(b, (v >> 8) & 0xff);
  put8(b, v & 0xff);
}
inline void put32(Bytes& b, std::uint32_t v) {
  put16(b, v >> 16);
  put16(b, v & 0xffff);
}
inline void append(Bytes& b, const Bytes& tail) { b.insert(b.end(), tail.begin(), tail.end()); }
inline void set16(Bytes& b, std::size_t at, unsigned v) {
  b[at] = static_cast<std::uint8_t>((v >> 8) & 0xff);
  b[at + 1] = static_cast<std::uint8_t>(v & 0xff);
}

inline std::uint32_t sum16(const Bytes& b, std::uint32_t sum = 0) {
  for (std::size_t i = 0; i < b.size(); i += 2) {
    sum += static_cast<std::uint32_t>(b[i] << 8) +
           static_cast<std::uint32_t>(i + 1 < b.size() ? b[i + 1] : 0);
  }
  return sum;
}
inline std::uint16_t finish(std::uint32_t sum) {
  while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum & 0xffff);
}

inline Bytes tcp(std::uint16_t sport, std::uint16_t dport, std::uint32_t seq, std::uint32_t ack,
                 std::uint8_t flags, const Bytes& payload = {}, const Bytes& options = {}) {
  Bytes b;
  put16(b, sport);
  put16(b, dport);
  put32(b, seq);
  put32(b, ack);
  put8(b, ((20 + options.size()) / 4) << 4);
  put8(b, flags);
  put16(b, 65535);  // window
  put16(b, 0);      // checksum, filled by ipv4()/ipv6()
  put16(b, 0);      // urgent pointer
  append(b, options);
  append(b, payload);
  return b;
}

inline Bytes udp(std::uint16_t sport, std::uint16_t dport, const Bytes& payload = {}) {
  Bytes b;
  put16(b, sport);
  put16(b, dport);
  put16(b, 8 + payload.size());
  put16(b, 0);
  append(b, payload);
  return b;
}

inline Bytes icmp(std::uint8_t type, std::uint8_t code, std::uint32_t rest,
                  const Bytes& payload = {}) {
  Bytes b;
  put8(b, type);
  put8(b, code);
  put16(b, 0);
  put32(b, rest);
  append(b, payload);
  return b;
}

/// Offset of the checksum field in an upper-layer header, or 0 if none we fill.
inline std::size_t checksum_offset(std::uint8_t protocol) {
  switch (protocol) {
    case 6:
      return 16;
    case 17:
      return 6;
    case 1:
    case 58:
      return 2;
    default:
      return 0;
  }
}

struct Ipv4Spec {
  Ipv4Address source = 0x0a000001;       // 10.0.0.1
  Ipv4Address destination = 0x0a000002;  // 10.0.0.2
  std::uint8_t protocol = 6;
  std::uint8_t ttl = 64;
  std::uint16_t identification = 0x1234;
  bool dont_fragment = true;
  bool more_fragments = false;
  std::uint16_t fragment_offset = 0;  // bytes, a multiple of 8
  Bytes options{};                    // a multiple of 4
  bool fill_l4_checksum = true;
};

inline Bytes ipv4(const Ipv4Spec& s, Bytes payload) {
  const bool fragment = s.more_fragments || s.fragment_offset != 0;
  const std::size_t l4_at = checksum_offset(s.protocol);
  if (s.fill_l4_checksum && !fragment && l4_at != 0 && payload.size() >= l4_at + 2) {
    std::uint32_t sum = 0;
    if (s.protocol != 1) {
      sum = (s.source >> 16) + (s.source & 0xffff) + (s.destination >> 16) +
            (s.destination & 0xffff) + s.protocol + static_cast<std::uint32_t>(payload.size());
    }
    set16(payload, l4_at, finish(sum16(payload, sum)));
  }
  Bytes b;
  const std::size_t header = 20 + s.options.size();
  put8(b, 0x40 | (header / 4));
  put8(b, 0);
  put16(b, header + payload.size());
  put16(b, s.identification);
  put16(b,
        (s.dont_fragment ? 0x4000 : 0) | (s.more_fragments ? 0x2000 : 0) | (s.fragment_offset / 8));
  put8(b, s.ttl);
  put8(b, s.protocol);
  put16(b, 0);
  put32(b, s.source);
  put32(b, s.destination);
  append(b, s.options);
  set16(b, 10, finish(sum16(b)));
  append(b, payload);
  return b;
}

/// An IPv6 extension header: type and encoded bytes (next-header octet patched by ipv6()).
struct ExtHeader {
  std::uint8_t type;
  Bytes bytes;
};

/// Hop-by-hop (0), routing (43), destination options (60): `units` 8-octet units, padded.
inline ExtHeader ext_generic(std::uint8_t type, std::size_t units = 1) {
  Bytes b(units * 8, 0);
  b[1] = static_cast<std::uint8_t>(units - 1);
  if (type == 0 || type == 60) b[2] = 1, b[3] = static_cast<std::uint8_t>(units * 8 - 4);  // PadN
  return {type, b};
}
inline ExtHeader ext_fragment(std::uint16_t offset_bytes, bool more, std::uint32_t id) {
  Bytes b;
  put8(b, 0);
  put8(b, 0);
  put16(b, (offset_bytes & 0xfff8) | (more ? 1 : 0));
  put32(b, id);
  return {44, b};
}
/// Authentication header with a 12-byte ICV: length field 4 (24 bytes in all).
inline ExtHeader ext_ah() {
  Bytes b(24, 0);
  b[1] = 4;
  return {51, b};
}

inline Ipv6Address v6(std::uint8_t last, std::uint8_t first = 0x20) {
  Ipv6Address a{};
  a[0] = first;
  a[1] = 0x01;
  a[2] = 0x0d;
  a[3] = 0xb8;
  a[15] = last;
  return a;
}

struct Ipv6Spec {
  Ipv6Address source = v6(1);
  Ipv6Address destination = v6(2);
  std::uint8_t protocol = 6;  // after the extension headers
  std::uint8_t hop_limit = 64;
  std::vector<ExtHeader> ext{};
  bool fill_l4_checksum = true;
};

inline Bytes ipv6(const Ipv6Spec& s, Bytes payload) {
  bool fragment = false;
  for (const auto& e : s.ext) fragment = fragment || e.type == 44;
  const std::size_t l4_at = checksum_offset(s.protocol);
  if (s.fill_l4_checksum && !fragment && l4_at != 0 && payload.size() >= l4_at + 2) {
    Bytes pseudo(s.source.begin(), s.source.end());
    pseudo.insert(pseudo.end(), s.destination.begin(), s.destination.end());
    put32(pseudo, static_cast<std::uint32_t>(payload.size()));
    put32(pseudo, s.protocol);
    set16(payload, l4_at, finish(sum16(payload, sum16(pseudo))));
  }
  Bytes chain;
  for (std::size_t i = 0; i < s.ext.size(); ++i) {
    Bytes e = s.ext[i].bytes;
    e[0] = i + 1 < s.ext.size() ? s.ext[i + 1].type : s.protocol;
    append(chain, e);
  }
  Bytes b;
  put32(b, 0x60000000);
  put16(b, chain.size() + payload.size());
  put8(b, s.ext.empty() ? s.protocol : s.ext.front().type);
  put8(b, s.hop_limit);
  b.insert(b.end(), s.source.begin(), s.source.end());
  b.insert(b.end(), s.destination.begin(), s.destination.end());
  append(b, chain);
  append(b, payload);
  return b;
}

/// An upper-layer datagram (checksum filled as if unfragmented) cut into IPv4 fragments of at
/// most `chunk` data bytes (a multiple of 8), in offset order. `s`'s fragment fields are set
/// per fragment; the first fragment carries `s.options`.
inline std::vector<Bytes> ipv4_fragments(Ipv4Spec s, const Bytes& payload, std::size_t chunk) {
  s.dont_fragment = false;
  s.more_fragments = false;
  s.fragment_offset = 0;
  const std::size_t header = 20 + s.options.size();
  const Bytes whole = ipv4(s, payload);
  const Bytes data(whole.begin() + static_cast<std::ptrdiff_t>(header), whole.end());
  std::vector<Bytes> out;
  for (std::size_t at = 0; at < data.size(); at += chunk) {
    const std::size_t n = std::min(chunk, data.size() - at);
    Ipv4Spec f = s;
    f.fragment_offset = static_cast<std::uint16_t>(at);
    f.more_fragments = at + n < data.size();
    if (at != 0) f.options = {};
    out.push_back(ipv4(f, Bytes(data.begin() + static_cast<std::ptrdiff_t>(at),
                                data.begin() + static_cast<std::ptrdiff_t>(at + n))));
  }
  return out;
}

/// The same for IPv6: `s.ext` is the unfragmentable part, followed in every fragment by a
/// fragment header with identification `id`.
inline std::vector<Bytes> ipv6_fragments(const Ipv6Spec& s, const Bytes& payload, std::size_t chunk,
                                         std::uint32_t id) {
  const Bytes whole = ipv6(s, payload);
  const Bytes data(whole.end() - static_cast<std::ptrdiff_t>(payload.size()), whole.end());
  std::vector<Bytes> out;
  for (std::size_t at = 0; at < data.size(); at += chunk) {
    const std::size_t n = std::min(chunk, data.size() - at);
    Ipv6Spec f = s;
    f.ext.push_back(ext_fragment(static_cast<std::uint16_t>(at), at + n < data.size(), id));
    out.push_back(ipv6(f, Bytes(data.begin() + static_cast<std::ptrdiff_t>(at),
                                data.begin() + static_cast<std::ptrdiff_t>(at + n))));
  }
  return out;
}

/// Ethernet II with optional tags (TPID, TCI), outer first.
inline Bytes ethernet(const Bytes& payload, std::uint16_t ethertype,
                      const std::vector<std::pair<std::uint16_t, std::uint16_t>>& tags = {}) {
  Bytes b = {0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01};
  for (const auto& [tpid, tci] : tags) {
    put16(b, tpid);
    put16(b, tci);
  }
  put16(b, ethertype);
  append(b, payload);
  return b;
}

inline Bytes linux_sll(const Bytes& payload, std::uint16_t protocol, std::uint16_t packet_type) {
  Bytes b;
  put16(b, packet_type);
  put16(b, 1);  // ARPHRD_ETHER
  put16(b, 6);
  append(b, {0x02, 0, 0, 0, 0, 0x01, 0, 0});
  put16(b, protocol);
  append(b, payload);
  return b;
}

inline Bytes linux_sll2(const Bytes& payload, std::uint16_t protocol, std::uint32_t ifindex,
                        std::uint8_t packet_type) {
  Bytes b;
  put16(b, protocol);
  put16(b, 0);
  put32(b, ifindex);
  put16(b, 1);
  put8(b, packet_type);
  put8(b, 6);
  append(b, {0x02, 0, 0, 0, 0, 0x01, 0, 0});
  append(b, payload);
  return b;
}

}  // namespace openfwp::io::wire::frames
