// SPDX-License-Identifier: Apache-2.0
#include "stack/network.h"

#include <fmt/format.h>

#include <limits>

namespace openfwp::stack {

Host& Network::add_host(std::string name, std::vector<IpAddress> addresses) {
  hosts_.push_back(std::make_unique<Host>(*this, std::move(name), std::move(addresses)));
  return *hosts_.back();
}

Host* Network::find_host(std::string_view name) {
  for (auto& host : hosts_) {
    if (host->name() == name) return host.get();
  }
  return nullptr;
}

Host* Network::host_with_address(const IpAddress& address) {
  for (auto& host : hosts_) {
    if (host->owns(address)) return host.get();
  }
  return nullptr;
}

Network::EventId Network::schedule(std::uint64_t delay_us, std::function<void()> action) {
  const EventId id{now_us_ + delay_us, next_event_++};
  events_.emplace(id, std::move(action));
  return id;
}

void Network::transmit(Packet packet) {
  Host* target = host_with_address(packet.destination);
  if (target == nullptr) {
    record(
        make_note("network", packet.event_name(),
                  fmt::format("no host has address {}; dropped", packet.destination.to_string())));
    return;
  }
  schedule(kLinkDelayUs, [target, p = std::move(packet)] { target->receive(p); });
}

Result<void> Network::run_until(std::uint64_t limit_us) {
  std::size_t ran = 0;
  while (!events_.empty() && events_.begin()->first.first <= limit_us) {
    if (++ran > kMaxEventsPerRun) {
      return fail(ErrorCode::kInternal,
                  fmt::format("the simulation did not settle after {} events", kMaxEventsPerRun));
    }
    auto node = events_.extract(events_.begin());
    now_us_ = node.key().first;
    node.mapped()();
  }
  return {};
}

Result<void> Network::run_until_quiet() {
  return run_until(std::numeric_limits<std::uint64_t>::max());
}

Result<void> Network::advance(std::uint64_t us) {
  const std::uint64_t target = now_us_ + us;
  OPENFWP_TRY_VOID(run_until(target));
  now_us_ = target;
  return {};
}

void Network::record(TraceRecord record) {
  record.seq = trace_.size() + 1;
  record.time_us = now_us_;
  trace_.push_back(std::move(record));
}

}  // namespace openfwp::stack
