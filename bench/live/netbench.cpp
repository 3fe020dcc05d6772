// SPDX-License-Identifier: Apache-2.0
// fwp_netbench: the TCP load of the live enforcement benchmark (issue #7,
// bench/live/run-live-bench). Three modes, each printing one JSON object on stdout:
//
//   server    an echo server (epoll, non-blocking, any number of connections at once) that
//             exits after --max-seconds, so it cannot outlive the benchmark;
//   connrate  sequential new connections (connect, 1 byte out, its echo back, close), for
//             --seconds or --max-count connections, whichever ends first: connections/s and
//             the connect+round-trip latency percentiles;
//   rr        one connection (TCP_NODELAY), --count sequential 1-byte round trips: latency
//             percentiles and round trips/s.
//
// Safety guard: every address given, to bind or to connect to, must be IPv4 in 198.18.0.0/15
// (RFC 2544's benchmarking range, the only one this project's network tests may use) or in
// 127.0.0.0/8. Anything else is refused before a socket is opened. Every loop is bounded by a
// count and a time.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <optional>
#include <poll.h>
#include <string>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <unordered_map>
#include <utility>
#include <vector>

namespace openfwp::bench {
namespace {

using Clock = std::chrono::steady_clock;
using Json = nlohmann::ordered_json;

constexpr int kIoTimeoutMs = 1000;  // connect, send and receive: 1 s each

volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_stop_signal(int /*signal*/) { g_stop = 1; }

void install_stop_handlers() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
}

std::string errno_text(int error) { return std::string(std::strerror(error)); }

// A file descriptor that closes itself.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  [[nodiscard]] int get() const { return fd_; }
  [[nodiscard]] bool valid() const { return fd_ >= 0; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// --- the address guard ---------------------------------------------------------------------

// 198.18.0.0/15 or 127.0.0.0/8, IPv4 dotted quad only. Returns the address, or nullopt.
std::optional<in_addr> allowed_address(const std::string& text) {
  in_addr address{};
  if (inet_pton(AF_INET, text.c_str(), &address) != 1) return std::nullopt;
  const std::uint32_t host = ntohl(address.s_addr);
  const bool benchmarking = (host & 0xfffe0000u) == 0xc6120000u;  // 198.18.0.0/15
  const bool loopback = (host & 0xff000000u) == 0x7f000000u;      // 127.0.0.0/8
  if (!benchmarking && !loopback) return std::nullopt;
  return address;
}

// A CLI11 validator with the guard's message.
const CLI::Validator kAllowedHost(
    [](std::string& text) -> std::string {
      if (allowed_address(text)) return {};
      return "\"" + text +
             "\" is not an IPv4 address in 198.18.0.0/15 or 127.0.0.0/8 (fwp_netbench talks to "
             "nothing else)";
    },
    "ADDR in 198.18.0.0/15 or 127.0.0.0/8", "AllowedHost");

sockaddr_in socket_address(const std::string& host, std::uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr = *allowed_address(host);  // validated by the CLI already
  return address;
}

// --- statistics ----------------------------------------------------------------------------

double micros(Clock::duration duration) {
  return std::chrono::duration<double, std::micro>(duration).count();
}
double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Nearest-rank percentiles, the mean, min and max of samples in µs (sorted in place).
Json latency_summary(std::vector<double>& samples) {
  Json out = Json::object();
  if (samples.empty()) return out;
  std::sort(samples.begin(), samples.end());
  auto rank = [&](double percent) {
    const auto n = samples.size();
    auto index = static_cast<std::size_t>(std::ceil(percent / 100.0 * static_cast<double>(n)));
    index = std::clamp<std::size_t>(index, 1, n);
    return samples[index - 1];
  };
  double sum = 0;
  for (const double sample : samples) sum += sample;
  auto round1 = [](double value) { return static_cast<double>(std::llround(value * 10)) / 10; };
  out["p50"] = round1(rank(50));
  out["p90"] = round1(rank(90));
  out["p99"] = round1(rank(99));
  out["mean"] = round1(sum / static_cast<double>(samples.size()));
  out["min"] = round1(samples.front());
  out["max"] = round1(samples.back());
  return out;
}

// --- client side ---------------------------------------------------------------------------

// Waits for `events` on fd for up to timeout_ms. Returns false on timeout or error.
bool wait_for(int fd, short events, int timeout_ms) {
  pollfd entry{fd, events, 0};
  for (;;) {
    const int ready = poll(&entry, 1, timeout_ms);
    if (ready < 0 && errno == EINTR) {
      if (g_stop) return false;
      continue;
    }
    return ready == 1 && (entry.revents & (events | POLLERR | POLLHUP)) != 0;
  }
}

// A non-blocking TCP connection established within 1 s, or an error text.
struct Connected {
  Fd fd;
  std::string error;  // empty on success
};

Connected connect_with_timeout(const sockaddr_in& address, bool nodelay) {
  Connected result;
  result.fd = Fd(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP));
  if (!result.fd.valid()) {
    result.error = "socket: " + errno_text(errno);
    return result;
  }
  if (nodelay) {
    const int one = 1;
    setsockopt(result.fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the sockets API
  const auto* raw = reinterpret_cast<const sockaddr*>(&address);
  if (::connect(result.fd.get(), raw, sizeof address) != 0 && errno != EINPROGRESS) {
    result.error = "connect: " + errno_text(errno);
    return result;
  }
  if (!wait_for(result.fd.get(), POLLOUT, kIoTimeoutMs)) {
    result.error = "connect: timed out after 1 s";
    return result;
  }
  int error = 0;
  socklen_t length = sizeof error;
  getsockopt(result.fd.get(), SOL_SOCKET, SO_ERROR, &error, &length);
  if (error != 0) result.error = "connect: " + errno_text(error);
  return result;
}

// One 1-byte round trip on a connected non-blocking socket, each step within 1 s.
std::string round_trip(int fd) {
  const char out = 'x';
  for (;;) {
    const ssize_t sent = ::send(fd, &out, 1, MSG_NOSIGNAL);
    if (sent == 1) break;
    if (sent < 0 && (errno == EAGAIN || errno == EINTR)) {
      if (!wait_for(fd, POLLOUT, kIoTimeoutMs)) return "send: timed out after 1 s";
      continue;
    }
    return "send: " + errno_text(errno);
  }
  for (;;) {
    char in = 0;
    const ssize_t got = ::recv(fd, &in, 1, 0);
    if (got == 1) return {};
    if (got == 0) return "recv: connection closed by the server";
    if (errno == EAGAIN || errno == EINTR) {
      if (!wait_for(fd, POLLIN, kIoTimeoutMs)) return "recv: timed out after 1 s";
      continue;
    }
    return "recv: " + errno_text(errno);
  }
}

// Failures counted by their message, so a run that fails shows why.
void count_failure(Json& failures, const std::string& what) {
  failures[what] = failures.value(what, 0) + 1;
}

int run_connrate(const std::string& host, std::uint16_t port, double seconds,
                 std::uint64_t max_count) {
  const sockaddr_in address = socket_address(host, port);
  std::vector<double> total_us;
  std::vector<double> connect_us;
  total_us.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(max_count, 1u << 20)));
  connect_us.reserve(total_us.capacity());
  Json failure_reasons = Json::object();
  std::uint64_t attempts = 0;
  std::uint64_t failures = 0;
  const auto start = Clock::now();
  const auto deadline =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  while (attempts < max_count && Clock::now() < deadline && !g_stop) {
    ++attempts;
    const auto begin = Clock::now();
    Connected connection = connect_with_timeout(address, /*nodelay=*/true);
    const auto connected = Clock::now();
    std::string error = connection.error;
    if (error.empty()) error = round_trip(connection.fd.get());
    const auto done = Clock::now();
    connection.fd.reset();
    if (!error.empty()) {
      ++failures;
      count_failure(failure_reasons, error);
      continue;
    }
    connect_us.push_back(micros(connected - begin));
    total_us.push_back(micros(done - begin));
  }
  const double elapsed = seconds_since(start);
  Json out;
  out["mode"] = "connrate";
  out["host"] = host;
  out["port"] = port;
  out["seconds"] = elapsed;
  out["attempts"] = attempts;
  out["connections"] = total_us.size();
  out["failures"] = failures;
  out["failure_reasons"] = failure_reasons;
  out["connections_per_s"] = elapsed > 0 ? static_cast<double>(total_us.size()) / elapsed : 0.0;
  out["connect_us"] = latency_summary(connect_us);
  out["connect_rr_us"] = latency_summary(total_us);
  std::puts(out.dump().c_str());
  return total_us.empty() ? 1 : 0;
}

int run_rr(const std::string& host, std::uint16_t port, std::uint64_t count, double max_seconds) {
  const sockaddr_in address = socket_address(host, port);
  Json out;
  out["mode"] = "rr";
  out["host"] = host;
  out["port"] = port;
  out["count"] = count;
  Connected connection = connect_with_timeout(address, /*nodelay=*/true);
  if (!connection.error.empty()) {
    out["error"] = connection.error;
    std::puts(out.dump().c_str());
    std::fprintf(stderr, "fwp_netbench rr: %s:%u: %s\n", host.c_str(), port,
                 connection.error.c_str());
    return 1;
  }
  std::vector<double> samples;
  samples.reserve(static_cast<std::size_t>(std::min<std::uint64_t>(count, 1u << 24)));
  std::string error;
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration_cast<Clock::duration>(
                                    std::chrono::duration<double>(max_seconds));
  for (std::uint64_t i = 0; i < count && !g_stop; ++i) {
    const auto begin = Clock::now();
    if (begin >= deadline) {
      error = "stopped at --max-seconds";
      break;
    }
    error = round_trip(connection.fd.get());
    if (!error.empty()) break;
    samples.push_back(micros(Clock::now() - begin));
  }
  const double elapsed = seconds_since(start);
  out["completed"] = samples.size();
  out["seconds"] = elapsed;
  out["round_trips_per_s"] = elapsed > 0 ? static_cast<double>(samples.size()) / elapsed : 0.0;
  out["latency_us"] = latency_summary(samples);
  if (!error.empty()) out["error"] = error;
  std::puts(out.dump().c_str());
  if (!error.empty()) std::fprintf(stderr, "fwp_netbench rr: %s\n", error.c_str());
  return error.empty() ? 0 : 1;
}

// --- the echo server -----------------------------------------------------------------------

// One accepted connection: bytes read but not yet written back. While some are pending the
// connection waits for EPOLLOUT instead of reading more (the echo applies back-pressure).
struct EchoConnection {
  Fd fd;
  std::vector<char> pending;
  std::size_t sent = 0;
};

int run_server(const std::string& bind_host, std::uint16_t port, double max_seconds,
               const std::string& ready_file) {
  const sockaddr_in address = socket_address(bind_host, port);
  auto fail = [&](const char* what, int error) {
    std::fprintf(stderr, "fwp_netbench server: %s:%u: %s: %s\n", bind_host.c_str(), port, what,
                 errno_text(error).c_str());
    return 1;
  };
  Fd listener(::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP));
  if (!listener.valid()) return fail("socket", errno);
  const int one = 1;
  setsockopt(listener.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): the sockets API
  if (::bind(listener.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    return fail("bind", errno);
  }
  if (::listen(listener.get(), 4096) != 0) return fail("listen", errno);
  Fd epoll(epoll_create1(EPOLL_CLOEXEC));
  if (!epoll.valid()) return fail("epoll_create1", errno);
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.fd = listener.get();
  if (epoll_ctl(epoll.get(), EPOLL_CTL_ADD, listener.get(), &event) != 0) {
    return fail("epoll_ctl", errno);
  }
  if (!ready_file.empty()) {
    // Written once the socket listens: the script waits for this file instead of probing.
    std::FILE* file = std::fopen(ready_file.c_str(), "w");
    if (file == nullptr) return fail(("ready file " + ready_file).c_str(), errno);
    std::fprintf(file, "%d\n", static_cast<int>(getpid()));
    std::fclose(file);
  }

  std::unordered_map<int, EchoConnection> connections;
  std::uint64_t accepted = 0;
  std::uint64_t bytes_echoed = 0;
  std::size_t max_open = 0;
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration_cast<Clock::duration>(
                                    std::chrono::duration<double>(max_seconds));
  std::vector<char> buffer(64 * 1024);
  std::vector<epoll_event> events(256);

  auto close_connection = [&](int fd) {
    epoll_ctl(epoll.get(), EPOLL_CTL_DEL, fd, nullptr);
    connections.erase(fd);
  };
  auto watch = [&](int fd, std::uint32_t mask) {
    epoll_event change{};
    change.events = mask;
    change.data.fd = fd;
    epoll_ctl(epoll.get(), EPOLL_CTL_MOD, fd, &change);
  };
  // Writes what is pending; returns false when the connection is gone.
  auto flush = [&](EchoConnection& connection) {
    while (connection.sent < connection.pending.size()) {
      const ssize_t n = ::send(connection.fd.get(), connection.pending.data() + connection.sent,
                               connection.pending.size() - connection.sent, MSG_NOSIGNAL);
      if (n > 0) {
        connection.sent += static_cast<std::size_t>(n);
        bytes_echoed += static_cast<std::uint64_t>(n);
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
        watch(connection.fd.get(), EPOLLOUT);
        return true;
      }
      return false;
    }
    connection.pending.clear();
    connection.sent = 0;
    watch(connection.fd.get(), EPOLLIN | EPOLLRDHUP);
    return true;
  };

  while (!g_stop && Clock::now() < deadline) {
    const int ready = epoll_wait(epoll.get(), events.data(), static_cast<int>(events.size()), 100);
    if (ready < 0) {
      if (errno == EINTR) continue;
      return fail("epoll_wait", errno);
    }
    for (int i = 0; i < ready; ++i) {
      const int fd = events[static_cast<std::size_t>(i)].data.fd;
      const std::uint32_t mask = events[static_cast<std::size_t>(i)].events;
      if (fd == listener.get()) {
        for (int burst = 0; burst < 1024; ++burst) {
          const int client =
              accept4(listener.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
          if (client < 0) break;  // EAGAIN, or a connection reset before accept
          setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          epoll_event add{};
          add.events = EPOLLIN | EPOLLRDHUP;
          add.data.fd = client;
          if (epoll_ctl(epoll.get(), EPOLL_CTL_ADD, client, &add) != 0) {
            ::close(client);
            continue;
          }
          connections.emplace(client, EchoConnection{Fd(client), {}, 0});
          ++accepted;
          max_open = std::max(max_open, connections.size());
        }
        continue;
      }
      auto found = connections.find(fd);
      if (found == connections.end()) continue;
      EchoConnection& connection = found->second;
      if (!connection.pending.empty()) {
        if (!flush(connection)) close_connection(fd);
        continue;
      }
      if ((mask & (EPOLLIN | EPOLLERR | EPOLLHUP | EPOLLRDHUP)) == 0) continue;
      const ssize_t n = ::recv(fd, buffer.data(), buffer.size(), 0);
      if (n > 0) {
        connection.pending.assign(buffer.begin(), buffer.begin() + n);
        if (!flush(connection)) close_connection(fd);
      } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        close_connection(fd);  // the peer closed (or reset): close our end too
      }
    }
  }
  Json out;
  out["mode"] = "server";
  out["bind"] = bind_host;
  out["port"] = port;
  out["seconds"] = seconds_since(start);
  out["stopped_by"] = g_stop ? "signal" : "max-seconds";
  out["accepted"] = accepted;
  out["max_open"] = max_open;
  out["bytes_echoed"] = bytes_echoed;
  std::puts(out.dump().c_str());
  return 0;
}

int run(int argc, char** argv) {
  CLI::App app{
      "fwp_netbench: TCP echo server, connection-rate and request/response latency client for "
      "the live enforcement benchmark (bench/live/run-live-bench). Addresses must be IPv4 in "
      "198.18.0.0/15 or 127.0.0.0/8. Prints one JSON object on stdout.",
      "fwp_netbench"};
  app.require_subcommand(1);

  std::string bind_host;
  std::string host;
  std::uint16_t port = 0;
  double max_seconds = 120;
  double seconds = 10;
  std::uint64_t max_count = 0;
  std::uint64_t count = 0;
  double rr_max_seconds = 60;
  std::string ready_file;

  auto* server = app.add_subcommand("server",
                                    "echo every byte read, on any number of "
                                    "connections; exit after --max-seconds");
  server->add_option("--bind", bind_host, "address to listen on")->required()->check(kAllowedHost);
  server->add_option("--port", port, "TCP port")->required()->check(CLI::Range(1, 65535));
  server->add_option("--max-seconds", max_seconds, "exit after this many seconds")
      ->default_val(120)
      ->check(CLI::Range(0.1, 86400.0));
  server->add_option("--ready-file", ready_file,
                     "create this file (holding the pid) once the socket listens");

  auto* connrate =
      app.add_subcommand("connrate", "sequential new connections: connect, 1 byte, echo, close");
  connrate->add_option("--host", host, "server address")->required()->check(kAllowedHost);
  connrate->add_option("--port", port, "server TCP port")->required()->check(CLI::Range(1, 65535));
  connrate->add_option("--seconds", seconds, "how long to run")
      ->required()
      ->check(CLI::Range(0.1, 3600.0));
  connrate->add_option("--max-count", max_count, "stop after this many connection attempts")
      ->required()
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{100'000'000}));

  auto* rr = app.add_subcommand("rr", "one connection, --count sequential 1-byte round trips");
  rr->add_option("--host", host, "server address")->required()->check(kAllowedHost);
  rr->add_option("--port", port, "server TCP port")->required()->check(CLI::Range(1, 65535));
  rr->add_option("--count", count, "round trips")
      ->required()
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{100'000'000}));
  rr->add_option("--max-seconds", rr_max_seconds, "give up after this many seconds")
      ->default_val(60)
      ->check(CLI::Range(0.1, 3600.0));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error);
  }
  install_stop_handlers();
  if (server->parsed()) return run_server(bind_host, port, max_seconds, ready_file);
  if (connrate->parsed()) return run_connrate(host, port, seconds, max_count);
  return run_rr(host, port, count, rr_max_seconds);
}

}  // namespace
}  // namespace openfwp::bench

int main(int argc, char** argv) { return openfwp::bench::run(argc, argv); }
