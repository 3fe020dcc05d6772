// SPDX-License-Identifier: Apache-2.0
#include "flow/flow_table.h"

namespace openfwp::flow {

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
