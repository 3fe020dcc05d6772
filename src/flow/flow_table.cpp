// SPDX-License-Identifier: Apache-2.0
#include "flow/flow_table.h"

namespace openfwp::flow {
namespace {

constexpr std::uint64_t kFnvOffset = 14695981039346656037ULL;
constexpr std::uint64_t kFnvPrime = 1099511628211ULL;

void mix(std::uint64_t& hash, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) {
    hash ^= (value >> (8 * i)) & 0xffU;
    hash *= kFnvPrime;
  }
}

void mix_address(std::uint64_t& hash, const IpAddress& address) {
  if (!address.is_v6) {
    mix(hash, address.v4, 4);
    return;
  }
  for (const std::uint8_t byte : address.v6) mix(hash, byte, 1);
}

}  // namespace

std::size_t FlowKeyHash::operator()(const FlowKey& key) const noexcept {
  std::uint64_t hash = kFnvOffset;
  mix(hash, key.protocol, 1);
  mix_address(hash, key.local);
  mix(hash, key.local_port, 2);
  mix_address(hash, key.remote);
  mix(hash, key.remote_port, 2);
  return static_cast<std::size_t>(hash);
}

FlowState* FlowTable::find(const FlowKey& key) {
  auto it = flows_.find(key);
  return it == flows_.end() ? nullptr : &it->second;
}

FlowState& FlowTable::insert(const FlowKey& key, bool inbound, std::uint64_t epoch) {
  FlowState state;
  state.id = next_id_++;
  state.inbound = inbound;
  state.epoch = epoch;
  return flows_.insert_or_assign(key, state).first->second;
}

void FlowTable::erase(const FlowKey& key) { flows_.erase(key); }

}  // namespace openfwp::flow
