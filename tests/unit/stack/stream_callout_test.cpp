// SPDX-License-Identifier: Apache-2.0
// The C++ callout API on the stream layer, WFP's classify / notify / flow-delete triple: a
// callout sees a connection's bytes in order, keeps a per-flow context, blocks, and is told
// when the flow ends.
#include "stack/network.h"

#include <gtest/gtest.h>

namespace openfwp::stack {
namespace {

// Counts each flow's bytes in its context; blocks a flow once it has seen more than `limit`.
class ByteQuota final : public engine::CalloutDriver {
 public:
  explicit ByteQuota(std::uint64_t limit) : limit_(limit) {}

  engine::ClassifyOut classify(const engine::CalloutClassifyArgs& args) override {
    ++calls;
    if (args.flow_context == nullptr) return {};
    // The context is the byte count + 1, so that 0 still means "no context".
    const std::uint64_t seen =
        (*args.flow_context == 0 ? 0 : *args.flow_context - 1) + args.metadata.data.size();
    *args.flow_context = seen + 1;
    if (seen > limit_) return {engine::ClassifyOut::Action::kBlock, false, false};
    return {engine::ClassifyOut::Action::kPermit, false, false};
  }
  void flow_delete(model::LayerId layer, std::uint64_t /*flow_id*/,
                   std::uint64_t flow_context) override {
    deleted_layer = layer;
    bytes_at_delete = flow_context - 1;
  }

  int calls = 0;
  std::optional<model::LayerId> deleted_layer;
  std::uint64_t bytes_at_delete = 0;

 private:
  std::uint64_t limit_;
};

Guid quota_key() { return *Guid::parse("{51515151-0000-4000-8000-000000000001}"); }

void install(Host& host, ByteQuota& quota) {
  model::Callout callout;
  callout.key = quota_key();
  callout.name = "byte quota";
  callout.applicable_layer = model::LayerId::kStreamV4;
  ASSERT_TRUE(host.engine().add_callout(callout));
  host.engine().register_callout(callout.key, &quota);
  model::Filter filter;
  filter.name = "quota on inbound streams";
  filter.layer = model::LayerId::kStreamV4;
  filter.action = model::ActionType::kCalloutTerminating;
  filter.callout = quota_key();
  ASSERT_TRUE(host.engine().add_filter(filter));
}

TEST(StreamCallout, SeesBytesInOrderKeepsAFlowContextBlocksAndHearsFlowDelete) {
  Network network;
  Host& server = network.add_host("server", {*IpAddress::parse("198.18.0.2")});
  Host& client = network.add_host("client", {*IpAddress::parse("198.18.0.1")});
  ByteQuota quota(2000);
  install(server, quota);

  ASSERT_TRUE(server.listen(false, 80, {}));
  ASSERT_TRUE(client.connect("c1", false, *IpAddress::parse("198.18.0.2"), 80, {}, {}));
  ASSERT_TRUE(network.run_until_quiet());
  ASSERT_TRUE(client.send("c1", 1460 * 2));  // two full segments: 2920 bytes > 2000
  ASSERT_TRUE(network.run_until_quiet());

  // Segment 1 (1460 bytes, under the quota) passed; segment 2 crossed it and was blocked at
  // the stream layer, so it shows at STREAM_V4_DISCARD; its retransmissions add to the count.
  std::size_t blocked = 0;
  std::size_t passed = 0;
  for (const auto& r : network.trace()) {
    if (r.host != "server" || r.layer != model::LayerId::kStreamV4) continue;
    (r.action == "block" ? blocked : passed) += 1;
  }
  EXPECT_EQ(passed, 1U);
  EXPECT_GE(blocked, 1U);
  EXPECT_EQ(quota.calls, static_cast<int>(passed + blocked));
  // The client gives up; the server's connection stays until it is closed: abort it and the
  // callout hears about the flow's end, with its context.
  ASSERT_TRUE(server.abort("server#1"));
  ASSERT_TRUE(network.run_until_quiet());
  EXPECT_EQ(quota.deleted_layer, model::LayerId::kStreamV4);
  EXPECT_EQ(quota.bytes_at_delete, 1460U * (1U + blocked));
}

}  // namespace
}  // namespace openfwp::stack
