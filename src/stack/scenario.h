// SPDX-License-Identifier: Apache-2.0
// A scenario as plain data (interfaces.md, "Scenario file"): hosts with addresses and policy,
// and the steps to run. io/scenario reads the YAML; stack/simulator runs it.
#pragma once

#include "common/ip_address.h"
#include "common/result.h"
#include "model/filter.h"

#include <optional>
#include <string>
#include <vector>

namespace openfwp::stack {

/// Who a socket belongs to, as ALE conditions see it.
struct Identity {
  std::string app;   ///< application path (FWPM_CONDITION_ALE_APP_ID), lower-cased
  std::string user;  ///< SID (FWPM_CONDITION_ALE_USER_ID)
};

struct HostSpec {
  std::string name;
  std::vector<IpAddress> addresses;
  bool auto_accept = true;
  std::vector<model::Provider> providers;
  std::vector<model::Sublayer> sublayers;
  std::vector<model::Callout> callouts;
  std::vector<model::Filter> filters;
};

enum class Op : std::uint8_t {
  kBind,
  kListen,
  kConnect,
  kAccept,
  kSend,
  kRecv,
  kClose,
  kAbort,
  kSendTo,
  kAddFilter,
  kDeleteFilter,
  kWait,
};

struct Step {
  Op op = Op::kWait;
  std::string host;
  bool udp = false;        ///< proto: udp (default tcp)
  bool v6 = false;         ///< family: ipv6
  std::string peer;        ///< host name
  std::uint16_t port = 0;  ///< remote port (connect, sendto) or local port (bind, listen)
  std::optional<std::uint16_t> local_port;
  std::string id;    ///< names the connection a connect step opens
  std::string conn;  ///< the connection a send/recv/close/abort step uses
  std::uint64_t bytes = 0;
  Identity identity;
  std::optional<model::Filter> filter;  ///< add_filter
  std::string filter_name;              ///< delete_filter: name or id
  std::uint64_t ms = 0;                 ///< wait
  SourceLocation where;                 ///< for run-time errors ("conn c2 was never opened")
};

struct Scenario {
  std::vector<HostSpec> hosts;
  std::vector<Step> steps;
};

std::string_view op_name(Op op);

}  // namespace openfwp::stack
