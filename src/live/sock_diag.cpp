// SPDX-License-Identifier: Apache-2.0
// SockDiag over a raw NETLINK_SOCK_DIAG socket: one request, one reply, matched by sequence.
#include "live/sock_diag.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <utility>

namespace openfwp::live {
namespace {

constexpr std::uint8_t kTcpTimeWait = 6;  // include/net/tcp_states.h
constexpr std::uint8_t kTcpListen = 10;

std::string endpoint_text(const IpAddress& address, std::uint16_t port) {
  return address.is_v6 ? fmt::format("[{}]:{}", address.to_string(), port)
                       : fmt::format("{}:{}", address.to_string(), port);
}

std::string tuple_text(const flow::FlowKey& key) {
  return fmt::format("local {} remote {}", endpoint_text(key.local, key.local_port),
                     endpoint_text(key.remote, key.remote_port));
}

void put_address(const IpAddress& address, __be32 (&out)[4]) {
  if (address.is_v6) {
    std::memcpy(out, address.v6.data(), 16);
  } else {
    out[0] = htonl(address.v4);  // IpAddress keeps v4 in host order, the kernel wants network
  }
}

struct Request {
  nlmsghdr header;
  inet_diag_req_v2 body;
};

}  // namespace

Result<SockDiag> SockDiag::open() {
  const int fd = ::socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) {
    return fail(ErrorCode::kIo, fmt::format("sock_diag: cannot open a NETLINK_SOCK_DIAG socket: {}",
                                            std::strerror(errno)));
  }
  // The kernel answers synchronously, so a second without a reply means something is broken;
  // waiting longer would stall every packet queued behind this lookup.
  const timeval timeout{.tv_sec = 1, .tv_usec = 0};
  if (::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout) != 0) {
    const int saved = errno;
    ::close(fd);
    return fail(ErrorCode::kIo,
                fmt::format("sock_diag: cannot set the receive timeout: {}", std::strerror(saved)));
  }
  return SockDiag(fd);
}

SockDiag::SockDiag(SockDiag&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), sequence_(other.sequence_), stats_(other.stats_) {}

SockDiag& SockDiag::operator=(SockDiag&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    sequence_ = other.sequence_;
    stats_ = other.stats_;
  }
  return *this;
}

SockDiag::~SockDiag() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::optional<SocketOwner>> SockDiag::tcp_lookup(const flow::FlowKey& key) {
  OPENFWP_TRY(auto found, lookup(key, true));
  if (!found) return std::nullopt;
  return found->owner;
}

Result<std::optional<SocketOwner>> SockDiag::udp_lookup(const flow::FlowKey& key) {
  OPENFWP_TRY(auto found, lookup(key, false));
  if (!found) return std::nullopt;
  return found->owner;
}

Result<void> SockDiag::destroy_tcp(const flow::FlowKey& key) {
  // Look first, then destroy by cookie: a tuple whose socket is gone resolves to the listener,
  // and the cookie makes the kernel refuse (-ENOENT) if the socket changed in between.
  OPENFWP_TRY(auto found, lookup(key, true));
  if (!found || found->owner.state == kTcpListen || found->owner.state == kTcpTimeWait) return {};
  OPENFWP_TRY_VOID(request(Query::kDestroy, key, true, found->cookie));
  return {};
}

Result<std::optional<SockDiag::Found>> SockDiag::lookup(const flow::FlowKey& key, bool tcp) {
  OPENFWP_TRY(auto found, request(Query::kLookup, key, tcp, nullptr));
  if (found) ++stats_.found;
  return found;
}

Result<std::optional<SockDiag::Found>> SockDiag::request(Query query, const flow::FlowKey& key,
                                                         bool tcp, const std::uint32_t* cookie) {
  ++stats_.queries;
  const char* what = query == Query::kDestroy ? "TCP destroy" : tcp ? "TCP lookup" : "UDP lookup";
  const auto failure = [&](const std::string& reason) {
    ++stats_.errors;
    return fail(ErrorCode::kIo,
                fmt::format("sock_diag: {} of {}: {}", what, tuple_text(key), reason));
  };
  if (key.local.is_v6 != key.remote.is_v6) return failure("mixed IPv4 and IPv6 addresses");

  Request message{};
  message.header.nlmsg_len = sizeof message;
  message.header.nlmsg_type = query == Query::kDestroy ? SOCK_DESTROY : SOCK_DIAG_BY_FAMILY;
  // A destroy answers nothing on success, so it asks for the ack; a lookup's reply is its ack.
  message.header.nlmsg_flags = query == Query::kDestroy ? NLM_F_REQUEST | NLM_F_ACK : NLM_F_REQUEST;
  message.header.nlmsg_seq = ++sequence_;
  inet_diag_req_v2& body = message.body;
  body.sdiag_family = key.local.is_v6 ? AF_INET6 : AF_INET;
  body.sdiag_protocol = tcp ? IPPROTO_TCP : IPPROTO_UDP;
  body.idiag_states = ~0U;
  // TCP is asked from the socket's view, UDP from the arriving datagram's (see the header).
  const bool local_is_source = tcp;
  const IpAddress& source = local_is_source ? key.local : key.remote;
  const IpAddress& destination = local_is_source ? key.remote : key.local;
  body.id.idiag_sport = htons(local_is_source ? key.local_port : key.remote_port);
  body.id.idiag_dport = htons(local_is_source ? key.remote_port : key.local_port);
  put_address(source, body.id.idiag_src);
  put_address(destination, body.id.idiag_dst);
  body.id.idiag_cookie[0] = cookie != nullptr ? cookie[0] : INET_DIAG_NOCOOKIE;
  body.id.idiag_cookie[1] = cookie != nullptr ? cookie[1] : INET_DIAG_NOCOOKIE;

  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  ssize_t sent = 0;
  do {
    sent = ::sendto(fd_, &message, sizeof message, 0, reinterpret_cast<sockaddr*>(&kernel),
                    sizeof kernel);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0) return failure(fmt::format("send failed: {}", std::strerror(errno)));

  // Aligned for nlmsghdr; a reply without extensions is ~100 bytes, so this holds any batch.
  alignas(nlmsghdr) char buffer[8192];
  for (;;) {
    ssize_t received = 0;
    do {
      received = ::recv(fd_, buffer, sizeof buffer, 0);
    } while (received < 0 && errno == EINTR);
    if (received < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return failure("no reply within 1 s");
      return failure(fmt::format("receive failed: {}", std::strerror(errno)));
    }
    auto remaining = static_cast<std::size_t>(received);
    for (auto* reply = reinterpret_cast<nlmsghdr*>(buffer); NLMSG_OK(reply, remaining);
         reply = NLMSG_NEXT(reply, remaining)) {
      // A reply to an earlier query that timed out: not ours, keep reading.
      if (reply->nlmsg_seq != message.header.nlmsg_seq) continue;
      if (reply->nlmsg_type == NLMSG_ERROR) {
        if (reply->nlmsg_len < NLMSG_LENGTH(sizeof(nlmsgerr))) return failure("short error reply");
        const auto* error =
            reinterpret_cast<const nlmsgerr*>(reinterpret_cast<const char*>(reply) + NLMSG_HDRLEN);
        if (error->error == 0) return std::nullopt;  // the ack of a destroy
        if (error->error == -ENOENT) {
          ++stats_.not_found;
          return std::nullopt;
        }
        return failure(std::strerror(-error->error));
      }
      if (reply->nlmsg_type != SOCK_DIAG_BY_FAMILY) {
        return failure(fmt::format("unexpected reply type {}", reply->nlmsg_type));
      }
      if (reply->nlmsg_len < NLMSG_LENGTH(sizeof(inet_diag_msg))) return failure("short reply");
      const auto* diag = reinterpret_cast<const inet_diag_msg*>(
          reinterpret_cast<const char*>(reply) + NLMSG_HDRLEN);
      Found found;
      found.owner.inode = diag->idiag_inode;
      found.owner.uid = diag->idiag_uid;
      found.owner.state = diag->idiag_state;
      found.cookie[0] = diag->id.idiag_cookie[0];
      found.cookie[1] = diag->id.idiag_cookie[1];
      return found;
    }
  }
}

}  // namespace openfwp::live
