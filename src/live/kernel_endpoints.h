// SPDX-License-Identifier: Apache-2.0
// KernelEndpoints: the live host's answers to ReplayHost's questions about local sockets, from
// the kernel itself (NETLINK_SOCK_DIAG), and the owning process for ALE_APP_ID / ALE_USER_ID.
#pragma once

#include "live/process_table.h"
#include "live/sock_diag.h"
#include "stack/local_endpoints.h"

#include <unordered_map>

namespace openfwp::live {

/// The SID a Linux uid is written as (Samba's "Unix User" domain, S-1-22-1-<uid>).
/// DEVIATION(WFP): Linux has no SIDs; this lets an ALE_USER_ID security descriptor name a user.
std::string unix_user_sid(std::uint32_t uid);

class KernelEndpoints final : public stack::LocalEndpoints {
 public:
  struct Stats {
    std::uint64_t identity_lookups = 0;  ///< identities resolved (cache misses)
    std::uint64_t identity_hits = 0;     ///< identities served from the per-flow cache
    std::uint64_t lookup_errors = 0;     ///< sock_diag failed; the kernel was let decide
  };

  /// `diag` and `processes` must outlive this.
  KernelEndpoints(SockDiag& diag, ProcessTable& processes) : diag_(diag), processes_(processes) {}

  /// Whether ALE_APP_ID is resolved (a /proc scan per new socket): only while some filter has
  /// an ALE_APP_ID condition.
  void set_resolve_apps(bool resolve) { resolve_apps_ = resolve; }

  bool accepts_syn(const flow::FlowKey& key) const override;
  bool listening(const IpAddress& local, std::uint16_t port) const override;
  bool udp_port_closed(const flow::FlowKey& key) const override;
  bool tcp_local_sends(const flow::FlowKey& key) const override;
  stack::Identity identity(const flow::FlowKey& key, bool outbound) const override;
  bool walks_listen() const override { return true; }

  /// The flow of `key` is gone: its cached identity goes too.
  void forget(const flow::FlowKey& key) { identities_.erase(key); }
  const Stats& stats() const { return stats_; }

 private:
  std::optional<SocketOwner> owner(const flow::FlowKey& key) const;

  SockDiag& diag_;
  ProcessTable& processes_;
  bool resolve_apps_ = false;
  // Mutable: caches behind the const questions of LocalEndpoints.
  mutable std::unordered_map<flow::FlowKey, stack::Identity, flow::FlowKeyHash> identities_;
  mutable Stats stats_;
};

}  // namespace openfwp::live
