// SPDX-License-Identifier: Apache-2.0
// The two traffic mixes of gen_capture, as seen by the local host 198.18.0.1 / 2001:db8::1:
//  - established: long TCP connections (TLS downloads and uploads, interactive sessions,
//    HTTP keep-alive; outbound and to local servers on 80/443), RTP-like UDP streams and a
//    trickle of DNS — the replay's flow table is warm and most packets hit existing flows;
//  - new-flows: short connections (one request/response, then FIN), SYNs refused with RST or
//    left unanswered, DNS, UDP probes answered by ICMP port unreachable — nearly every packet
//    creates or ends a flow.
#include "capture_flows.h"

#include <array>
#include <string>

namespace openfwp::bench {
namespace {

constexpr std::uint64_t kUntilWindDown = std::uint64_t{1} << 40;
constexpr std::uint32_t kTlsMaxRecord = 16401;  // 2^14 plaintext + TLS 1.3 type byte and tag

// Ports this Wireshark (4.0) registers a UDP or TCP dissector for, inside the ephemeral ranges.
// Used as a client port they would make tshark dissect the payload as that protocol (it tries
// the lower port first, and 5004, the media port, has no dissector), so they are skipped.
constexpr std::array<std::uint16_t, 35> kDissectedEphemeralPorts = {
    34962, 34980, 37008, 41170, 44321, 44322, 44818, 45564, 47000, 47808, 48049, 48898,
    49999, 54328, 56000, 56001, 56500, 56501, 57000, 57001, 57032, 57033, 57500, 57501,
    57532, 57533, 59000, 59001, 59032, 59033, 59500, 59501, 59532, 59533, 60001};

bool dissected(std::uint16_t port) {
  for (const std::uint16_t p : kDissectedEphemeralPorts) {
    if (p == port) return true;
  }
  return false;
}

std::string address_text(const Address& address) {
  if (!address.v6) {
    return std::to_string(address.bytes[0]) + "." + std::to_string(address.bytes[1]) + "." +
           std::to_string(address.bytes[2]) + "." + std::to_string(address.bytes[3]);
  }
  constexpr char kHex[] = "0123456789abcdef";
  std::string text = "[";
  for (std::size_t i = 0; i < 16; i += 2) {
    const unsigned group = static_cast<unsigned>(address.bytes[i] << 8 | address.bytes[i + 1]);
    std::string digits;
    for (unsigned g = group; g != 0 || digits.empty(); g >>= 4) digits.insert(0, 1, kHex[g & 15]);
    text += (i == 0 ? "" : ":") + digits;
  }
  return text + "]";
}

MessageStream tls_records(std::uint32_t record_length, Rng& rng) {
  const std::uint32_t body = record_length - 5;
  MessageStream stream;
  stream.head = {0x17, 0x03, 0x03, static_cast<char>(body >> 8), static_cast<char>(body & 0xff)};
  stream.body_length = body;
  stream.salt = rng.below(65536);
  return stream;
}

MessageStream http_request(const Address& server, Rng& rng) {
  MessageStream stream;
  stream.head = "GET /assets/" + std::to_string(rng.below(100000)) +
                ".bin HTTP/1.1\r\nHost: " + address_text(server) +
                "\r\nUser-Agent: openfwp-bench/1\r\nAccept: */*\r\nConnection: keep-alive\r\n\r\n";
  return stream;
}

MessageStream http_response(std::uint32_t body_length, Rng& rng) {
  MessageStream stream;
  stream.head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " +
                std::to_string(body_length) + "\r\nConnection: keep-alive\r\n\r\n";
  stream.body_length = body_length;
  stream.salt = rng.below(65536);
  return stream;
}

/// The streams of a TLS conversation: `client_records` records of `client_size` bytes per
/// request turn, `server_records` of `server_size` per response.
void set_tls(TcpPlan& plan, std::uint32_t client_size, std::uint32_t client_records,
             std::uint32_t server_size, std::uint32_t server_records, Rng& rng) {
  plan.client_stream = tls_records(client_size, rng);
  plan.server_stream = tls_records(server_size, rng);
  plan.client_turn_bytes = std::uint64_t{client_size} * client_records;
  plan.server_turn_bytes = std::uint64_t{server_size} * server_records;
}

void set_http(TcpPlan& plan, std::uint32_t body_length, Rng& rng) {
  plan.client_stream = http_request(plan.server.address, rng);
  plan.server_stream = http_response(body_length, rng);
  plan.client_turn_bytes = plan.client_stream.message_length();
  plan.server_turn_bytes = plan.server_stream.message_length();
  plan.reorder = false;
}

}  // namespace

FlowFactory::FlowFactory(Profile profile, std::uint32_t v6_percent, Rng& rng)
    : profile_(profile), v6_percent_(v6_percent), rng_(rng) {}

std::unique_ptr<Flow> FlowFactory::next() {
  return profile_ == Profile::kEstablished ? next_established() : next_new_flows();
}

Endpoint FlowFactory::local(bool v6) {
  Endpoint endpoint;
  endpoint.address.v6 = v6;
  if (v6) {
    endpoint.address.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  } else {
    endpoint.address.bytes = {198, 18, 0, 1};
  }
  endpoint.local = true;
  endpoint.ttl = 128;  // Windows' default
  return endpoint;
}

Endpoint FlowFactory::remote(bool v6, std::uint16_t port) {
  Endpoint endpoint;
  endpoint.address.v6 = v6;
  endpoint.port = port;
  // Peers are Linux (TTL 64) or Windows (128) hosts 3 to 20 hops away.
  endpoint.ttl = static_cast<std::uint8_t>((rng_.below(2) == 0 ? 64 : 128) - rng_.between(3, 20));
  const std::uint32_t host = rng_.next() & 0xffffffU;
  auto& b = endpoint.address.bytes;
  if (v6) {
    // 2001:db8:X::Y, X in 1..0xffff: the local /64 (2001:db8::/64) is never a peer.
    b = {0x20, 0x01, 0x0d, 0xb8};
    b[4] = static_cast<std::uint8_t>(1 + (host >> 16) % 255);
    b[5] = static_cast<std::uint8_t>(host >> 8);
    b[14] = static_cast<std::uint8_t>(host);
    b[15] = static_cast<std::uint8_t>(1 + rng_.below(254));
  } else {
    // 198.18.0.0/15 without the local /24 (198.18.0.0/24).
    const std::uint32_t index = 0x100 + (host % 0x1ff00);
    b = {198, static_cast<std::uint8_t>(18 + (index >> 16)), static_cast<std::uint8_t>(index >> 8),
         static_cast<std::uint8_t>(1 + rng_.below(254))};
  }
  return endpoint;
}

Endpoint FlowFactory::resolver(bool v6) {
  // Two resolvers per family, as a host's DNS configuration lists them.
  Endpoint endpoint;
  endpoint.address.v6 = v6;
  endpoint.port = 53;
  endpoint.ttl = 60;
  const auto which = static_cast<std::uint8_t>(rng_.below(2));
  if (v6) {
    endpoint.address.bytes = {0x20, 0x01, 0x0d, 0xb8, 0, 0x53, 0, 0, 0, 0, 0, 0, 0, 0, which, 0x53};
  } else {
    endpoint.address.bytes = {198, 19, which, 53};
  }
  return endpoint;
}

bool FlowFactory::claim(const Endpoint& local, const Endpoint& remote) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a over family, ports, remote address
  auto add = [&hash](std::uint64_t byte) { hash = (hash ^ byte) * 0x100000001b3ULL; };
  add(remote.address.v6 ? 6 : 4);
  for (const std::uint16_t port : {local.port, remote.port}) {
    add(port >> 8);
    add(port & 0xffU);
  }
  for (const std::uint8_t byte : remote.address.bytes) add(byte);
  return used_tuples_.insert(hash).second;
}

std::uint16_t FlowFactory::local_ephemeral_port() {
  // Windows hands out 49152-65535 in turn; turning through them keeps the 4-tuples of
  // concurrent flows distinct (a reused one would read as TCP port reuse).
  std::uint16_t port = 0;
  do {
    port = static_cast<std::uint16_t>(49152 + next_local_port_++ % 16384);
  } while (dissected(port));
  return port;
}

std::uint16_t FlowFactory::remote_ephemeral_port() {
  std::uint16_t port = 0;
  do {
    port = static_cast<std::uint16_t>(rng_.between(32768, 60999));  // Linux's range
  } while (dissected(port));
  return port;
}

std::unique_ptr<Flow> FlowFactory::next_established() {
  const bool v6 = rng_.below(100) < v6_percent_;
  const std::uint32_t kind = rng_.below(100);
  TcpPlan plan;
  plan.turns = rng_.below(10) < 7 ? kUntilWindDown : rng_.between(1, 40);
  plan.server_closes = rng_.below(10) < 3;
  if (kind < 70) {  // outbound connection
    const std::uint16_t port = kind < 50 ? 443 : kind < 60 ? 8443 : 80;
    plan.client = local(v6);
    plan.client.port = local_ephemeral_port();
    do {
      plan.server = remote(v6, port);
    } while (!claim(plan.client, plan.server));
    const std::uint32_t full_records = rng_.below(5) < 4;
    if (kind < 45) {  // download: small request, then up to 6 records of up to 16 KiB
      set_tls(plan, rng_.between(40, 700), 1,
              full_records ? kTlsMaxRecord : rng_.between(1000, kTlsMaxRecord), rng_.between(1, 6),
              rng_);
    } else if (kind < 50) {  // upload
      set_tls(plan, kTlsMaxRecord, rng_.between(1, 4), rng_.between(40, 200), 1, rng_);
    } else if (kind < 60) {  // interactive: small records both ways
      set_tls(plan, rng_.between(40, 300), 1, rng_.between(40, 300), 1, rng_);
    } else {
      set_http(plan, rng_.between(2000, 60000), rng_);
    }
  } else if (kind < 85) {  // to a local server
    const std::uint16_t port = kind < 80 ? 443 : 80;
    plan.server = local(v6);
    plan.server.port = port;
    do {
      plan.client = remote(v6, remote_ephemeral_port());
    } while (!claim(plan.server, plan.client));
    if (port == 443) {
      set_tls(plan, rng_.between(40, 700), 1, kTlsMaxRecord, rng_.between(1, 4), rng_);
    } else {
      set_http(plan, rng_.between(2000, 30000), rng_);
    }
  } else if (kind < 93) {
    Endpoint self = local(v6);
    self.port = local_ephemeral_port();
    return make_udp_stream_flow(self, remote(v6, 5004), rng_);
  } else {
    Endpoint self = local(v6);
    self.port = local_ephemeral_port();
    return make_dns_flow(self, resolver(v6), rng_);
  }
  return make_tcp_flow(std::move(plan), rng_);
}

std::unique_ptr<Flow> FlowFactory::next_new_flows() {
  const bool v6 = rng_.below(100) < v6_percent_;
  const std::uint32_t kind = rng_.below(100);
  TcpPlan plan;
  plan.turns = rng_.below(10) == 0 ? 2 : 1;
  plan.server_closes = rng_.below(10) < 4;
  if (kind < 35) {  // short outbound connection
    const bool tls = rng_.below(10) < 7;
    plan.client = local(v6);
    plan.client.port = local_ephemeral_port();
    do {
      plan.server = remote(v6, tls ? 443 : 80);
    } while (!claim(plan.client, plan.server));
    if (tls) {
      set_tls(plan, rng_.between(100, 600), 1, rng_.between(600, 2700), 1, rng_);
    } else {
      set_http(plan, rng_.between(100, 2400), rng_);
    }
  } else if (kind < 50) {  // short connection to a local server
    const bool tls = rng_.below(10) < 6;
    plan.server = local(v6);
    plan.server.port = tls ? 443 : 80;
    do {
      plan.client = remote(v6, remote_ephemeral_port());
    } while (!claim(plan.server, plan.client));
    if (tls) {
      set_tls(plan, rng_.between(100, 600), 1, rng_.between(600, 2700), 1, rng_);
    } else {
      set_http(plan, rng_.between(100, 2400), rng_);
    }
  } else if (kind < 61) {  // SYN to a closed local port: RST, or silence (stealth mode)
    static constexpr std::array<std::uint16_t, 11> kScanned = {22,   23,   25,   135,  139, 445,
                                                               1433, 3306, 3389, 5900, 8080};
    plan.outcome = kind < 58 ? TcpOutcome::kRefused : TcpOutcome::kUnanswered;
    plan.server = local(v6);
    plan.server.port = rng_.below(4) == 0 ? static_cast<std::uint16_t>(rng_.between(1, 1023))
                                          : kScanned[rng_.below(kScanned.size())];
    do {
      plan.client = remote(v6, remote_ephemeral_port());
    } while (!claim(plan.server, plan.client));
  } else if (kind < 66) {  // outbound SYN to a closed remote port
    plan.outcome = TcpOutcome::kRefused;
    plan.client = local(v6);
    plan.client.port = local_ephemeral_port();
    do {
      plan.server = remote(v6, static_cast<std::uint16_t>(rng_.between(8000, 8999)));
    } while (!claim(plan.client, plan.server));
  } else if (kind < 90) {
    Endpoint self = local(v6);
    self.port = local_ephemeral_port();
    return make_dns_flow(self, resolver(v6), rng_);
  } else {
    Endpoint self = local(v6);
    self.port = static_cast<std::uint16_t>(rng_.between(33434, 33534));  // traceroute's ports
    return make_udp_probe_flow(self, remote(v6, remote_ephemeral_port()));
  }
  return make_tcp_flow(std::move(plan), rng_);
}

}  // namespace openfwp::bench
