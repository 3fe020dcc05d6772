// SPDX-License-Identifier: Apache-2.0
// SockDiag: the kernel's answer to "which local socket owns this flow?" over NETLINK_SOCK_DIAG —
// the identity half of the live daemon's endpoint seam (docs/decisions/0006, "Identity").
//
// One exact inet_diag_req_v2 query per question (SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST, no dump,
// cookie INET_DIAG_NOCOOKIE), so the cost is one round trip whatever the number of sockets.
// The two protocols take the tuple in opposite directions, because the kernel runs different
// lookups for them (tried on this kernel, see 0006):
//   - TCP: inet_diag_find_one_icsk → inet_lookup, sockid from the socket's view (src = local,
//     dst = remote). The established table is searched first, then the listeners, so an inbound
//     SYN's tuple returns the listener (state 10, TCP_LISTEN).
//   - UDP: udp_dump_one runs the receive lookup, so the sockid is the packet's view (src =
//     remote, dst = local); a wildcard-bound socket is found that way (state 7).
// A tuple no socket owns comes back as NLMSG_ERROR -ENOENT, which is an answer (nullopt), not a
// failure. Every other failure is an Error naming the tuple.
//
// A reply that never comes (the kernel does not lose them, but a daemon must not hang on a
// bug) ends the wait after the receive timeout, and a late reply to an abandoned query is
// recognised by its sequence number and skipped.
//
// Thread-safety: one SockDiag per thread (it owns one socket and a sequence counter).
#pragma once

#include "common/result.h"
#include "flow/flow_table.h"

#include <cstdint>
#include <optional>

namespace openfwp::live {

/// The socket the kernel reported for a tuple.
struct SocketOwner {
  std::uint64_t inode = 0;  ///< the socket's inode: fstat(fd).st_ino, "socket:[inode]" in /proc
  std::uint32_t uid = 0;    ///< the socket's owner (sock_i_uid: the creator's fsuid)
  std::uint8_t state = 0;   ///< TCP_* state (1 established, 2 SYN_SENT, 10 listen; UDP: 7)
};

/// Per-protocol sock_diag queries on one NETLINK_SOCK_DIAG socket. Move-only.
class SockDiag {
 public:
  /// Opens the netlink socket, with a 1 s receive timeout. kIo error if the kernel refuses.
  static Result<SockDiag> open();

  SockDiag(SockDiag&& other) noexcept;
  SockDiag& operator=(SockDiag&& other) noexcept;
  SockDiag(const SockDiag&) = delete;
  SockDiag& operator=(const SockDiag&) = delete;
  ~SockDiag();

  /// TCP socket that owns this 5-tuple from the LOCAL host's view (key.local = our address):
  /// the established or SYN_SENT socket, else the listener on local:port. nullopt if none.
  Result<std::optional<SocketOwner>> tcp_lookup(const flow::FlowKey& key);

  /// UDP socket that would receive a datagram remote→local. `key` is the local view; the query
  /// flips it, because udp_dump_one runs the receive lookup (sockid src = remote, dst = local).
  Result<std::optional<SocketOwner>> udp_lookup(const flow::FlowKey& key);

  /// SOCK_DESTROY of the TCP socket of this 5-tuple, which then fails its calls with
  /// ECONNABORTED (needs CAP_NET_ADMIN). Ok if the socket is already gone. A listener or
  /// TIME_WAIT socket is left alone: the tuple of a flow whose socket has closed falls back to
  /// the listener in the kernel's lookup, and cutting one flow must not close the port.
  Result<void> destroy_tcp(const flow::FlowKey& key);

  /// Counters over every request sent (destroy_tcp sends a lookup and then the destroy).
  struct Stats {
    std::uint64_t queries = 0;    ///< requests sent
    std::uint64_t found = 0;      ///< lookups that found a socket
    std::uint64_t not_found = 0;  ///< requests answered -ENOENT
    std::uint64_t errors = 0;     ///< requests that failed (the Result carried the error)
  };
  const Stats& stats() const { return stats_; }

 private:
  struct Found {
    SocketOwner owner;
    std::uint32_t cookie[2] = {0, 0};  // pins the exact socket for SOCK_DESTROY
  };
  enum class Query : std::uint8_t { kLookup, kDestroy };

  explicit SockDiag(int fd) : fd_(fd) {}
  Result<std::optional<Found>> lookup(const flow::FlowKey& key, bool tcp);
  /// Sends one request and reads its answer; nullopt on -ENOENT (and on a destroy's ack).
  Result<std::optional<Found>> request(Query query, const flow::FlowKey& key, bool tcp,
                                       const std::uint32_t* cookie);

  int fd_ = -1;
  std::uint32_t sequence_ = 0;
  Stats stats_;
};

}  // namespace openfwp::live
