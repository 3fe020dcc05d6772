// SPDX-License-Identifier: Apache-2.0
// Header writing, checksums and the pcap dumper behind gen_capture (see capture_frames.h).
#include "capture_frames.h"

#include <cerrno>
#include <cstring>

namespace openfwp::bench {
namespace {

// The capturing host is a Hyper-V guest (00:15:5d is Microsoft's OUI); every peer is behind a
// VRRP gateway, as on a routed LAN.
constexpr std::array<std::uint8_t, 6> kLocalMac = {0x00, 0x15, 0x5d, 0x01, 0x02, 0x03};
constexpr std::array<std::uint8_t, 6> kGatewayMac = {0x00, 0x00, 0x5e, 0x00, 0x01, 0x01};
constexpr std::size_t kMinEthernetFrame = 60;  // without FCS; shorter frames are padded

void put16(std::uint8_t* at, std::size_t value) {
  at[0] = static_cast<std::uint8_t>(value >> 8);
  at[1] = static_cast<std::uint8_t>(value);
}

void put32(std::uint8_t* at, std::uint32_t value) {
  at[0] = static_cast<std::uint8_t>(value >> 24);
  at[1] = static_cast<std::uint8_t>(value >> 16);
  at[2] = static_cast<std::uint8_t>(value >> 8);
  at[3] = static_cast<std::uint8_t>(value);
}

std::size_t ip_header_length(bool v6) { return v6 ? 40 : 20; }

}  // namespace

std::uint64_t checksum_add(std::uint64_t sum, std::span<const std::uint8_t> bytes) {
  // Native-order words: the one's-complement sum does not depend on byte order (RFC 1071
  // section 2(B)), and checksum_finish stores the result natively, which undoes the swap on a
  // little-endian host. 32-bit words halve the loop count; carries pile up in the upper half
  // of `sum` and are folded at the end.
  const std::uint8_t* p = bytes.data();
  std::size_t n = bytes.size();
  for (; n >= 4; p += 4, n -= 4) {
    std::uint32_t word = 0;
    std::memcpy(&word, p, 4);
    sum += word;
  }
  if (n >= 2) {
    std::uint16_t word = 0;
    std::memcpy(&word, p, 2);
    sum += word;
    p += 2;
    n -= 2;
  }
  if (n == 1) {
    const std::array<std::uint8_t, 2> last = {p[0], 0};  // odd byte: high half of a BE word
    std::uint16_t word = 0;
    std::memcpy(&word, last.data(), 2);
    sum += word;
  }
  return sum;
}

std::array<std::uint8_t, 2> checksum_finish(std::uint64_t sum) {
  while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
  const auto folded = static_cast<std::uint16_t>(~sum);
  std::array<std::uint8_t, 2> out{};
  std::memcpy(out.data(), &folded, 2);
  return out;
}

std::uint8_t* FrameBuilder::tcp_payload(bool v6, std::size_t options_length) {
  return frame_.data() + kEthernetHeader + ip_header_length(v6) + 20 + options_length;
}

std::uint8_t* FrameBuilder::udp_payload(bool v6) {
  return frame_.data() + kEthernetHeader + ip_header_length(v6) + 8;
}

std::uint8_t* FrameBuilder::icmp_payload(bool v6) {
  return frame_.data() + kEthernetHeader + ip_header_length(v6) + 8;
}

std::size_t FrameBuilder::write_headers(const Endpoint& from, const Endpoint& to,
                                        const IpFields& ip, std::uint8_t protocol,
                                        std::size_t l4_length) {
  std::uint8_t* f = frame_.data();
  std::memcpy(f, (to.local ? kLocalMac : kGatewayMac).data(), 6);
  std::memcpy(f + 6, (from.local ? kLocalMac : kGatewayMac).data(), 6);
  const bool v6 = from.address.v6;
  put16(f + 12, v6 ? 0x86dd : 0x0800);
  std::uint8_t* h = f + kEthernetHeader;
  if (!v6) {
    h[0] = 0x45;
    h[1] = 0;
    put16(h + 2, 20 + l4_length);
    put16(h + 4, ip.identification);
    put16(h + 6, ip.dont_fragment ? 0x4000 : 0);
    h[8] = from.ttl;
    h[9] = protocol;
    h[10] = h[11] = 0;
    std::memcpy(h + 12, from.address.bytes.data(), 4);
    std::memcpy(h + 16, to.address.bytes.data(), 4);
    const auto sum = checksum_finish(checksum_add(0, {h, 20}));
    h[10] = sum[0];
    h[11] = sum[1];
    return 20;
  }
  put32(h, 0x60000000U | (ip.flow_label & 0xfffffU));
  put16(h + 4, l4_length);
  h[6] = protocol;
  h[7] = from.ttl;
  std::memcpy(h + 8, from.address.bytes.data(), 16);
  std::memcpy(h + 24, to.address.bytes.data(), 16);
  return 40;
}

std::uint64_t FrameBuilder::pseudo_header_sum(const Endpoint& from, const Endpoint& to,
                                              std::uint8_t protocol, std::size_t l4_length) {
  std::array<std::uint8_t, 40> pseudo{};
  if (!from.address.v6) {
    std::memcpy(pseudo.data(), from.address.bytes.data(), 4);
    std::memcpy(pseudo.data() + 4, to.address.bytes.data(), 4);
    pseudo[9] = protocol;
    put16(pseudo.data() + 10, l4_length);
    return checksum_add(0, {pseudo.data(), 12});
  }
  std::memcpy(pseudo.data(), from.address.bytes.data(), 16);
  std::memcpy(pseudo.data() + 16, to.address.bytes.data(), 16);
  put32(pseudo.data() + 32, static_cast<std::uint32_t>(l4_length));
  pseudo[39] = protocol;
  return checksum_add(0, pseudo);
}

namespace {

// Peers' frames arrive padded to Ethernet's minimum; the host's own are captured before the
// NIC pads them, as on a real host capture.
std::span<const std::uint8_t> padded(std::uint8_t* frame, std::size_t length, bool local_sender) {
  if (local_sender || length >= kMinEthernetFrame) return {frame, length};
  std::memset(frame + length, 0, kMinEthernetFrame - length);
  return {frame, kMinEthernetFrame};
}

}  // namespace

std::span<const std::uint8_t> FrameBuilder::finish_tcp(const Endpoint& from, const Endpoint& to,
                                                       const IpFields& ip, const TcpFields& tcp,
                                                       std::span<const std::uint8_t> options,
                                                       std::size_t payload_length) {
  const std::size_t header_length = 20 + options.size();
  const std::size_t l4_length = header_length + payload_length;
  const std::size_t ip_length = write_headers(from, to, ip, kProtoTcp, l4_length);
  std::uint8_t* t = frame_.data() + kEthernetHeader + ip_length;
  put16(t, from.port);
  put16(t + 2, to.port);
  put32(t + 4, tcp.seq);
  put32(t + 8, tcp.ack);
  t[12] = static_cast<std::uint8_t>((header_length / 4) << 4);
  t[13] = tcp.flags;
  put16(t + 14, tcp.window);
  put32(t + 16, 0);  // checksum and urgent pointer
  if (!options.empty()) std::memcpy(t + 20, options.data(), options.size());
  const auto sum = checksum_finish(
      checksum_add(pseudo_header_sum(from, to, kProtoTcp, l4_length), {t, l4_length}));
  t[16] = sum[0];
  t[17] = sum[1];
  return padded(frame_.data(), kEthernetHeader + ip_length + l4_length, from.local);
}

std::span<const std::uint8_t> FrameBuilder::finish_udp(const Endpoint& from, const Endpoint& to,
                                                       const IpFields& ip,
                                                       std::size_t payload_length) {
  const std::size_t l4_length = 8 + payload_length;
  const std::size_t ip_length = write_headers(from, to, ip, kProtoUdp, l4_length);
  std::uint8_t* u = frame_.data() + kEthernetHeader + ip_length;
  put16(u, from.port);
  put16(u + 2, to.port);
  put16(u + 4, l4_length);
  put16(u + 6, 0);
  auto sum = checksum_finish(
      checksum_add(pseudo_header_sum(from, to, kProtoUdp, l4_length), {u, l4_length}));
  if (sum[0] == 0 && sum[1] == 0) sum = {0xff, 0xff};  // RFC 768: zero means "no checksum"
  u[6] = sum[0];
  u[7] = sum[1];
  return padded(frame_.data(), kEthernetHeader + ip_length + l4_length, from.local);
}

std::span<const std::uint8_t> FrameBuilder::finish_icmp(const Endpoint& from, const Endpoint& to,
                                                        const IpFields& ip, std::uint8_t type,
                                                        std::uint8_t code, std::uint32_t rest,
                                                        std::size_t body_length) {
  const bool v6 = from.address.v6;
  const std::uint8_t protocol = v6 ? kProtoIcmpv6 : kProtoIcmp;
  const std::size_t l4_length = 8 + body_length;
  const std::size_t ip_length = write_headers(from, to, ip, protocol, l4_length);
  std::uint8_t* c = frame_.data() + kEthernetHeader + ip_length;
  c[0] = type;
  c[1] = code;
  c[2] = c[3] = 0;
  put32(c + 4, rest);
  // ICMPv6 covers a pseudo-header (RFC 4443 section 2.3); ICMPv4 only its own bytes.
  const std::uint64_t start = v6 ? pseudo_header_sum(from, to, protocol, l4_length) : 0;
  const auto sum = checksum_finish(checksum_add(start, {c, l4_length}));
  c[2] = sum[0];
  c[3] = sum[1];
  return padded(frame_.data(), kEthernetHeader + ip_length + l4_length, from.local);
}

CaptureWriter::CaptureWriter(const std::string& path) {
  dead_ = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535, PCAP_TSTAMP_PRECISION_MICRO);
  if (dead_ == nullptr) {
    error_ = "pcap_open_dead failed";
    return;
  }
  file_ = std::fopen(path.c_str(), "wb");
  if (file_ == nullptr) {
    error_ = path + ": " + std::strerror(errno);
    return;
  }
  // A large stdio buffer: pcap_dump issues two fwrite calls per packet.
  std::setvbuf(file_, nullptr, _IOFBF, std::size_t{1} << 20);
  dumper_ = pcap_dump_fopen(dead_, file_);
  if (dumper_ == nullptr) {
    error_ = path + ": " + pcap_geterr(dead_);
    std::fclose(file_);
    file_ = nullptr;
  }
}

CaptureWriter::~CaptureWriter() {
  close();
  if (dead_ != nullptr) pcap_close(dead_);
}

void CaptureWriter::write(std::span<const std::uint8_t> frame, std::int64_t timestamp_us) {
  pcap_pkthdr header{};
  header.ts.tv_sec = static_cast<time_t>(timestamp_us / 1000000);
  header.ts.tv_usec = static_cast<suseconds_t>(timestamp_us % 1000000);
  header.caplen = static_cast<bpf_u_int32>(frame.size());
  header.len = header.caplen;
  pcap_dump(reinterpret_cast<u_char*>(dumper_), &header, frame.data());
  ++packets_;
  bytes_ += frame.size();
}

bool CaptureWriter::close() {
  if (dumper_ == nullptr) return error_.empty();
  // pcap_dump_close returns nothing, so write errors are caught by flushing first.
  const bool flushed = pcap_dump_flush(dumper_) == 0 && std::ferror(file_) == 0;
  pcap_dump_close(dumper_);
  dumper_ = nullptr;
  file_ = nullptr;
  if (!flushed) error_ = "write failed (disk full?)";
  return flushed;
}

}  // namespace openfwp::bench
