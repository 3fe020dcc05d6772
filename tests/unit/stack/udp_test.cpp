// SPDX-License-Identifier: Apache-2.0
// UDP flows: one ALE authorization per 5-tuple, ICMP errors, and their suppression.
#include "sim_helpers.h"

namespace openfwp::stack {
namespace {

using openfwp::testing::layer_name;
using openfwp::testing::run_example;

std::size_t count(const Trace& trace, const std::string& host, const std::string& layer) {
  std::size_t n = 0;
  for (const auto& r : trace) n += r.host == host && layer_name(r) == layer ? 1U : 0U;
  return n;
}

TEST(Udp, AleLayersRunOncePerFlowAndDataLayersPerDatagram) {
  const Trace trace = run_example("udp.yaml");
  EXPECT_EQ(count(trace, "client", "FWPM_LAYER_ALE_AUTH_CONNECT_V4"), 1U);
  EXPECT_EQ(count(trace, "client", "FWPM_LAYER_DATAGRAM_DATA_V4"), 2U);
  EXPECT_EQ(count(trace, "server", "FWPM_LAYER_ALE_AUTH_RECV_ACCEPT_V4"), 1U);
  EXPECT_EQ(count(trace, "server", "FWPM_LAYER_DATAGRAM_DATA_V4"), 2U);
}

TEST(Udp, ClosedPortReturnsPortUnreachableToTheSender) {
  const Trace trace = run_example("udp_no_listener.yaml");
  EXPECT_EQ(count(trace, "client", "FWPM_LAYER_INBOUND_ICMP_ERROR_V4"), 1U);
  EXPECT_EQ(trace.back().note,
            "udp port 49152 to 198.18.0.2 port 5353: port unreachable "
            "(WSAECONNRESET)");
}

TEST(Udp, BlockAtIpPacketDiscardSuppressesTheIcmpError) {
  const Trace trace = run_example("udp_stealth.yaml");
  const auto discard = std::find_if(trace.begin(), trace.end(), [](const TraceRecord& r) {
    return layer_name(r) == "FWPM_LAYER_INBOUND_IPPACKET_V4_DISCARD";
  });
  ASSERT_NE(discard, trace.end());
  EXPECT_EQ(discard->action, "block");
  EXPECT_EQ(count(trace, "server", "FWPM_LAYER_OUTBOUND_ICMP_ERROR_V4"), 0U);
  EXPECT_EQ(count(trace, "client", "FWPM_LAYER_INBOUND_ICMP_ERROR_V4"), 0U);
}

}  // namespace
}  // namespace openfwp::stack
