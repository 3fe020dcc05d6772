// SPDX-License-Identifier: Apache-2.0
// Fragment reassembly on a real capture: Linux fragmented one 3000-byte UDP datagram over IPv4
// and one over IPv6 (tests/data/pcap/udp_fragmented.pcap); PcapReader + decode_frame +
// FragmentReassembler must give back both datagrams whole, with the bytes that were sent.
#include "io/pcap/pcap_reader.h"
#include "io/wire/decode.h"
#include "io/wire/fragment_reassembly.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace openfwp::io {
namespace {

TEST(CaptureReassembly, LinuxFragmentedUdpComesBackWhole) {
  auto reader = pcap::PcapReader::open(std::string(OPENFWP_SOURCE_DIR) +
                                       "/tests/data/pcap/udp_fragmented.pcap");
  ASSERT_TRUE(reader) << reader.error().to_string();
  const auto link = wire::link_type_from_number(static_cast<std::uint32_t>(reader->link_type()));
  ASSERT_TRUE(link);
  wire::FragmentReassembler reassembler;
  std::vector<wire::ReassemblyOutcome> complete;
  std::size_t fragments = 0;
  while (true) {
    auto frame = reader->next();
    ASSERT_TRUE(frame) << frame.error().to_string();
    if (!*frame) break;
    const auto& f = **frame;
    const wire::DecodeResult decoded = wire::decode_frame(*link, f.bytes);
    ASSERT_TRUE(decoded.packet.has_ip) << "frame " << f.index + 1;
    ASSERT_TRUE(decoded.packet.ip.fragment) << "frame " << f.index + 1 << " is not a fragment";
    ++fragments;
    auto outcome =
        reassembler.add(decoded.packet, f.bytes.subspan(decoded.packet.link.header_length),
                        static_cast<std::uint64_t>(f.timestamp_ns), f.index);
    ASSERT_NE(outcome.status, wire::FragmentStatus::kDiscarded)
        << "frame " << f.index + 1 << ": " << wire::reassembly_discard_name(*outcome.reason);
    EXPECT_TRUE(outcome.evicted.empty());
    if (outcome.status == wire::FragmentStatus::kComplete) complete.push_back(std::move(outcome));
  }
  EXPECT_EQ(fragments, 6U);
  ASSERT_EQ(complete.size(), 2U);
  EXPECT_EQ(complete[0].key.version, 4);
  EXPECT_EQ(complete[0].frames, (std::vector<std::uint64_t>{0, 1, 2}));
  EXPECT_EQ(complete[1].key.version, 6);
  EXPECT_EQ(complete[1].frames, (std::vector<std::uint64_t>{3, 4, 5}));
  const std::string sent_prefix = "openfwp fragmented datagram ";
  for (const auto& done : complete) {
    const wire::DecodeResult d = wire::decode_ip(done.packet);
    ASSERT_TRUE(d.ok()) << wire::anomaly_name(d.failure->anomaly);
    EXPECT_FALSE(d.packet.ip.fragment.has_value());
    EXPECT_EQ(d.packet.notes, 0) << "Linux's IPv4 header and UDP checksums verify";
    ASSERT_EQ(d.packet.transport, wire::Transport::kUdp);
    EXPECT_EQ(d.packet.udp.destination_port, 5007);
    EXPECT_EQ(d.packet.udp.payload.size(), 3000U) << "what the sender's sendto() passed";
    EXPECT_EQ(
        std::string(d.packet.udp.payload.begin(),
                    d.packet.udp.payload.begin() + static_cast<std::ptrdiff_t>(sent_prefix.size())),
        sent_prefix);
  }
  EXPECT_EQ(reassembler.datagrams_in_progress(), 0U);
  EXPECT_TRUE(reassembler.flush().empty());
}

}  // namespace
}  // namespace openfwp::io
