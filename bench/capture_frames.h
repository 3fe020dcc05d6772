// SPDX-License-Identifier: Apache-2.0
// Frame building and pcap writing for gen_capture (the `fwp replay` benchmark's capture
// generator): Ethernet + IPv4/IPv6 + TCP/UDP/ICMP with correct checksums, written through
// libpcap's own dumper so the file is exactly what tcpdump and tshark expect.
//
// The builder writes headers around a payload the caller has already put in place, so payload
// bytes are copied once (from the stream template straight into the frame) and checksummed once:
// at millions of packets, the copy and the checksum are most of the generator's time.
#pragma once

#include <pcap/pcap.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string>

namespace openfwp::bench {

/// An IPv4 (first four bytes used) or IPv6 address, in network byte order.
struct Address {
  std::array<std::uint8_t, 16> bytes{};
  bool v6 = false;
};

/// One side of a conversation as the frame builder needs it.
struct Endpoint {
  Address address;
  std::uint16_t port = 0;
  bool local = false;  ///< the capturing host (its MAC, TTL 128); else a peer behind the gateway
  std::uint8_t ttl = 64;
};

/// IP header fields that vary per packet.
struct IpFields {
  std::uint16_t identification = 0;  ///< IPv4 only
  std::uint32_t flow_label = 0;      ///< IPv6 only (20 bits)
  bool dont_fragment = false;        ///< IPv4 only
};

/// TCP header fields (header length and checksum are the builder's).
struct TcpFields {
  std::uint32_t seq = 0;
  std::uint32_t ack = 0;
  std::uint8_t flags = 0;  ///< kFin | kSyn | ...
  std::uint16_t window = 0;
};

inline constexpr std::uint8_t kFin = 0x01;
inline constexpr std::uint8_t kSyn = 0x02;
inline constexpr std::uint8_t kRst = 0x04;
inline constexpr std::uint8_t kPsh = 0x08;
inline constexpr std::uint8_t kAck = 0x10;

inline constexpr std::uint8_t kProtoTcp = 6;
inline constexpr std::uint8_t kProtoUdp = 17;
inline constexpr std::uint8_t kProtoIcmp = 1;
inline constexpr std::uint8_t kProtoIcmpv6 = 58;

inline constexpr std::size_t kEthernetHeader = 14;
inline constexpr std::size_t kMaxFrame = 1514;

/// RFC 1071 one's-complement sum of `bytes`, added to `sum` (not folded). Spans after the first
/// must start at an even offset of the checksummed data, i.e. every span but the last has even
/// length.
std::uint64_t checksum_add(std::uint64_t sum, std::span<const std::uint8_t> bytes);
/// Folds a checksum_add sum to the 16-bit complement, stored as two bytes in network order.
std::array<std::uint8_t, 2> checksum_finish(std::uint64_t sum);

/// One reusable frame buffer. Usage: get the payload pointer for the packet's shape, write the
/// payload there, then call finish_*() with its length; the returned span is valid until the
/// next finish_*().
class FrameBuilder {
 public:
  /// Where a TCP payload goes for this address family and `options_length` (a multiple of 4).
  std::uint8_t* tcp_payload(bool v6, std::size_t options_length);
  /// Where a UDP payload goes.
  std::uint8_t* udp_payload(bool v6);
  /// Where an ICMP/ICMPv6 message body (after the 8-byte header) goes.
  std::uint8_t* icmp_payload(bool v6);

  std::span<const std::uint8_t> finish_tcp(const Endpoint& from, const Endpoint& to,
                                           const IpFields& ip, const TcpFields& tcp,
                                           std::span<const std::uint8_t> options,
                                           std::size_t payload_length);
  std::span<const std::uint8_t> finish_udp(const Endpoint& from, const Endpoint& to,
                                           const IpFields& ip, std::size_t payload_length);
  /// `rest` is bytes 4-7 of the ICMP header (0 for port unreachable).
  std::span<const std::uint8_t> finish_icmp(const Endpoint& from, const Endpoint& to,
                                            const IpFields& ip, std::uint8_t type,
                                            std::uint8_t code, std::uint32_t rest,
                                            std::size_t body_length);

 private:
  /// Writes Ethernet and IP headers for `l4_length` bytes of `protocol`; returns the IP header
  /// length.
  std::size_t write_headers(const Endpoint& from, const Endpoint& to, const IpFields& ip,
                            std::uint8_t protocol, std::size_t l4_length);
  /// Sum of the TCP/UDP/ICMPv6 pseudo-header.
  static std::uint64_t pseudo_header_sum(const Endpoint& from, const Endpoint& to,
                                         std::uint8_t protocol, std::size_t l4_length);

  std::array<std::uint8_t, kMaxFrame + 64> frame_{};
};

/// A pcap file (LINKTYPE_ETHERNET, microsecond timestamps) written through pcap_dump.
class CaptureWriter {
 public:
  /// Opens `path` for writing; on failure ok() is false and error() says why.
  explicit CaptureWriter(const std::string& path);
  CaptureWriter(const CaptureWriter&) = delete;
  CaptureWriter& operator=(const CaptureWriter&) = delete;
  ~CaptureWriter();

  bool ok() const { return dumper_ != nullptr; }
  const std::string& error() const { return error_; }

  void write(std::span<const std::uint8_t> frame, std::int64_t timestamp_us);
  /// Flushes and closes; false (with error()) when the data could not be written.
  bool close();

  std::uint64_t packets() const { return packets_; }
  std::uint64_t bytes() const { return bytes_; }

 private:
  pcap_t* dead_ = nullptr;
  pcap_dumper_t* dumper_ = nullptr;
  std::FILE* file_ = nullptr;  // owned by dumper_ once pcap_dump_fopen succeeded
  std::string error_;
  std::uint64_t packets_ = 0;
  std::uint64_t bytes_ = 0;
};

}  // namespace openfwp::bench
