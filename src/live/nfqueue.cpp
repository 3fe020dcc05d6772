// SPDX-License-Identifier: Apache-2.0
// NfQueue over libmnl and libnetfilter_queue's message helpers (the nlmsg API, not the
// deprecated nfq_handle one), so the socket is ours to poll and to make non-blocking.
#include "live/nfqueue.h"

#include <fmt/format.h>

#include <arpa/inet.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <sys/socket.h>
#include <vector>

namespace openfwp::live {
namespace {

// A whole 64 KiB packet (GSO packets are up to that) plus the netlink attributes around it.
constexpr std::size_t kBufferSize = 0xffff + 8192;
// A burst must not overflow the socket: ENOBUFS loses packets whose verdict is then never
// given (they wait in the kernel's queue). 8 MiB holds a few thousand full packets.
constexpr int kReceiveBuffer = 8 << 20;

struct ParseState {
  const std::function<void(const QueuedPacket&)>* on_packet = nullptr;
  NfQueue::Stats* stats = nullptr;
};

int on_message(const nlmsghdr* nlh, void* data) {
  auto& state = *static_cast<ParseState*>(data);
  nlattr* attr[NFQA_MAX + 1] = {};
  if (nfq_nlmsg_parse(nlh, attr) < 0 || attr[NFQA_PACKET_HDR] == nullptr) return MNL_CB_OK;
  const auto* header =
      static_cast<const nfqnl_msg_packet_hdr*>(mnl_attr_get_payload(attr[NFQA_PACKET_HDR]));
  QueuedPacket packet;
  packet.id = ntohl(header->packet_id);
  packet.hook = header->hook;
  packet.family_hw_protocol = ntohs(header->hw_protocol);
  if (attr[NFQA_PAYLOAD] != nullptr) {
    packet.payload = {static_cast<const std::uint8_t*>(mnl_attr_get_payload(attr[NFQA_PAYLOAD])),
                      mnl_attr_get_payload_len(attr[NFQA_PAYLOAD])};
  }
  if (attr[NFQA_UID] != nullptr) packet.uid = ntohl(mnl_attr_get_u32(attr[NFQA_UID]));
  if (attr[NFQA_MARK] != nullptr) packet.mark = ntohl(mnl_attr_get_u32(attr[NFQA_MARK]));
  ++state.stats->packets;
  (*state.on_packet)(packet);
  return MNL_CB_OK;
}

}  // namespace

Result<NfQueue> NfQueue::open(const Options& options) {
  OPENFWP_TRY(NetfilterSocket socket,
              NetfilterSocket::open("nfqueue", kReceiveBuffer, kBufferSize));
  NfQueue queue(std::move(socket), options.queue_num);
  OPENFWP_TRY_VOID(queue.configure(options));
  return queue;
}

Result<void> NfQueue::configure(const Options& options) {
  std::vector<char> buf(8192);
  nlmsghdr* nlh = nfq_nlmsg_put(buf.data(), NFQNL_MSG_CONFIG, queue_num_);
  nfq_nlmsg_cfg_put_cmd(nlh, AF_INET, NFQNL_CFG_CMD_BIND);
  OPENFWP_TRY_VOID(socket_.send(nlh, fmt::format("cannot bind queue {}", queue_num_)));

  nlh = nfq_nlmsg_put(buf.data(), NFQNL_MSG_CONFIG, queue_num_);
  nfq_nlmsg_cfg_put_params(nlh, NFQNL_COPY_PACKET, 0xffff);
  // GSO: take large segments whole rather than have the kernel split them for us (throughput);
  // UID_GID: the socket's owner. Not CONNTRACK: it needs CONFIG_NETFILTER_NETLINK_GLUE_CT,
  // which this kernel lacks, and the kernel then refuses the whole message (EOPNOTSUPP).
  std::uint32_t flags = NFQA_CFG_F_GSO | NFQA_CFG_F_UID_GID;
  if (options.fail_open) flags |= NFQA_CFG_F_FAIL_OPEN;
  mnl_attr_put_u32(nlh, NFQA_CFG_FLAGS, htonl(flags));
  mnl_attr_put_u32(nlh, NFQA_CFG_MASK, htonl(flags));
  OPENFWP_TRY_VOID(socket_.send(nlh, "cannot configure the queue"));

  nlh = nfq_nlmsg_put(buf.data(), NFQNL_MSG_CONFIG, queue_num_);
  nfq_nlmsg_cfg_put_qmaxlen(nlh, options.max_len);
  OPENFWP_TRY_VOID(socket_.send(nlh, "cannot set the queue length"));

  int one = 1;
  setsockopt(socket_.fd(), SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof one);
  return {};
}

Result<void> NfQueue::receive(const std::function<void(const QueuedPacket&)>& on_packet) {
  ParseState state{&on_packet, &stats_};
  // An error the kernel returned to one of our messages (a verdict on a packet that timed out,
  // an attribute it refused) leaves the socket usable, so it is counted, not fatal.
  return socket_.drain(on_message, &state, false, stats_.enobufs, stats_.netlink_errors);
}

Result<void> NfQueue::verdict(std::uint32_t id, Verdict verdict, std::uint32_t mark) {
  char buf[1024];
  nlmsghdr* nlh = nfq_nlmsg_put(buf, NFQNL_MSG_VERDICT, queue_num_);
  switch (verdict) {
    case Verdict::kAccept:
      nfq_nlmsg_verdict_put(nlh, static_cast<int>(id), NF_ACCEPT);
      ++stats_.accepted;
      break;
    case Verdict::kDrop:
      nfq_nlmsg_verdict_put(nlh, static_cast<int>(id), NF_DROP);
      ++stats_.dropped;
      break;
    case Verdict::kRepeatMarked:
      // The kernel cannot take a conntrack mark in the verdict here (no
      // NETFILTER_NETLINK_GLUE_CT), but it takes the packet mark: the hook runs again and the
      // daemon's CONNMARK --save-mark rule moves the mark to the connection.
      nfq_nlmsg_verdict_put(nlh, static_cast<int>(id), NF_REPEAT);
      nfq_nlmsg_verdict_put_mark(nlh, mark);
      ++stats_.marked;
      break;
  }
  return socket_.send(nlh, "cannot send a verdict");
}

}  // namespace openfwp::live
