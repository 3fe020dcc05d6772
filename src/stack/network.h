// SPDX-License-Identifier: Apache-2.0
// The simulated network: hosts on one link, a virtual clock and a single event queue. Runs are
// deterministic: events at the same virtual time run in the order they were scheduled, and
// nothing reads the wall clock.
#pragma once

#include "stack/host.h"
#include "stack/packet.h"
#include "stack/trace.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace openfwp::stack {

class Network final : public ClassificationSink {
 public:
  /// One-way delay of the link.
  static constexpr std::uint64_t kLinkDelayUs = 500;
  /// A run that schedules more events than this is a bug (a retransmission loop), not a run.
  static constexpr std::size_t kMaxEventsPerRun = 1'000'000;

  Host& add_host(std::string name, std::vector<IpAddress> addresses);
  Host* find_host(std::string_view name);
  Host* host_with_address(const IpAddress& address);
  const std::vector<std::unique_ptr<Host>>& hosts() const { return hosts_; }

  std::uint64_t now_us() const { return now_us_; }
  /// When an event runs, and its place among events of the same time.
  using EventId = std::pair<std::uint64_t, std::uint64_t>;
  /// Runs `action` at now + `delay_us`.
  EventId schedule(std::uint64_t delay_us, std::function<void()> action);
  /// Forgets a scheduled event (a cancelled timer must not move the clock).
  void cancel(const EventId& id) { events_.erase(id); }
  /// Puts a packet on the wire; it reaches the host owning its destination after the link
  /// delay. A destination no host owns is dropped (noted in the trace).
  void transmit(Packet packet);
  /// Runs events until none is left. Fails if the run does not settle.
  Result<void> run_until_quiet();
  /// Runs the events due in the next `us` microseconds, then moves the clock there.
  Result<void> advance(std::uint64_t us);

  /// When true, hosts classify with ClassifyOptions{.explain = true} and every classification
  /// record carries its explanation (`fwp explain --flow`). Off by default: it allocates.
  bool explain = false;

  bool wants_explanations() const override { return explain; }
  void record(TraceRecord record) override;
  const Trace& trace() const { return trace_; }

 private:
  Result<void> run_until(std::uint64_t limit_us);

  std::vector<std::unique_ptr<Host>> hosts_;
  std::map<EventId, std::function<void()>> events_;
  std::uint64_t now_us_ = 0;
  std::uint64_t next_event_ = 0;
  Trace trace_;
};

}  // namespace openfwp::stack
