// SPDX-License-Identifier: Apache-2.0
// The daemon's poll loop and its handlers: packets, conntrack destroy events, control requests,
// signals. See daemon.h for the design.
#include "live/daemon.h"

#include "common/guid.h"
#include "io/policy/policy.h"
#include "io/trace/replay_format.h"
#include "io/wire/decode.h"
#include "live/conntrack_events.h"
#include "live/control_protocol.h"
#include "live/control_server.h"
#include "live/iptables_rules.h"
#include "live/kernel_endpoints.h"
#include "live/nfqueue.h"
#include "live/policy_file.h"
#include "stack/replay_host.h"

#include "replay/observed_packet.h"
#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <optional>
#include <poll.h>
#include <set>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

namespace openfwp::live {
namespace {

using model::LayerId;
using nlohmann::json;

constexpr std::uint8_t kHookLocalOut = 3;  // NF_INET_LOCAL_OUT

// The layers classified per packet: a filter at any of them keeps that family's flows out of
// the fast path, since each of their packets must be classified.
constexpr LayerId kPacketLayersV4[] = {
    LayerId::kInboundIppacketV4,  LayerId::kOutboundIppacketV4,
    LayerId::kInboundTransportV4, LayerId::kOutboundTransportV4,
    LayerId::kStreamV4,           LayerId::kDatagramDataV4,
    LayerId::kInboundIcmpErrorV4, LayerId::kOutboundIcmpErrorV4,
};
constexpr LayerId kPacketLayersV6[] = {
    LayerId::kInboundIppacketV6,  LayerId::kOutboundIppacketV6,
    LayerId::kInboundTransportV6, LayerId::kOutboundTransportV6,
    LayerId::kStreamV6,           LayerId::kDatagramDataV6,
    LayerId::kInboundIcmpErrorV6, LayerId::kOutboundIcmpErrorV6,
};

std::string wall_clock_now() {
  const auto now = std::chrono::system_clock::now();
  const auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() %
      1'000'000;
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:06}Z",
                     fmt::gmtime(std::chrono::system_clock::to_time_t(now)), us);
}

class Daemon final : public stack::ReplayObserver {
 public:
  Daemon(const DaemonOptions& options, SockDiag diag)
      : options_(options),
        diag_(std::move(diag)),
        endpoints_(diag_, processes_),
        host_({}, endpoints_, *this),
        base_(host_.engine().snapshot()),
        started_(std::chrono::steady_clock::now()) {}

  Result<void> start();
  Result<void> run();

 private:
  // ReplayObserver.
  void on_net_event(const stack::NetEvent& event) override;
  void on_flow_end(const stack::FlowSummary& summary) override;

  void on_packet(const QueuedPacket& packet);
  /// Accept, drop, or (the fast path, and a cut connection) mark the connection so that the
  /// kernel decides its later packets; `mark` is the packet's mark when it was queued.
  Verdict verdict_for(const stack::PacketVerdict& verdict, const stack::ObservedPacket& packet,
                      std::uint32_t mark);
  std::uint32_t mark_for(const stack::PacketVerdict& verdict) const;
  void on_destroyed(const DestroyedConnection& connection);
  std::string on_request(const ControlRequest& request, ClientId client);
  Result<json> add_filters(const std::string& text);
  Result<json> delete_filter(const ControlRequest& request);
  Result<json> reload();
  json flows() const;
  json stats() const;
  /// After every committed change: persist, move the fast path to the new generation, and
  /// decide what the new policy needs (fast path per family, application lookups).
  Result<void> policy_changed(bool persist);
  std::string filter_name(std::optional<std::uint64_t> id) const;
  std::uint64_t now_us() const;

  DaemonOptions options_;
  SockDiag diag_;
  ProcessTable processes_;
  KernelEndpoints endpoints_;
  stack::ReplayHost host_;
  std::shared_ptr<const engine::Snapshot> base_;  // the built-in objects
  std::optional<NfQueue> queue_;
  // After queue_, so it is destroyed first: the rules go before the queue's reader does.
  std::optional<IptablesRules> rules_;
  std::optional<ConntrackEvents> conntrack_;
  std::optional<ControlServer> control_;
  int signal_fd_ = -1;
  bool stopping_ = false;
  bool fast_path_v4_ = false;
  bool fast_path_v6_ = false;
  std::chrono::steady_clock::time_point started_;
  std::uint64_t packet_index_ = 0;
  struct Counters {
    std::uint64_t undecodable = 0;
    std::uint64_t fast_path_marked = 0;  ///< packets whose connection got the fast-path mark
    std::uint64_t remarked = 0;  ///< came back marked: the rules did not take the mark (a bug)
    std::uint64_t cut = 0;
    std::uint64_t sockets_destroyed = 0;
    std::uint64_t verdict_errors = 0;
    std::uint64_t flows_ended = 0;
    std::uint64_t destroy_events_matched = 0;
    std::uint64_t policy_commits = 0;  ///< policies put in force (start, changes, reloads)
  } counters_;
};

std::uint64_t Daemon::now_us() const {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                        std::chrono::steady_clock::now() - started_)
                                        .count());
}

std::string Daemon::filter_name(std::optional<std::uint64_t> id) const {
  if (!id) return {};
  const auto snapshot = host_.engine().snapshot();
  const auto& filters = snapshot->store().filters();
  const auto it = filters.find(*id);
  return it == filters.end() ? std::string() : it->second->name;
}

Result<void> Daemon::start() {
  OPENFWP_TRY(const io::policy::Policy policy, io::policy::load_policy_file(options_.policy_path));
  OPENFWP_TRY_VOID(io::policy::apply_policy(policy, host_.engine()));

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGHUP);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigprocmask(SIG_BLOCK, &signals, nullptr);
  signal_fd_ = signalfd(-1, &signals, SFD_NONBLOCK | SFD_CLOEXEC);
  if (signal_fd_ < 0)
    return fail(ErrorCode::kIo, fmt::format("signalfd: {}", std::strerror(errno)));

  OPENFWP_TRY(auto control, ControlServer::listen(options_.control_path));
  control_.emplace(std::move(control));
  OPENFWP_TRY(auto conntrack, ConntrackEvents::open());
  conntrack_.emplace(std::move(conntrack));
  // The queue is bound before the rules send packets to it, so nothing waits on a queue that
  // nobody reads (fail-closed would drop it).
  OPENFWP_TRY(auto queue,
              NfQueue::open({.queue_num = options_.queue_num, .fail_open = options_.fail_open}));
  queue_.emplace(std::move(queue));
  OPENFWP_TRY(auto rules, IptablesRules::install({.queue_num = options_.queue_num,
                                                  .fail_open = options_.fail_open,
                                                  .ipv6 = options_.ipv6},
                                                 host_.engine().policy_epoch()));
  rules_.emplace(std::move(rules));
  OPENFWP_TRY_VOID(policy_changed(false));
  fmt::print(stderr, "fwp serve: enforcing {} ({} filters), queue {}, control {}, on failure {}\n",
             options_.policy_path, host_.engine().snapshot()->store().filters().size(),
             options_.queue_num, options_.control_path, options_.fail_open ? "open" : "closed");
  return {};
}

Result<void> Daemon::policy_changed(bool persist) {
  const auto snapshot = host_.engine().snapshot();
  if (persist) {
    OPENFWP_TRY_VOID(write_policy_atomically(
        options_.policy_path,
        io::policy::print_policy(io::policy::policy_from_store(snapshot->store()))));
  }
  auto no_packet_filters = [&](std::span<const LayerId> layers) {
    for (const LayerId layer : layers) {
      if (snapshot->layer(layer).matcher != nullptr) return false;
    }
    return true;
  };
  fast_path_v4_ = no_packet_filters(kPacketLayersV4);
  fast_path_v6_ = no_packet_filters(kPacketLayersV6);
  bool app_conditions = false;
  for (const auto& [id, filter] : snapshot->store().filters()) {
    for (const auto& condition : filter->conditions) {
      if (condition.field == model::FieldId::kAleAppId) app_conditions = true;
    }
  }
  endpoints_.set_resolve_apps(app_conditions);
  ++counters_.policy_commits;
  if (rules_) OPENFWP_TRY_VOID(rules_->set_generation(snapshot->epoch()));
  return {};
}

void Daemon::on_packet(const QueuedPacket& queued) {
  const bool outbound = queued.hook == kHookLocalOut;
  const io::wire::DecodeResult decoded = io::wire::decode_ip(queued.payload);
  if (!decoded.ok() || !decoded.packet.has_ip) {
    // The kernel validated the IP header before INPUT/OUTPUT; what we cannot decode (an IP
    // protocol's header cut short) goes on as the kernel decides, and is counted.
    ++counters_.undecodable;
    if (!queue_->verdict(queued.id, Verdict::kAccept)) ++counters_.verdict_errors;
    return;
  }
  const stack::ObservedPacket packet =
      replay::observed_from(decoded.packet, ++packet_index_, now_us());
  const stack::PacketVerdict verdict = host_.observe_directed(packet, outbound);

  if (verdict.cut) ++counters_.cut;
  if (!queue_->verdict(queued.id, verdict_for(verdict, packet, queued.mark), mark_for(verdict))) {
    ++counters_.verdict_errors;
  }
  // The application learns at once: a cut connection or a refused connect() is aborted
  // (ECONNABORTED), as a Windows application sees its connection fail.
  const bool tcp = packet.protocol == stack::ip_protocol::kTcp;
  const bool refused_connect = verdict.drop && outbound && tcp && packet.tcp.syn && !packet.tcp.ack;
  if (tcp && (verdict.cut || refused_connect)) {
    const flow::FlowKey key =
        outbound ? flow::FlowKey{packet.protocol, packet.source, packet.source_port,
                                 packet.destination, packet.destination_port}
                 : flow::FlowKey{packet.protocol, packet.destination, packet.destination_port,
                                 packet.source, packet.source_port};
    if (diag_.destroy_tcp(key)) ++counters_.sockets_destroyed;
  }
}

Verdict Daemon::verdict_for(const stack::PacketVerdict& verdict,
                            const stack::ObservedPacket& packet, std::uint32_t mark) {
  // A packet the kernel queued again although it carries our mark was not saved by the rules
  // (they changed in between, or someone removed them): decide it here, never loop.
  const std::uint32_t ours = mark & 0xff;
  const bool marked_before = ours == kMarkFastPath || ours == kMarkCut;
  if (marked_before) ++counters_.remarked;
  if (verdict.cut && !marked_before) return Verdict::kRepeatMarked;
  if (verdict.drop) return Verdict::kDrop;
  const bool fast_path = packet.source.is_v6 ? fast_path_v6_ : fast_path_v4_;
  if (verdict.established && fast_path && !marked_before) {
    ++counters_.fast_path_marked;
    return Verdict::kRepeatMarked;
  }
  return Verdict::kAccept;
}

std::uint32_t Daemon::mark_for(const stack::PacketVerdict& verdict) const {
  return verdict.cut ? kMarkCut : fast_path_mark(host_.engine().policy_epoch());
}

void Daemon::on_destroyed(const DestroyedConnection& c) {
  // The original direction's sender is either end; the host model knows which is local. ICMP
  // query flows are keyed by the echo identifier alone (ReplayHost::context_for).
  const bool icmp = stack::ip_protocol::is_icmp(c.protocol);
  const flow::FlowKey as_sender{c.protocol, c.source, c.source_port, c.destination,
                                icmp ? std::uint16_t{0} : c.destination_port};
  const flow::FlowKey as_receiver{c.protocol, c.destination,
                                  icmp ? c.source_port : c.destination_port, c.source,
                                  icmp ? std::uint16_t{0} : c.source_port};
  endpoints_.forget(as_sender);
  endpoints_.forget(as_receiver);
  if (host_.forget(as_sender) || host_.forget(as_receiver)) ++counters_.destroy_events_matched;
}

void Daemon::on_net_event(const stack::NetEvent& event) {
  if (!control_) return;
  auto j = io::trace::net_event_json(event);
  j["timestamp"] = wall_clock_now();
  if (event.filter_id) j["filter_name"] = filter_name(event.filter_id);
  const std::string line = j.dump();
  if (options_.verbose) fmt::print(stderr, "{}\n", line);
  control_->broadcast_event(line);
}

void Daemon::on_flow_end(const stack::FlowSummary& summary) {
  ++counters_.flows_ended;
  if (options_.verbose) {
    fmt::print(stderr, "{}\n",
               io::trace::flow_summary_json(summary, filter_name(summary.deciding_filter)).dump());
  }
}

Result<json> Daemon::add_filters(const std::string& text) {
  OPENFWP_TRY(const io::policy::Policy fragment, io::policy::parse_policy(text, "<request>"));
  std::set<std::uint64_t> before;
  for (const auto& [id, f] : host_.engine().snapshot()->store().filters()) before.insert(id);
  OPENFWP_TRY_VOID(io::policy::apply_policy(fragment, host_.engine()));
  json added = json::array();
  for (const auto& [id, f] : host_.engine().snapshot()->store().filters()) {
    if (!before.contains(id))
      added.push_back({{"id", id}, {"key", f->key.to_string()}, {"name", f->name}});
  }
  OPENFWP_TRY_VOID(policy_changed(true));
  return json{{"added", added}};
}

Result<json> Daemon::delete_filter(const ControlRequest& request) {
  if (request.filter_id) {
    OPENFWP_TRY_VOID(host_.engine().delete_filter(*request.filter_id));
  } else {
    const auto key = Guid::parse(request.filter_key);
    if (!key) {
      return fail(ErrorCode::kParse,
                  fmt::format("filter delete: \"{}\" is not a GUID", request.filter_key));
    }
    OPENFWP_TRY_VOID(host_.engine().delete_filter_by_key(*key));
  }
  OPENFWP_TRY_VOID(policy_changed(true));
  return json{{"deleted", true}};
}

Result<json> Daemon::reload() {
  OPENFWP_TRY(const io::policy::Policy policy, io::policy::load_policy_file(options_.policy_path));
  OPENFWP_TRY_VOID(io::policy::replace_policy(policy, host_.engine(), base_->store()));
  OPENFWP_TRY_VOID(policy_changed(false));
  return json{{"filters", host_.engine().snapshot()->store().filters().size()},
              {"generation", host_.engine().policy_epoch()}};
}

json Daemon::flows() const {
  json list = json::array();
  host_.for_each_flow([&](const stack::FlowSummary& summary, bool open) {
    auto j = io::trace::flow_summary_json(summary, filter_name(summary.deciding_filter));
    j["open"] = open;
    list.push_back(json::parse(j.dump()));
  });
  return json{{"flows", std::move(list)}};
}

json Daemon::stats() const {
  const auto& q = queue_->stats();
  const auto& e = endpoints_.stats();
  const auto& p = processes_.stats();
  const auto& d = diag_.stats();
  const auto& t = host_.totals();
  return json{
      {"uptime_us", now_us()},
      {"generation", host_.engine().policy_epoch()},
      {"fast_path", {{"v4", fast_path_v4_}, {"v6", fast_path_v6_}}},
      {"queue",
       {{"packets", q.packets},
        {"accepted", q.accepted},
        {"dropped", q.dropped},
        {"marked", q.marked},
        {"enobufs", q.enobufs},
        {"netlink_errors", q.netlink_errors}}},
      {"model",
       {{"packets", t.packets},
        {"classifications", t.classifications},
        {"blocked_packets", t.blocked_packets},
        {"suppressed_packets", t.suppressed_packets},
        {"flows", t.flows},
        {"flows_blocked", t.flows_blocked}}},
      {"daemon",
       {{"undecodable", counters_.undecodable},
        {"fast_path_marked", counters_.fast_path_marked},
        {"remarked", counters_.remarked},
        {"cut", counters_.cut},
        {"sockets_destroyed", counters_.sockets_destroyed},
        {"verdict_errors", counters_.verdict_errors},
        {"flows_ended", counters_.flows_ended},
        {"destroy_events", conntrack_->stats().events},
        {"destroy_events_matched", counters_.destroy_events_matched},
        {"conntrack_overflows", conntrack_->stats().overflows},
        {"policy_commits", counters_.policy_commits}}},
      {"sock_diag",
       {{"queries", d.queries},
        {"found", d.found},
        {"not_found", d.not_found},
        {"errors", d.errors}}},
      {"identity",
       {{"lookups", e.identity_lookups},
        {"cache_hits", e.identity_hits},
        {"lookup_errors", e.lookup_errors}}},
      {"processes",
       {{"lookups", p.lookups},
        {"hits", p.hits},
        {"misses", p.misses},
        {"scans", p.scans},
        {"scan_ns_total", p.scan_ns_total}}},
  };
}

std::string Daemon::on_request(const ControlRequest& request, ClientId client) {
  Result<json> result = json::object();
  switch (request.verb) {
    case ControlVerb::kFilterAdd:
      result = add_filters(request.policy);
      break;
    case ControlVerb::kFilterDelete:
      result = delete_filter(request);
      break;
    case ControlVerb::kFilterList: {
      const auto snapshot = host_.engine().snapshot();
      result = json{
          {"filters", snapshot->store().filters().size()},
          {"policy", io::policy::print_policy(io::policy::policy_from_store(snapshot->store()))}};
      break;
    }
    case ControlVerb::kFlows:
      result = flows();
      break;
    case ControlVerb::kEvents:
      control_->subscribe_events(client);
      break;
    case ControlVerb::kReload:
      result = reload();
      break;
    case ControlVerb::kStats:
      result = stats();
      break;
  }
  if (!result) return error_response(result.error());
  return ok_response(*result);
}

Result<void> Daemon::run() {
  std::vector<pollfd> fds;
  while (!stopping_) {
    fds.clear();
    fds.push_back({queue_->fd(), POLLIN, 0});
    fds.push_back({conntrack_->fd(), POLLIN, 0});
    fds.push_back({signal_fd_, POLLIN, 0});
    control_->poll_fds(fds);
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      return fail(ErrorCode::kIo, fmt::format("poll: {}", std::strerror(errno)));
    }
    if (fds[0].revents & POLLIN) {
      OPENFWP_TRY_VOID(queue_->receive([&](const QueuedPacket& p) { on_packet(p); }));
    }
    if (fds[1].revents & POLLIN) {
      OPENFWP_TRY_VOID(conntrack_->receive([&](const DestroyedConnection& c) { on_destroyed(c); }));
    }
    if (fds[2].revents & POLLIN) {
      signalfd_siginfo info{};
      while (read(signal_fd_, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
        if (info.ssi_signo == SIGHUP) {
          const auto reloaded = reload();
          fmt::print(stderr, "fwp serve: SIGHUP: {}\n",
                     reloaded ? "policy reloaded" : reloaded.error().message);
        } else {
          stopping_ = true;
        }
      }
    }
    control_->dispatch(fds, [&](const ControlRequest& r, ClientId c) { return on_request(r, c); });
  }
  fmt::print(stderr, "fwp serve: stopping; rules removed\n");
  return {};
}

}  // namespace

Result<void> run_daemon(const DaemonOptions& options) {
  OPENFWP_TRY(SockDiag diag, SockDiag::open());
  Daemon daemon(options, std::move(diag));
  OPENFWP_TRY_VOID(daemon.start());
  return daemon.run();
}

}  // namespace openfwp::live
