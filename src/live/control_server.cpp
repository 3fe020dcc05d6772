// SPDX-License-Identifier: Apache-2.0
// The management socket's server (non-blocking, poll-driven) and its blocking client.
#include "live/control_server.h"

#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <utility>

namespace openfwp::live {
namespace {

// Bytes read per recv, and per on_readable call (so one chatty client cannot starve the
// loop; poll is level-triggered, so the rest is read on the next round).
constexpr std::size_t kReadChunk = std::size_t{64} * 1024;
constexpr std::size_t kReadPerCall = std::size_t{1024} * 1024;
// The client's guard against a daemon that never ends a line.
constexpr std::size_t kMaxResponseLine = std::size_t{256} << 20;

std::string errno_text(int err) { return std::strerror(err); }

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

Result<sockaddr_un> unix_address(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.empty()) return fail(ErrorCode::kUsage, "control socket: the path is empty");
  if (path.size() >= sizeof(address.sun_path)) {
    return fail(ErrorCode::kUsage,
                fmt::format("control socket: path {} is {} bytes long; the limit is {}", path,
                            path.size(), sizeof(address.sun_path) - 1));
  }
  std::memcpy(address.sun_path, path.data(), path.size());
  return address;
}

int connect_to(int fd, const sockaddr_un& address) {
  // sockaddr_un is what connect(2) takes for AF_UNIX; the cast is the socket API's own.
  return ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address));
}

Result<void> ensure_parent_directory(const std::string& path) {
  const std::string parent = std::filesystem::path(path).parent_path().string();
  if (parent.empty()) return {};
  struct stat info {};
  if (::stat(parent.c_str(), &info) == 0) {
    if (!S_ISDIR(info.st_mode)) {
      return fail(ErrorCode::kIo,
                  fmt::format("control socket: {} exists and is not a directory", parent));
    }
    return {};
  }
  if (errno != ENOENT || ::mkdir(parent.c_str(), 0700) != 0) {
    return fail(ErrorCode::kIo, fmt::format("control socket: cannot create directory {}: {}",
                                            parent, errno_text(errno)));
  }
  return {};
}

// A socket file left behind by a daemon that died is replaced; one that answers is not ours
// to take.
Result<void> remove_stale_socket(const std::string& path, const sockaddr_un& address) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) return {};
    return fail(ErrorCode::kIo,
                fmt::format("control socket: cannot stat {}: {}", path, errno_text(errno)));
  }
  if (!S_ISSOCK(info.st_mode)) {
    return fail(ErrorCode::kIo, fmt::format("control socket: {} exists and is not a socket; "
                                            "refusing to replace it",
                                            path));
  }
  // Non-blocking, so a live daemon with a full backlog (EAGAIN) cannot hang the probe.
  Fd probe(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (probe.get() < 0) {
    return fail(ErrorCode::kIo, fmt::format("control socket: socket: {}", errno_text(errno)));
  }
  if (connect_to(probe.get(), address) == 0 || errno == EAGAIN || errno == EINPROGRESS) {
    return fail(ErrorCode::kIo, fmt::format("control socket: another daemon is already "
                                            "listening on {} (is `fwp serve` running?)",
                                            path));
  }
  if (errno != ECONNREFUSED) {
    return fail(ErrorCode::kIo,
                fmt::format("control socket: cannot probe {}: {}", path, errno_text(errno)));
  }
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return fail(ErrorCode::kIo,
                fmt::format("control socket: cannot remove stale {}: {}", path, errno_text(errno)));
  }
  return {};
}

}  // namespace

struct ControlServer::State {
  struct Client {
    ClientId id = 0;
    int fd = -1;
    std::string in;   // bytes read, not yet a complete line
    std::string out;  // queued output; out[out_sent..] is still to send
    std::size_t out_sent = 0;
    bool subscribed = false;
    bool read_closed = false;  // EOF seen, or we stopped listening: close once flushed
    bool dead = false;         // to be closed at the next reap

    std::size_t pending() const { return out.size() - out_sent; }
  };

  std::string path;
  int listen_fd = -1;
  dev_t socket_dev = 0;  // identity of the socket file we bound, so we unlink only ours
  ino_t socket_ino = 0;
  uid_t allowed_uid = 0;
  // By fd. std::map: references stay valid while a handler adds or marks clients.
  std::map<int, Client> clients;
  ClientId next_id = 1;
  Stats stats;
  // Nesting of public calls (a handler may call broadcast_event); clients are erased only at
  // depth 0, so no caller holds a dangling Client&.
  int depth = 0;

  State() = default;
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  ~State() {
    for (auto& [fd, client] : clients) ::close(fd);
    if (listen_fd >= 0) ::close(listen_fd);
    struct stat info {};
    if (!path.empty() && ::lstat(path.c_str(), &info) == 0 && info.st_dev == socket_dev &&
        info.st_ino == socket_ino) {
      ::unlink(path.c_str());
    }
  }

  Client* find(ClientId id) {
    for (auto& [fd, client] : clients) {
      if (client.id == id && !client.dead) return &client;
    }
    return nullptr;
  }

  void flush(Client& client) {
    while (!client.dead && client.pending() > 0) {
      const ssize_t n = ::send(client.fd, client.out.data() + client.out_sent, client.pending(),
                               MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) {
        client.out_sent += static_cast<std::size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        break;
      } else {
        client.dead = true;  // EPIPE, ECONNRESET: the peer is gone
      }
    }
    if (client.pending() == 0) {
      client.out.clear();
      client.out_sent = 0;
      if (client.read_closed) client.dead = true;
    } else if (client.out_sent > kReadChunk && client.out_sent > client.out.size() / 2) {
      // Keeps the buffer proportional to what is pending, at an amortised O(1) per byte.
      client.out.erase(0, client.out_sent);
      client.out_sent = 0;
    }
  }

  void queue(Client& client, std::string_view line) {
    if (client.dead) return;
    client.out.append(line);
    client.out.push_back('\n');
    flush(client);
  }

  void reap() {
    if (depth != 0) return;
    for (auto it = clients.begin(); it != clients.end();) {
      if (it->second.dead) {
        ::close(it->first);
        it = clients.erase(it);
      } else {
        ++it;
      }
    }
  }

  void accept_all() {
    for (int i = 0; i < 64; ++i) {
      const int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) return;  // EAGAIN; or EMFILE and the like, which a later round may clear
      ++stats.clients_accepted;
      Client& client = clients[fd];
      client.id = next_id++;
      client.fd = fd;
      ucred peer{};
      socklen_t size = sizeof(peer);
      const bool known = ::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &peer, &size) == 0;
      if (!known || (peer.uid != 0 && peer.uid != allowed_uid)) {
        ++stats.rejected_peers;
        const std::string uid_text = known ? std::to_string(peer.uid) : "unknown";
        const std::string message =
            allowed_uid == 0
                ? fmt::format("control socket: only root may manage the firewall (peer uid {})",
                              uid_text)
                : fmt::format(
                      "control socket: only root or uid {} may manage the firewall "
                      "(peer uid {})",
                      allowed_uid, uid_text);
        client.read_closed = true;
        queue(client, error_response(Error{ErrorCode::kUsage, message, {}}));
      }
    }
  }

  void answer_line(Client& client, std::string_view line, const Handler& handle) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) return;  // a blank line (an interactive user's Enter) asks nothing
    auto request = parse_control_request(line);
    if (!request) {
      ++stats.parse_errors;
      queue(client, error_response(request.error()));
      return;
    }
    ++stats.requests;
    const ClientId id = client.id;
    std::string reply = handle(*request, id);
    queue(client, reply);
  }

  void read_client(Client& client, const Handler& handle) {
    std::size_t total = 0;
    std::array<char, kReadChunk> buffer{};
    while (!client.dead && !client.read_closed && total < kReadPerCall) {
      const ssize_t n = ::recv(client.fd, buffer.data(), buffer.size(), MSG_DONTWAIT);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
      if (n < 0) {
        client.dead = true;
        break;
      }
      if (n == 0) {
        client.read_closed = true;
        // A last request without its '\n' (printf ... | nc -U) still counts.
        if (!client.in.empty()) client.in.push_back('\n');
      } else {
        client.in.append(buffer.data(), static_cast<std::size_t>(n));
        total += static_cast<std::size_t>(n);
      }
      std::size_t start = 0;
      for (std::size_t nl = client.in.find('\n'); nl != std::string::npos && !client.dead;
           nl = client.in.find('\n', start)) {
        answer_line(client, std::string_view(client.in).substr(start, nl - start), handle);
        start = nl + 1;
      }
      client.in.erase(0, start);
      if (client.in.size() > kMaxControlLine) {
        ++stats.parse_errors;
        client.in.clear();
        client.read_closed = true;  // no way to find the next request's start
        queue(client, error_response(Error{
                          ErrorCode::kParse,
                          fmt::format("control request: line longer than the limit of {} bytes "
                                      "(1 MiB) without a newline",
                                      kMaxControlLine),
                          {}}));
      }
    }
    flush(client);
  }
};

// Counts a public call's nesting and reaps closed clients when the outermost one returns.
class ControlServer::CallScope {
 public:
  explicit CallScope(State& state) : state_(state) { ++state_.depth; }
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;
  ~CallScope() {
    --state_.depth;
    state_.reap();
  }

 private:
  State& state_;
};

Result<ControlServer> ControlServer::listen(const std::string& path, uid_t allowed_uid) {
  OPENFWP_TRY(const sockaddr_un address, unix_address(path));
  OPENFWP_TRY_VOID(ensure_parent_directory(path));
  OPENFWP_TRY_VOID(remove_stale_socket(path, address));
  Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) {
    return fail(ErrorCode::kIo, fmt::format("control socket: socket: {}", errno_text(errno)));
  }
  if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    return fail(ErrorCode::kIo,
                fmt::format("control socket: cannot bind {}: {}", path, errno_text(errno)));
  }
  auto state = std::make_unique<State>();
  // From here the State destructor unlinks the file if a later step fails.
  struct stat info {};
  if (::lstat(path.c_str(), &info) == 0) {
    state->path = path;
    state->socket_dev = info.st_dev;
    state->socket_ino = info.st_ino;
  }
  // Between bind and chmod the file has umask's mode; the SO_PEERCRED check is what guards.
  if (::chmod(path.c_str(), 0600) != 0) {
    return fail(ErrorCode::kIo,
                fmt::format("control socket: cannot chmod {}: {}", path, errno_text(errno)));
  }
  if (::listen(fd.get(), SOMAXCONN) != 0) {
    return fail(ErrorCode::kIo,
                fmt::format("control socket: cannot listen on {}: {}", path, errno_text(errno)));
  }
  state->listen_fd = fd.release();
  state->allowed_uid = allowed_uid;
  return ControlServer(std::move(state));
}

ControlServer::ControlServer(std::unique_ptr<State> state) : state_(std::move(state)) {}
ControlServer::ControlServer(ControlServer&&) noexcept = default;
ControlServer& ControlServer::operator=(ControlServer&&) noexcept = default;
ControlServer::~ControlServer() = default;

int ControlServer::listen_fd() const { return state_->listen_fd; }

std::vector<int> ControlServer::client_fds() const {
  std::vector<int> fds;
  for (const auto& [fd, client] : state_->clients) {
    if (!client.dead) fds.push_back(fd);
  }
  return fds;
}

void ControlServer::poll_fds(std::vector<pollfd>& out) const {
  out.push_back(pollfd{state_->listen_fd, POLLIN, 0});
  for (const auto& [fd, client] : state_->clients) {
    if (client.dead) continue;
    short events = 0;
    if (!client.read_closed && client.pending() <= kMaxPendingOutput) events |= POLLIN;
    if (client.pending() > 0) events |= POLLOUT;
    out.push_back(pollfd{fd, events, 0});
  }
}

void ControlServer::on_readable(int fd, const Handler& handle) {
  const CallScope scope(*state_);
  if (fd == state_->listen_fd) {
    state_->accept_all();
    return;
  }
  const auto it = state_->clients.find(fd);
  if (it == state_->clients.end() || it->second.dead) return;
  State::Client& client = it->second;
  if (client.pending() > kMaxPendingOutput || client.read_closed) {
    // Throttled or closing: do not read, but a flush notices a peer that hung up.
    state_->flush(client);
    return;
  }
  state_->read_client(client, handle);
}

void ControlServer::on_writable(int fd) {
  const CallScope scope(*state_);
  const auto it = state_->clients.find(fd);
  if (it == state_->clients.end() || it->second.dead) return;
  state_->flush(it->second);
}

void ControlServer::dispatch(const std::vector<pollfd>& polled, const Handler& handle) {
  const CallScope scope(*state_);
  for (const pollfd& entry : polled) {
    if (entry.fd != state_->listen_fd && !state_->clients.contains(entry.fd)) continue;
    if ((entry.revents & POLLOUT) != 0) on_writable(entry.fd);
    if ((entry.revents & (POLLIN | POLLHUP | POLLERR)) != 0) on_readable(entry.fd, handle);
  }
}

void ControlServer::subscribe_events(ClientId client) {
  if (State::Client* c = state_->find(client)) c->subscribed = true;
}

void ControlServer::broadcast_event(std::string_view json_line) {
  const CallScope scope(*state_);
  for (auto& [fd, client] : state_->clients) {
    if (!client.subscribed || client.dead) continue;
    if (client.pending() + json_line.size() + 1 > kMaxPendingOutput) {
      // Holding events back for one reader would grow without bound; it must reconnect.
      client.dead = true;
      ++state_->stats.dropped_subscribers;
      continue;
    }
    state_->queue(client, json_line);
  }
}

bool ControlServer::send_line(ClientId client, std::string_view line) {
  const CallScope scope(*state_);
  State::Client* c = state_->find(client);
  if (c == nullptr) return false;
  state_->queue(*c, line);
  return true;
}

std::size_t ControlServer::client_count() const { return client_fds().size(); }

std::size_t ControlServer::subscriber_count() const {
  std::size_t count = 0;
  for (const auto& [fd, client] : state_->clients) {
    if (client.subscribed && !client.dead) ++count;
  }
  return count;
}

const ControlServer::Stats& ControlServer::stats() const { return state_->stats; }
const std::string& ControlServer::path() const { return state_->path; }

Result<void> control_call(const std::string& path, const ControlRequest& request,
                          const std::function<bool(std::string_view line)>& on_line) {
  OPENFWP_TRY(const sockaddr_un address, unix_address(path));
  Fd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) {
    return fail(ErrorCode::kIo, fmt::format("control socket: socket: {}", errno_text(errno)));
  }
  if (connect_to(fd.get(), address) != 0) {
    const int err = errno;
    if (err == ENOENT) {
      return fail(ErrorCode::kIo,
                  fmt::format("is `fwp serve` running? no control socket at {}", path));
    }
    if (err == ECONNREFUSED) {
      return fail(ErrorCode::kIo, fmt::format("is `fwp serve` running? nothing listens on {} "
                                              "(connection refused)",
                                              path));
    }
    if (err == EACCES || err == EPERM) {
      return fail(ErrorCode::kIo, fmt::format("cannot connect to {}: {} (only root may manage "
                                              "the firewall)",
                                              path, errno_text(err)));
    }
    return fail(ErrorCode::kIo, fmt::format("cannot connect to {}: {}", path, errno_text(err)));
  }
  const std::string line = format_control_request(request) + '\n';
  for (std::size_t sent = 0; sent < line.size();) {
    const ssize_t n = ::send(fd.get(), line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return fail(ErrorCode::kIo,
                  fmt::format("control socket {}: send: {}", path, errno_text(errno)));
    }
    sent += static_cast<std::size_t>(n);
  }
  std::string in;
  bool answered = false;
  std::array<char, kReadChunk> buffer{};
  for (;;) {
    const ssize_t n = ::recv(fd.get(), buffer.data(), buffer.size(), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return fail(ErrorCode::kIo,
                  fmt::format("control socket {}: recv: {}", path, errno_text(errno)));
    }
    if (n == 0) break;
    in.append(buffer.data(), static_cast<std::size_t>(n));
    std::size_t start = 0;
    for (std::size_t nl = in.find('\n'); nl != std::string::npos; nl = in.find('\n', start)) {
      answered = true;
      if (!on_line(std::string_view(in).substr(start, nl - start))) return {};
      start = nl + 1;
    }
    in.erase(0, start);
    if (in.size() > kMaxResponseLine) {
      return fail(ErrorCode::kIo,
                  fmt::format("control socket {}: response line longer than {} bytes", path,
                              kMaxResponseLine));
    }
  }
  if (!in.empty()) {
    answered = true;
    on_line(in);
  }
  if (!answered) {
    return fail(ErrorCode::kIo,
                fmt::format("control socket {}: the daemon closed the connection without an "
                            "answer",
                            path));
  }
  return {};
}

}  // namespace openfwp::live
