// SPDX-License-Identifier: Apache-2.0
#include "stack/simulator.h"

#include "stack/network.h"

#include <fmt/format.h>

namespace openfwp::stack {
namespace {

Error at_step(Error error, const Step& step) {
  if (error.where.file.empty()) error.where = step.where;
  error.message = fmt::format("step {}: {}", op_name(step.op), error.message);
  return error;
}

Result<void> load_policy(Host& host, const HostSpec& spec) {
  auto& engine = host.engine();
  auto loaded = engine.in_transaction([&]() -> Result<void> {
    for (const auto& p : spec.providers) OPENFWP_TRY_VOID(engine.add_provider(p));
    for (const auto& s : spec.sublayers) OPENFWP_TRY_VOID(engine.add_sublayer(s));
    for (const auto& c : spec.callouts) OPENFWP_TRY_VOID(engine.add_callout(c));
    for (const auto& f : spec.filters) OPENFWP_TRY_VOID(engine.add_filter(f));
    return {};
  });
  if (!loaded) {
    Error error = loaded.error();
    error.message = fmt::format("host {}: policy: {}", spec.name, error.message);
    return tl::unexpected(error);
  }
  return {};
}

Result<IpAddress> peer_address(Network& network, const Step& step) {
  Host* peer = network.find_host(step.peer);
  if (peer == nullptr) {
    return fail(ErrorCode::kUsage, fmt::format("unknown peer host \"{}\"", step.peer));
  }
  auto address = peer->address_of_family(step.v6);
  if (!address) {
    return fail(ErrorCode::kUsage,
                fmt::format("peer {} has no {} address", step.peer, step.v6 ? "IPv6" : "IPv4"));
  }
  return *address;
}

Result<void> delete_filter(Host& host, const std::string& ref) {
  const auto snapshot = host.engine().snapshot();
  for (const auto& [id, filter] : snapshot->store().filters()) {
    if (filter->name == ref || std::to_string(id) == ref) return host.engine().delete_filter(id);
  }
  return fail(
      ErrorCode::kFilterNotFound,
      fmt::format("host {} has no filter named \"{}\" (FWP_E_FILTER_NOT_FOUND)", host.name(), ref));
}

Result<void> run_step(Network& network, const Step& step) {
  if (step.op == Op::kWait) return network.advance(step.ms * 1000);
  Host* host = network.find_host(step.host);
  if (host == nullptr) {
    return fail(ErrorCode::kUsage, fmt::format("unknown host \"{}\"", step.host));
  }
  switch (step.op) {
    case Op::kBind:
      return host->bind(step.udp, step.v6, step.port, step.identity);
    case Op::kListen:
      return host->listen(step.v6, step.port, step.identity);
    case Op::kConnect: {
      OPENFWP_TRY(const IpAddress peer, peer_address(network, step));
      return host->connect(step.id, step.v6, peer, step.port, step.local_port, step.identity);
    }
    case Op::kAccept:
      return host->accept(step.id.empty() ? step.conn : step.id);
    case Op::kSend:
      return host->send(step.conn, step.bytes);
    case Op::kRecv: {
      OPENFWP_TRY_VOID(host->recv(step.conn));
      return {};
    }
    case Op::kClose:
      return host->close(step.conn);
    case Op::kAbort:
      return host->abort(step.conn);
    case Op::kSendTo: {
      OPENFWP_TRY(const IpAddress peer, peer_address(network, step));
      return host->sendto(step.v6, peer, step.port, step.local_port, step.bytes, step.identity);
    }
    case Op::kAddFilter: {
      OPENFWP_TRY_VOID(host->engine().add_filter(*step.filter));
      network.record(
          make_note(host->name(), "policy", fmt::format("filter \"{}\" added", step.filter->name)));
      return {};
    }
    case Op::kDeleteFilter: {
      OPENFWP_TRY_VOID(delete_filter(*host, step.filter_name));
      network.record(make_note(host->name(), "policy",
                               fmt::format("filter \"{}\" deleted", step.filter_name)));
      return {};
    }
    case Op::kWait:
      break;
  }
  return {};
}

}  // namespace

std::string_view op_name(Op op) {
  switch (op) {
    case Op::kBind:
      return "bind";
    case Op::kListen:
      return "listen";
    case Op::kConnect:
      return "connect";
    case Op::kAccept:
      return "accept";
    case Op::kSend:
      return "send";
    case Op::kRecv:
      return "recv";
    case Op::kClose:
      return "close";
    case Op::kAbort:
      return "abort";
    case Op::kSendTo:
      return "sendto";
    case Op::kAddFilter:
      return "add_filter";
    case Op::kDeleteFilter:
      return "delete_filter";
    case Op::kWait:
      return "wait";
  }
  return "?";
}

Result<Trace> simulate(const Scenario& scenario, bool explain) {
  Network network;
  network.explain = explain;
  for (const auto& spec : scenario.hosts) {
    Host& host = network.add_host(spec.name, spec.addresses);
    host.auto_accept = spec.auto_accept;
    OPENFWP_TRY_VOID(load_policy(host, spec));
  }
  for (const auto& step : scenario.steps) {
    if (auto ran = run_step(network, step); !ran) return tl::unexpected(at_step(ran.error(), step));
    if (auto settled = network.run_until_quiet(); !settled) {
      return tl::unexpected(at_step(settled.error(), step));
    }
  }
  return network.trace();
}

}  // namespace openfwp::stack
