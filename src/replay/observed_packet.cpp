// SPDX-License-Identifier: Apache-2.0
#include "replay/observed_packet.h"

namespace openfwp::replay {

stack::ObservedPacket observed_from(const io::wire::DecodedPacket& packet, std::uint64_t index,
                                    std::uint64_t time_us) {
  using io::wire::Transport;
  stack::ObservedPacket out;
  out.index = index;
  out.time_us = time_us;
  out.ip_length = packet.ip.total_length;
  out.source = packet.ip.source;
  out.destination = packet.ip.destination;
  out.protocol = packet.ip.protocol;
  switch (packet.transport) {
    case Transport::kTcp: {
      const auto& tcp = packet.tcp;
      out.source_port = tcp.source_port;
      out.destination_port = tcp.destination_port;
      out.seq = tcp.seq;
      out.ack = tcp.ack;
      out.tcp = {
          .syn = tcp.flags.syn, .ack = tcp.flags.ack, .fin = tcp.flags.fin, .rst = tcp.flags.rst};
      out.payload = tcp.payload;
      break;
    }
    case Transport::kUdp:
      out.source_port = packet.udp.source_port;
      out.destination_port = packet.udp.destination_port;
      out.payload = packet.udp.payload;
      break;
    case Transport::kIcmp: {
      const auto& icmp = packet.icmp;
      out.icmp_type = icmp.type;
      out.icmp_code = icmp.code;
      out.icmp_error = icmp.is_error;
      // Echo and the other queries carry their identifier in bytes 4-5 (RFC 792 / 4443).
      out.icmp_id = static_cast<std::uint16_t>(icmp.rest_of_header >> 16);
      out.payload = icmp.payload;
      if (icmp.quoted) {
        out.quoted.protocol = icmp.quoted->protocol;
        out.quoted.source_port = icmp.quoted->source_port;
        out.quoted.destination_port = icmp.quoted->destination_port;
        out.quoted_source = icmp.quoted->source;
        out.quoted_destination = icmp.quoted->destination;
      }
      break;
    }
    case Transport::kOther:
      out.payload = packet.other_payload;
      break;
    case Transport::kNone:
      break;
  }
  return out;
}

}  // namespace openfwp::replay
