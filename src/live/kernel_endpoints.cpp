// SPDX-License-Identifier: Apache-2.0
// KernelEndpoints: one exact sock_diag query per question (decision 0006 has the lookup
// directions this kernel needs), identities cached per flow.
#include "live/kernel_endpoints.h"

#include "stack/packet.h"

#include <fmt/format.h>

namespace openfwp::live {
namespace {

constexpr std::uint8_t kTcpListen = 10;  // TCP_LISTEN in the kernel's tcp_states.h
// Identities cached at most; the table is cleared when full (flows end through forget()).
constexpr std::size_t kMaxIdentities = 1 << 16;

}  // namespace

std::string unix_user_sid(std::uint32_t uid) { return fmt::format("S-1-22-1-{}", uid); }

std::optional<SocketOwner> KernelEndpoints::owner(const flow::FlowKey& key) const {
  auto found =
      key.protocol == stack::ip_protocol::kTcp ? diag_.tcp_lookup(key) : diag_.udp_lookup(key);
  if (!found) {
    ++stats_.lookup_errors;
    return std::nullopt;
  }
  return *found;
}

bool KernelEndpoints::accepts_syn(const flow::FlowKey& key) const {
  auto found = diag_.tcp_lookup(key);
  if (!found) {
    ++stats_.lookup_errors;
    return true;  // unknown: the packet goes on and the kernel answers it as it would anyway
  }
  return found->has_value();
}

bool KernelEndpoints::listening(const IpAddress& local, std::uint16_t port) const {
  flow::FlowKey key{stack::ip_protocol::kTcp, local, port, IpAddress{}, 0};
  key.remote.is_v6 = local.is_v6;
  const auto found = owner(key);
  return found && found->state == kTcpListen;
}

bool KernelEndpoints::udp_port_closed(const flow::FlowKey& key) const {
  if (key.protocol != stack::ip_protocol::kUdp) return false;
  auto found = diag_.udp_lookup(key);
  if (!found) {
    ++stats_.lookup_errors;
    return false;
  }
  return !found->has_value();
}

bool KernelEndpoints::tcp_local_sends(const flow::FlowKey& key) const {
  const auto found = owner(key);
  return found && found->state != kTcpListen;
}

stack::Identity KernelEndpoints::identity(const flow::FlowKey& key, bool /*outbound*/) const {
  if (key.protocol != stack::ip_protocol::kTcp && key.protocol != stack::ip_protocol::kUdp) {
    return {};
  }
  if (const auto it = identities_.find(key); it != identities_.end()) {
    ++stats_.identity_hits;
    return it->second;
  }
  ++stats_.identity_lookups;
  stack::Identity identity;
  if (const auto found = owner(key)) {
    identity.user = unix_user_sid(found->uid);
    if (resolve_apps_ && found->inode != 0) {
      if (auto exe = processes_.exe_of_socket(found->inode)) identity.app = std::move(*exe);
    }
  }
  if (identities_.size() >= kMaxIdentities) identities_.clear();
  identities_.emplace(key, identity);
  return identity;
}

}  // namespace openfwp::live
