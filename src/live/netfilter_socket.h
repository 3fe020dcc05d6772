// SPDX-License-Identifier: Apache-2.0
// NetfilterSocket: a non-blocking NETLINK_NETFILTER socket (libmnl) as the poll loop needs it,
// shared by the packet queue and the conntrack event subscription.
#pragma once

#include "common/result.h"

#include <cstdint>
#include <libmnl/libmnl.h>
#include <string>
#include <vector>

namespace openfwp::live {

class NetfilterSocket {
 public:
  /// Opens and binds the socket, with a `receive_buffer`-byte kernel buffer (a burst must not
  /// overflow it) and `buffer_size` bytes to read into. `who` prefixes error messages.
  static Result<NetfilterSocket> open(std::string who, int receive_buffer, std::size_t buffer_size);
  NetfilterSocket(NetfilterSocket&& other) noexcept;
  NetfilterSocket& operator=(NetfilterSocket&&) = delete;
  ~NetfilterSocket();

  int fd() const { return mnl_socket_get_fd(socket_); }
  mnl_socket* get() const { return socket_; }
  std::uint32_t port_id() const { return mnl_socket_get_portid(socket_); }
  /// Sends one message; `what` says what failed.
  Result<void> send(const nlmsghdr* nlh, const std::string& what) const;
  /// Reads what is pending (a bounded number of reads: the poll loop serves others too) and
  /// runs `callback` on each message. `overflows` counts ENOBUFS (the kernel lost messages);
  /// `errors` counts error messages the kernel sent back, which leave the socket usable.
  /// Replies must carry our port id; multicast events (`multicast`) carry that of whoever
  /// caused them, so they are not checked.
  Result<void> drain(mnl_cb_t callback, void* data, bool multicast, std::uint64_t& overflows,
                     std::uint64_t& errors);
  /// An error naming `what` and errno.
  Result<void> errno_error(const std::string& what) const;

 private:
  NetfilterSocket(std::string who, std::size_t buffer_size)
      : who_(std::move(who)), buffer_(buffer_size) {}

  std::string who_;
  mnl_socket* socket_ = nullptr;
  std::vector<char> buffer_;
};

}  // namespace openfwp::live
