// SPDX-License-Identifier: Apache-2.0
// NetfilterSocket over libmnl.
#include "live/netfilter_socket.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/socket.h>
#include <utility>

namespace openfwp::live {
namespace {

constexpr int kReadsPerDrain = 64;

}  // namespace

Result<void> NetfilterSocket::errno_error(const std::string& what) const {
  return fail(ErrorCode::kIo, fmt::format("{}: {}: {}", who_, what, std::strerror(errno)));
}

Result<NetfilterSocket> NetfilterSocket::open(std::string who, int receive_buffer,
                                              std::size_t buffer_size) {
  NetfilterSocket s(std::move(who), buffer_size);
  s.socket_ = mnl_socket_open(NETLINK_NETFILTER);
  if (s.socket_ == nullptr) {
    OPENFWP_TRY_VOID(s.errno_error("cannot open a NETLINK_NETFILTER socket"));
  }
  if (mnl_socket_bind(s.socket_, 0, MNL_SOCKET_AUTOPID) < 0) {
    OPENFWP_TRY_VOID(s.errno_error("cannot bind the netlink socket"));
  }
  setsockopt(s.fd(), SOL_SOCKET, SO_RCVBUFFORCE, &receive_buffer, sizeof receive_buffer);
  if (fcntl(s.fd(), F_SETFL, fcntl(s.fd(), F_GETFL) | O_NONBLOCK) < 0) {
    OPENFWP_TRY_VOID(s.errno_error("cannot make the socket non-blocking"));
  }
  return s;
}

NetfilterSocket::NetfilterSocket(NetfilterSocket&& other) noexcept
    : who_(std::move(other.who_)),
      socket_(std::exchange(other.socket_, nullptr)),
      buffer_(std::move(other.buffer_)) {}

NetfilterSocket::~NetfilterSocket() {
  if (socket_ != nullptr) mnl_socket_close(socket_);
}

Result<void> NetfilterSocket::send(const nlmsghdr* nlh, const std::string& what) const {
  if (mnl_socket_sendto(socket_, nlh, nlh->nlmsg_len) < 0) return errno_error(what);
  return {};
}

Result<void> NetfilterSocket::drain(mnl_cb_t callback, void* data, bool multicast,
                                    std::uint64_t& overflows, std::uint64_t& errors) {
  const std::uint32_t port = multicast ? 0 : port_id();
  for (int i = 0; i < kReadsPerDrain; ++i) {
    const ssize_t n = mnl_socket_recvfrom(socket_, buffer_.data(), buffer_.size());
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return {};
      if (errno == ENOBUFS) {
        ++overflows;
        continue;
      }
      return errno_error("cannot receive");
    }
    if (mnl_cb_run(buffer_.data(), static_cast<std::size_t>(n), 0, port, callback, data) < 0) {
      ++errors;
    }
  }
  return {};
}

}  // namespace openfwp::live
