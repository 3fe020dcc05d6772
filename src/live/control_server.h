// SPDX-License-Identifier: Apache-2.0
// The daemon's end of the management socket (decision 0006, "Management"), and the client's.
//
// ControlServer owns a listening Unix stream socket and its clients, and does no I/O of its own
// accord: the daemon's single-threaded poll loop asks it which fds to watch (poll_fds) and
// hands readiness back (on_readable, on_writable). All sockets are non-blocking, so a client
// that stops reading can never stall enforcement; what it cannot take is buffered up to a bound:
//   - request/response clients: once 4 MiB of responses are pending, the server stops reading
//     that client's requests until it drains (back-pressure, nothing is lost);
//   - event subscribers: an event that would push pending output past 4 MiB drops the
//     subscriber instead (events are not held back for one slow reader), counted in stats.
// Only uid 0 (or the uid given to listen, for tests) may talk to the daemon: SO_PEERCRED is
// checked on accept, and the socket file is 0600 in a 0700 directory as a second fence.
// Not thread-safe: call everything from the poll loop's thread.
#pragma once

#include "common/result.h"
#include "live/control_protocol.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

struct pollfd;

namespace openfwp::live {

/// Names one client connection for its lifetime; unlike an fd, never reused.
using ClientId = std::uint64_t;

/// Counters since listen (the "stats" verb reports them).
struct ControlServerStats {
  std::uint64_t clients_accepted = 0;     ///< connections accepted, including rejected peers
  std::uint64_t requests = 0;             ///< lines that parsed and reached the handler
  std::uint64_t parse_errors = 0;         ///< lines answered with a parse error
  std::uint64_t rejected_peers = 0;       ///< connections refused by the uid check
  std::uint64_t dropped_subscribers = 0;  ///< event subscribers closed for falling behind
};

/// Pending output per client beyond which it is throttled or dropped (see the file comment).
inline constexpr std::size_t kMaxPendingOutput = std::size_t{4} << 20;

class ControlServer {
 public:
  using Stats = ControlServerStats;
  /// Called once per request line; returns the response line (without '\n').
  using Handler = std::function<std::string(const ControlRequest&, ClientId)>;

  /// Binds `path`: creates its parent directory (0700) if missing, replaces a stale socket file
  /// that nobody answers on, refuses if a daemon already listens there. The socket file is
  /// 0600. Peers other than uid 0 and `allowed_uid` are refused.
  static Result<ControlServer> listen(const std::string& path, uid_t allowed_uid = 0);

  ControlServer(ControlServer&&) noexcept;
  ControlServer& operator=(ControlServer&&) noexcept;
  /// Closes every socket and unlinks the socket file if it is still the one we bound.
  ~ControlServer();

  int listen_fd() const;
  /// The fds of the connected clients (not the listen fd).
  std::vector<int> client_fds() const;
  /// Appends a pollfd for the listen fd and for each client: POLLIN unless the client is
  /// throttled or closing, POLLOUT while it has pending output.
  void poll_fds(std::vector<pollfd>& out) const;

  /// Call when `fd` (listen fd or a client) polled readable, or reported POLLHUP/POLLERR.
  /// Accepts, or reads and answers complete lines: parse errors are answered here, good
  /// requests go to `handle`, whose reply is queued. Unknown fds are ignored.
  void on_readable(int fd, const Handler& handle);
  /// Call when a client fd polled writable: sends pending output. Unknown fds are ignored.
  void on_writable(int fd);
  /// on_readable/on_writable for every entry of a poll() result that is ours.
  void dispatch(const std::vector<pollfd>& polled, const Handler& handle);

  /// Adds `client` to the event stream (typically from the handler of an "events" request).
  void subscribe_events(ClientId client);
  /// Queues `json_line` + '\n' to every subscriber, dropping those that fell too far behind.
  void broadcast_event(std::string_view json_line);
  /// Queues an extra line to one client (e.g. a late reply); false if it is gone.
  bool send_line(ClientId client, std::string_view line);

  std::size_t client_count() const;
  std::size_t subscriber_count() const;
  const Stats& stats() const;
  const std::string& path() const;

 private:
  struct State;
  class CallScope;
  explicit ControlServer(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

/// Client side: connects to `path`, sends `request`, and calls `on_line` for each response
/// line (without '\n') until it returns false or the daemon closes the connection.
Result<void> control_call(const std::string& path, const ControlRequest& request,
                          const std::function<bool(std::string_view line)>& on_line);

}  // namespace openfwp::live
