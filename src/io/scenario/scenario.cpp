// SPDX-License-Identifier: Apache-2.0
#include "io/scenario/scenario.h"

#include "io/policy/policy.h"
#include "io/policy/policy_nodes.h"
#include "io/yaml/yaml_input.h"

#include <fmt/format.h>

#include <filesystem>

namespace openfwp::io::scenario {
namespace {

using stack::Op;

struct OpName {
  std::string_view name;
  Op op;
};

constexpr OpName kOps[] = {
    {"bind", Op::kBind},
    {"listen", Op::kListen},
    {"connect", Op::kConnect},
    {"accept", Op::kAccept},
    {"send", Op::kSend},
    {"recv", Op::kRecv},
    {"close", Op::kClose},
    {"abort", Op::kAbort},
    {"sendto", Op::kSendTo},
    {"add_filter", Op::kAddFilter},
    {"delete_filter", Op::kDeleteFilter},
    {"wait", Op::kWait},
};

void take_policy(stack::HostSpec& host, policy::Policy policy) {
  host.providers = std::move(policy.providers);
  host.sublayers = std::move(policy.sublayers);
  host.callouts = std::move(policy.callouts);
  host.filters = std::move(policy.filters);
}

Result<stack::HostSpec> parse_host(const YamlSource& source, const std::string& name,
                                   const YAML::Node& node, const std::string& base_dir) {
  const std::string what = fmt::format("host \"{}\"", name);
  OPENFWP_TRY_VOID(check_map(source, node, what, {"addresses", "policy", "auto_accept"}));
  stack::HostSpec host;
  host.name = name;
  const YAML::Node addresses = member(node, "addresses");
  if (!addresses.IsSequence() || addresses.size() == 0) {
    return fail_at(source, present(addresses) ? addresses : node,
                   fmt::format("{}: \"addresses\" must be a list of IPv4/IPv6 addresses", what));
  }
  for (const auto& item : addresses) {
    OPENFWP_TRY(const std::string text, scalar_text(source, item, what + " address"));
    auto address = IpAddress::parse(text);
    if (!address) {
      return fail_at(source, item, fmt::format("{}: \"{}\" is not an IP address", what, text));
    }
    host.addresses.push_back(*address);
  }
  if (const YAML::Node accept = member(node, "auto_accept"); present(accept)) {
    OPENFWP_TRY(const std::string text, scalar_text(source, accept, what + " auto_accept"));
    if (text != "true" && text != "false") {
      return fail_at(source, accept, fmt::format("{}: auto_accept is true or false", what));
    }
    host.auto_accept = text == "true";
  }
  if (const YAML::Node policy_node = member(node, "policy"); present(policy_node)) {
    if (policy_node.IsScalar()) {
      const std::filesystem::path path = std::filesystem::path(base_dir) / policy_node.Scalar();
      OPENFWP_TRY(auto policy, policy::load_policy_file(path.string()));
      take_policy(host, std::move(policy));
    } else {
      // An inline policy map: print it back to text and parse it with the policy reader, so
      // both spellings give the same objects and the same errors.
      YAML::Emitter out;
      out << policy_node;
      auto policy = policy::parse_policy(out.c_str(), source.file);
      if (!policy) {
        Error error = policy.error();
        error.where = source.at(policy_node);
        error.message = fmt::format("{} inline policy: {}", what, error.message);
        return tl::unexpected(error);
      }
      take_policy(host, std::move(*policy));
    }
  }
  return host;
}

Result<std::uint64_t> optional_number(const YamlSource& source, const YAML::Node& step,
                                      std::string_view key, std::uint64_t max) {
  const YAML::Node node = member(step, key);
  if (!present(node)) return std::uint64_t{0};
  return unsigned_value(source, node, fmt::format("step {}", key), max);
}

Result<stack::Step> parse_step(const YamlSource& source, const YAML::Node& node,
                               const stack::Scenario& scenario) {
  OPENFWP_TRY_VOID(check_map(source, node, "step",
                             {"op", "host", "proto", "family", "peer", "port", "local_port", "id",
                              "conn", "bytes", "app", "user", "filter", "ms"}));
  stack::Step step;
  step.where = source.at(node);
  OPENFWP_TRY(const std::string op_text, required_scalar(source, node, "op", "step"));
  bool known = false;
  for (const auto& [name, op] : kOps) {
    if (name == op_text) {
      step.op = op;
      known = true;
    }
  }
  if (!known) {
    return fail_at(source, member(node, "op"),
                   fmt::format("step: unknown op \"{}\" (expected bind, listen, connect, accept, "
                               "send, recv, close, abort, sendto, add_filter, delete_filter or "
                               "wait)",
                               op_text));
  }
  const std::string what = fmt::format("step {}", op_text);
  if (step.op != Op::kWait) {
    OPENFWP_TRY(step.host, required_scalar(source, node, "host", what));
    bool found = false;
    for (const auto& host : scenario.hosts) found = found || host.name == step.host;
    if (!found) {
      return fail_at(source, member(node, "host"),
                     fmt::format("{}: no host \"{}\" in \"hosts\"", what, step.host));
    }
  }
  auto text_of = [&](std::string_view key) -> Result<std::string> {
    const YAML::Node value = member(node, key);
    if (!present(value)) return std::string();
    return scalar_text(source, value, fmt::format("{} {}", what, key));
  };
  OPENFWP_TRY(const std::string proto, text_of("proto"));
  if (!proto.empty() && proto != "tcp" && proto != "udp") {
    return fail_at(source, member(node, "proto"), fmt::format("{}: proto is tcp or udp", what));
  }
  step.udp = proto == "udp" || step.op == Op::kSendTo;
  OPENFWP_TRY(const std::string family, text_of("family"));
  if (!family.empty() && family != "ipv4" && family != "ipv6") {
    return fail_at(source, member(node, "family"), fmt::format("{}: family is ipv4 or ipv6", what));
  }
  step.v6 = family == "ipv6";
  OPENFWP_TRY(step.peer, text_of("peer"));
  OPENFWP_TRY(step.id, text_of("id"));
  OPENFWP_TRY(step.conn, text_of("conn"));
  OPENFWP_TRY(step.identity.app, text_of("app"));
  OPENFWP_TRY(step.identity.user, text_of("user"));
  OPENFWP_TRY(const auto port, optional_number(source, node, "port", 0xffff));
  step.port = static_cast<std::uint16_t>(port);
  if (present(member(node, "local_port"))) {
    OPENFWP_TRY(const auto local, optional_number(source, node, "local_port", 0xffff));
    step.local_port = static_cast<std::uint16_t>(local);
  }
  // A UDP datagram carries at most 65,507 bytes; a TCP send is capped at 16 MiB so that a
  // scenario stays a test, not a load generator (the simulator keeps payload bytes).
  OPENFWP_TRY(step.bytes, optional_number(source, node, "bytes",
                                          step.op == Op::kSendTo ? 65'507U : 16U << 20U));
  OPENFWP_TRY(step.ms, optional_number(source, node, "ms", 86'400'000));

  auto require = [&](bool ok, std::string_view key) -> Result<void> {
    if (ok) return {};
    return fail_at(source, node, fmt::format("{}: \"{}\" is required", what, key),
                   ErrorCode::kNullPointer);
  };
  switch (step.op) {
    case Op::kBind:
    case Op::kListen:
      OPENFWP_TRY_VOID(require(step.port != 0, "port"));
      break;
    case Op::kConnect:
      OPENFWP_TRY_VOID(require(!step.peer.empty(), "peer"));
      OPENFWP_TRY_VOID(require(step.port != 0, "port"));
      OPENFWP_TRY_VOID(require(!step.id.empty(), "id"));
      break;
    case Op::kSendTo:
      OPENFWP_TRY_VOID(require(!step.peer.empty(), "peer"));
      OPENFWP_TRY_VOID(require(step.port != 0, "port"));
      break;
    case Op::kSend:
    case Op::kRecv:
    case Op::kClose:
    case Op::kAbort:
      OPENFWP_TRY_VOID(require(!step.conn.empty(), "conn"));
      break;
    case Op::kAddFilter: {
      const YAML::Node filter = member(node, "filter");
      OPENFWP_TRY_VOID(require(present(filter), "filter"));
      OPENFWP_TRY(step.filter, policy::parse_filter_node(source, filter, {}));
      break;
    }
    case Op::kDeleteFilter: {
      OPENFWP_TRY(step.filter_name, text_of("filter"));
      OPENFWP_TRY_VOID(require(!step.filter_name.empty(), "filter"));
      break;
    }
    case Op::kWait:
      OPENFWP_TRY_VOID(require(step.ms != 0, "ms"));
      break;
    case Op::kAccept:
      break;
  }
  return step;
}

}  // namespace

Result<stack::Scenario> parse_scenario(std::string_view text, std::string_view file,
                                       const std::string& base_dir) {
  const YamlSource source{std::string(file)};
  OPENFWP_TRY(const YAML::Node root, load_yaml(text, source));
  if (!present(root)) return fail(ErrorCode::kParse, "empty scenario", {source.file, 1, 1});
  OPENFWP_TRY_VOID(check_map(source, root, "scenario", {"hosts", "steps"}));
  stack::Scenario scenario;
  const YAML::Node hosts = member(root, "hosts");
  if (!hosts.IsMap() || hosts.size() == 0) {
    return fail_at(source, present(hosts) ? hosts : root,
                   "scenario: \"hosts\" must map host names to {addresses, policy}");
  }
  for (const auto& entry : hosts) {
    OPENFWP_TRY(const std::string name, scalar_text(source, entry.first, "host name"));
    OPENFWP_TRY(auto host, parse_host(source, name, entry.second, base_dir));
    scenario.hosts.push_back(std::move(host));
  }
  const YAML::Node steps = member(root, "steps");
  OPENFWP_TRY_VOID(check_sequence(source, steps, "scenario steps"));
  if (steps.IsSequence()) {
    for (const auto& item : steps) {
      OPENFWP_TRY(auto step, parse_step(source, item, scenario));
      scenario.steps.push_back(std::move(step));
    }
  }
  return scenario;
}

Result<stack::Scenario> load_scenario_file(const std::string& path) {
  OPENFWP_TRY(const std::string text, read_text_file(path, "scenario file"));
  const std::string base = std::filesystem::path(path).parent_path().string();
  return parse_scenario(text, path, base.empty() ? "." : base);
}

}  // namespace openfwp::io::scenario
