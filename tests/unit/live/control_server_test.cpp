// SPDX-License-Identifier: Apache-2.0
// ControlServer over a real Unix socket in a temp directory. The test is the daemon: it pumps
// the poll loop itself, so every case is deterministic and bounded by a deadline.
#include "live/control_server.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <poll.h>
#include <string>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace openfwp::live {
namespace {

using std::chrono::steady_clock;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "openfwp-ctl-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

sockaddr_un address_of(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.data(), path.size());
  return address;
}

// A connected client socket (blocking connect, then non-blocking reads).
int connect_client(const std::string& path) {
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const sockaddr_un address = address_of(path);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

void send_all(int fd, const std::string& bytes) {
  ASSERT_EQ(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(bytes.size()));
}

// Echoes the verb back; "events" subscribes.
struct Daemon {
  ControlServer server;
  int handled = 0;

  std::string handle(const ControlRequest& request, ClientId client) {
    ++handled;
    if (request.verb == ControlVerb::kEvents) server.subscribe_events(client);
    nlohmann::json body = {{"verb", std::string(control_verb_name(request.verb))}};
    if (request.filter_id) body["id"] = *request.filter_id;
    return ok_response(body);
  }

  // One round of the daemon's loop.
  void pump(int timeout_ms = 5) {
    std::vector<pollfd> fds;
    server.poll_fds(fds);
    if (::poll(fds.data(), fds.size(), timeout_ms) <= 0) return;
    server.dispatch(fds, [this](const ControlRequest& r, ClientId c) { return handle(r, c); });
  }
};

Daemon start(const std::string& path) {
  auto server = ControlServer::listen(path, ::geteuid());
  if (!server) {
    ADD_FAILURE() << server.error().to_string();
    std::abort();
  }
  return Daemon{std::move(*server)};
}

// Pumps the daemon until `count` lines arrived on `client` or 5 s passed.
std::vector<std::string> read_lines(Daemon& daemon, int client, std::size_t count) {
  std::vector<std::string> lines;
  std::string buffer;
  const auto deadline = steady_clock::now() + std::chrono::seconds(5);
  while (lines.size() < count && steady_clock::now() < deadline) {
    daemon.pump();
    std::array<char, 4096> chunk{};
    const ssize_t n = ::recv(client, chunk.data(), chunk.size(), MSG_DONTWAIT);
    if (n == 0) break;
    if (n > 0) buffer.append(chunk.data(), static_cast<std::size_t>(n));
    for (std::size_t nl = buffer.find('\n'); nl != std::string::npos; nl = buffer.find('\n')) {
      lines.push_back(buffer.substr(0, nl));
      buffer.erase(0, nl + 1);
    }
  }
  return lines;
}

nlohmann::json json_of(const std::string& line) { return nlohmann::json::parse(line); }

TEST(ControlServer, AnswersARequest) {
  const TempDir dir;
  Daemon daemon = start(dir.file("fwp.sock"));
  const int client = connect_client(dir.file("fwp.sock"));
  ASSERT_GE(client, 0);
  send_all(client, "{\"verb\":\"stats\"}\n");
  const auto lines = read_lines(daemon, client, 1);
  ASSERT_EQ(lines.size(), 1U);
  EXPECT_EQ(json_of(lines[0]), json_of(R"({"ok":true,"verb":"stats"})"));
  EXPECT_EQ(daemon.server.stats().clients_accepted, 1U);
  EXPECT_EQ(daemon.server.stats().requests, 1U);
  EXPECT_EQ(daemon.server.client_count(), 1U);
  ::close(client);
  for (int i = 0; i < 20 && daemon.server.client_count() != 0; ++i) daemon.pump();
  EXPECT_EQ(daemon.server.client_count(), 0U);
}

TEST(ControlServer, TwoRequestsInOneWriteGetTwoResponses) {
  const TempDir dir;
  Daemon daemon = start(dir.file("fwp.sock"));
  const int client = connect_client(dir.file("fwp.sock"));
  send_all(client, "{\"verb\":\"flows\"}\n{\"verb\":\"filter delete\",\"id\":7}\r\n");
  const auto lines = read_lines(daemon, client, 2);
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_EQ(json_of(lines[0])["verb"], "flows");
  EXPECT_EQ(json_of(lines[1])["id"], 7);
  ::close(client);
}

TEST(ControlServer, RequestSplitAcrossWrites) {
  const TempDir dir;
  Daemon daemon = start(dir.file("fwp.sock"));
  const int client = connect_client(dir.file("fwp.sock"));
  send_all(client, "{\"verb\":\"fil");
  for (int i = 0; i < 5; ++i) daemon.pump();
  EXPECT_EQ(daemon.handled, 0);
  send_all(client, "ter list\"}\n");
  const auto lines = read_lines(daemon, client, 1);
  ASSERT_EQ(lines.size(), 1U);
  EXPECT_EQ(json_of(lines[0])["verb"], "filter list");
  ::close(client);
}

TEST(ControlServer, ParseErrorIsAnsweredWithoutTheHandler) {
  const TempDir dir;
  Daemon daemon = start(dir.file("fwp.sock"));
  const int client = connect_client(dir.file("fwp.sock"));
  send_all(client, "{\"verb\":\"explode\"}\n{\"verb\":\"stats\"}\n");
  const auto lines = read_lines(daemon, client, 2);
  ASSERT_EQ(lines.size(), 2U);
  const auto error = json_of(lines[0]);
  EXPECT_EQ(error["ok"], false);
  EXPECT_EQ(error["error"]["code"], "parse error");
  EXPECT_NE(error["error"]["message"].get<std::string>().find("unknown verb \"explode\""),
            std::string::npos);
  EXPECT_EQ(json_of(lines[1])["ok"], true);  // the connection survives a bad line
  EXPECT_EQ(daemon.handled, 1);
  EXPECT_EQ(daemon.server.stats().parse_errors, 1U);
  ::close(client);
}

TEST(ControlServer, EventSubscribersReceiveBroadcasts) {
  const TempDir dir;
  Daemon daemon = start(dir.file("fwp.sock"));
  const int subscriber = connect_client(dir.file("fwp.sock"));
  const int bystander = connect_client(dir.file("fwp.sock"));
  send_all(subscriber, "{\"verb\":\"events\"}\n");
  send_all(bystander, "{\"verb\":\"stats\"}\n");
  ASSERT_EQ(read_lines(daemon, subscriber, 1).size(), 1U);
  ASSERT_EQ(read_lines(daemon, bystander, 1).size(), 1U);
  EXPECT_EQ(daemon.server.subscriber_count(), 1U);
  daemon.server.broadcast_event(R"({"event":"drop","filter":3})");
  daemon.server.broadcast_event(R"({"event":"allow","filter":4})");
  const auto lines = read_lines(daemon, subscriber, 2);
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_EQ(json_of(lines[0])["event"], "drop");
  EXPECT_EQ(json_of(lines[1])["event"], "allow");
  char byte = 0;
  EXPECT_EQ(::recv(bystander, &byte, 1, MSG_DONTWAIT), -1);  // nothing for a non-subscriber
  ::close(subscriber);
  ::close(bystander);
}

TEST(ControlServer, SlowSubscriberIsDropped) {
  const TempDir dir;
  Daemon daemon = start(dir.file("fwp.sock"));
  const int subscriber = connect_client(dir.file("fwp.sock"));
  send_all(subscriber, "{\"verb\":\"events\"}\n");
  ASSERT_EQ(read_lines(daemon, subscriber, 1).size(), 1U);
  // The subscriber stops reading: 8 MiB of events exceed its 4 MiB allowance plus whatever
  // the kernel's socket buffers absorb.
  const std::string event = "{\"pad\":\"" + std::string(std::size_t{64} * 1024, 'x') + "\"}";
  for (int i = 0; i < 128 && daemon.server.subscriber_count() == 1; ++i) {
    daemon.server.broadcast_event(event);
  }
  EXPECT_EQ(daemon.server.subscriber_count(), 0U);
  EXPECT_EQ(daemon.server.client_count(), 0U);
  EXPECT_EQ(daemon.server.stats().dropped_subscribers, 1U);
  ::close(subscriber);
}

TEST(ControlServer, ReplacesAStaleSocketFile) {
  const TempDir dir;
  const std::string path = dir.file("fwp.sock");
  {
    // A daemon that died: the socket file stays, nobody listens.
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    const sockaddr_un address = address_of(path);
    ASSERT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)), 0);
    ::close(fd);
  }
  ASSERT_TRUE(std::filesystem::exists(path));
  Daemon daemon = start(path);
  const int client = connect_client(path);
  ASSERT_GE(client, 0);
  send_all(client, "{\"verb\":\"reload\"}\n");
  EXPECT_EQ(read_lines(daemon, client, 1).size(), 1U);
  ::close(client);
}

TEST(ControlServer, RefusesAPathAnotherDaemonListensOn) {
  const TempDir dir;
  const std::string path = dir.file("fwp.sock");
  Daemon first = start(path);
  auto second = ControlServer::listen(path);
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().message.find("already listening on " + path), std::string::npos)
      << second.error().message;
  // The first daemon's socket is untouched.
  first.pump();
  const int client = connect_client(path);
  ASSERT_GE(client, 0);
  send_all(client, "{\"verb\":\"stats\"}\n");
  EXPECT_EQ(read_lines(first, client, 1).size(), 1U);
  ::close(client);
}

TEST(ControlServer, RefusesToReplaceAFileThatIsNotASocket) {
  const TempDir dir;
  const std::string path = dir.file("fwp.sock");
  std::ofstream(path) << "not a socket";
  auto server = ControlServer::listen(path);
  ASSERT_FALSE(server);
  EXPECT_NE(server.error().message.find("is not a socket"), std::string::npos);
  EXPECT_TRUE(std::filesystem::is_regular_file(path));
}

TEST(ControlServer, CreatesA0700DirectoryAnd0600SocketAndUnlinksItOnExit) {
  const TempDir dir;
  const std::string path = dir.file("run/fwp.sock");
  {
    Daemon daemon = start(path);
    struct stat info {};
    ASSERT_EQ(::stat(dir.file("run").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 07777, 0700U);
    ASSERT_EQ(::lstat(path.c_str(), &info), 0);
    EXPECT_TRUE(S_ISSOCK(info.st_mode));
    EXPECT_EQ(info.st_mode & 07777, 0600U);
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(ControlServer, RejectsAnOverlongPath) {
  const std::string path = "/tmp/" + std::string(200, 'p');
  auto server = ControlServer::listen(path);
  ASSERT_FALSE(server);
  EXPECT_NE(server.error().message.find("the limit is 107"), std::string::npos);
}

TEST(ControlServer, OverlongLineWithoutNewlineIsRefused) {
  const TempDir dir;
  Daemon daemon = start(dir.file("fwp.sock"));
  const int client = connect_client(dir.file("fwp.sock"));
  // A writer thread, since the kernel buffer cannot hold 1 MiB while the test also pumps.
  std::thread writer([client] {
    const std::string junk(kMaxControlLine + 4096, 'j');
    ::send(client, junk.data(), junk.size(), MSG_NOSIGNAL);
  });
  const auto lines = read_lines(daemon, client, 1);
  writer.join();
  ASSERT_EQ(lines.size(), 1U);
  EXPECT_NE(lines[0].find("without a newline"), std::string::npos) << lines[0];
  EXPECT_EQ(daemon.handled, 0);
  ::close(client);
}

TEST(ControlCall, TalksToTheServer) {
  const TempDir dir;
  const std::string path = dir.file("fwp.sock");
  Daemon daemon = start(path);
  std::vector<std::string> got;
  Result<void> outcome;
  std::thread client([&] {
    ControlRequest request;
    request.verb = ControlVerb::kFilterDelete;
    request.filter_id = 99;
    outcome = control_call(path, request, [&](std::string_view line) {
      got.emplace_back(line);
      return false;
    });
  });
  const auto deadline = steady_clock::now() + std::chrono::seconds(5);
  while (steady_clock::now() < deadline && daemon.handled == 0) daemon.pump();
  for (int i = 0; i < 10; ++i) daemon.pump();
  client.join();
  ASSERT_TRUE(outcome) << outcome.error().to_string();
  ASSERT_EQ(got.size(), 1U);
  EXPECT_EQ(json_of(got[0])["id"], 99);
}

TEST(ControlCall, ExplainsAMissingSocket) {
  const TempDir dir;
  const std::string path = dir.file("absent.sock");
  auto outcome = control_call(path, ControlRequest{}, [](std::string_view) { return false; });
  ASSERT_FALSE(outcome);
  EXPECT_EQ(outcome.error().message, "is `fwp serve` running? no control socket at " + path);
}

TEST(ControlCall, ExplainsARefusedConnection) {
  const TempDir dir;
  const std::string path = dir.file("stale.sock");
  const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  const sockaddr_un address = address_of(path);
  ASSERT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)), 0);
  ::close(fd);
  auto outcome = control_call(path, ControlRequest{}, [](std::string_view) { return false; });
  ASSERT_FALSE(outcome);
  EXPECT_NE(outcome.error().message.find("connection refused"), std::string::npos);
}

TEST(ControlServer, RejectsPeersThatAreNotRoot) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to run a client as another uid";
  const TempDir dir;
  const std::string path = dir.file("fwp.sock");
  auto server = ControlServer::listen(path);  // root only
  ASSERT_TRUE(server) << server.error().to_string();
  Daemon daemon{std::move(*server)};
  // Let the unprivileged child reach the socket; the uid check is what must refuse it.
  ::chmod(dir.path().c_str(), 0755);
  ::chmod(path.c_str(), 0666);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::setuid(65534) != 0) ::_exit(10);
    const int fd = connect_client(path);
    if (fd < 0) ::_exit(11);
    const std::string request = "{\"verb\":\"stats\"}\n";
    ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    std::string in;
    std::array<char, 512> chunk{};
    for (ssize_t n = 0; (n = ::recv(fd, chunk.data(), chunk.size(), 0)) > 0;) {
      in.append(chunk.data(), static_cast<std::size_t>(n));
    }
    const bool ok =
        in.find("only root may manage the firewall (peer uid 65534)") != std::string::npos &&
        in.find("\"ok\":false") != std::string::npos &&
        in.find("\"code\":\"usage error\"") != std::string::npos;
    ::_exit(ok ? 0 : 12);
  }
  int status = 0;
  const auto deadline = steady_clock::now() + std::chrono::seconds(5);
  pid_t done = 0;
  while (done == 0 && steady_clock::now() < deadline) {
    daemon.pump();
    done = ::waitpid(child, &status, WNOHANG);
  }
  if (done == 0) {
    ::kill(child, SIGKILL);
    ::waitpid(child, &status, 0);
    FAIL() << "the unprivileged client did not finish";
  }
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(daemon.handled, 0);
  EXPECT_EQ(daemon.server.stats().rejected_peers, 1U);
  EXPECT_EQ(daemon.server.client_count(), 0U);
}

}  // namespace
}  // namespace openfwp::live
