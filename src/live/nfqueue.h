// SPDX-License-Identifier: Apache-2.0
// NfQueue: one netfilter queue (NFQUEUE target) bound over NETLINK_NETFILTER. Packets come in
// whole, with the hook they were queued at and the socket's uid; verdicts go back.
#pragma once

#include "common/result.h"
#include "live/netfilter_socket.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <span>

namespace openfwp::live {

/// One packet the kernel queued to us.
struct QueuedPacket {
  std::uint32_t id = 0;                   ///< the kernel's packet id, echoed in the verdict
  std::uint8_t hook = 0;                  ///< NF_INET_LOCAL_IN (1) or NF_INET_LOCAL_OUT (3)
  std::uint16_t family_hw_protocol = 0;   ///< ETH_P_IP / ETH_P_IPV6 (host order)
  std::span<const std::uint8_t> payload;  ///< the IP packet; valid during the callback only
  std::optional<std::uint32_t> uid;       ///< owner of the local socket, when the kernel knows it
  std::uint32_t mark = 0;                 ///< the packet's nfmark (skb->mark)
};

/// kRepeatMarked: set the packet's nfmark and send it through the hook again (NF_REPEAT), so
/// the daemon's rules save the mark to the connection (decision 0006: the fast path).
enum class Verdict : std::uint8_t { kAccept, kDrop, kRepeatMarked };

class NfQueue {
 public:
  struct Options {
    std::uint16_t queue_num = 0;
    bool fail_open = false;        ///< NFQA_CFG_F_FAIL_OPEN: accept when the queue is full
    std::uint32_t max_len = 4096;  ///< packets the kernel holds for us before it drops (or accepts)
  };
  struct Stats {
    std::uint64_t packets = 0;
    std::uint64_t accepted = 0;
    std::uint64_t dropped = 0;
    std::uint64_t marked = 0;  ///< sent back through the hook with a connection mark to save
    std::uint64_t netlink_errors = 0;  ///< error acks from the kernel to our messages
    /// The socket's buffer overflowed: the kernel lost verdict requests.
    std::uint64_t enobufs = 0;
  };

  /// Binds queue `options.queue_num` for IPv4 and IPv6, copying whole packets.
  static Result<NfQueue> open(const Options& options);
  int fd() const { return socket_.fd(); }
  /// Reads what is pending (without blocking) and calls `on_packet` for each packet. Every
  /// packet must get a verdict, in the callback or later.
  Result<void> receive(const std::function<void(const QueuedPacket&)>& on_packet);
  /// The verdict on packet `id`; `mark` is the nfmark of a kRepeatMarked verdict.
  Result<void> verdict(std::uint32_t id, Verdict verdict, std::uint32_t mark = 0);
  const Stats& stats() const { return stats_; }

 private:
  NfQueue(NetfilterSocket socket, std::uint16_t queue_num)
      : socket_(std::move(socket)), queue_num_(queue_num) {}
  Result<void> configure(const Options& options);

  NetfilterSocket socket_;
  std::uint16_t queue_num_ = 0;
  Stats stats_;
};

}  // namespace openfwp::live
