// SPDX-License-Identifier: Apache-2.0
// NfQueue over libmnl and libnetfilter_queue's message helpers (the nlmsg API, not the
// deprecated nfq_handle one), so the socket is ours to poll and to make non-blocking.
#include "live/nfqueue.h"

#include <fmt/format.h>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netfilter/nfnetlink_queue.h>
#include <sys/socket.h>
#include <utility>

namespace openfwp::live {
namespace {

// A whole 64 KiB packet (GSO packets are up to that) plus the netlink attributes around it.
constexpr std::size_t kBufferSize = 0xffff + 8192;
// Reads per receive() call: the poll loop also serves the control socket and conntrack.
constexpr int kReadsPerCall = 64;

Result<void> errno_error(const std::string& what) {
  return fail(ErrorCode::kIo, fmt::format("nfqueue: {}: {}", what, std::strerror(errno)));
}

struct ParseState {
  const std::function<void(const QueuedPacket&)>* on_packet = nullptr;
  NfQueue::Stats* stats = nullptr;
};

int ct_attribute(const nlattr* attr, void* data) {
  auto* mark = static_cast<std::optional<std::uint32_t>*>(data);
  if (mnl_attr_get_type(attr) == CTA_MARK && mnl_attr_validate(attr, MNL_TYPE_U32) >= 0) {
    *mark = ntohl(mnl_attr_get_u32(attr));
  }
  return MNL_CB_OK;
}

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
  if (attr[NFQA_CT] != nullptr) mnl_attr_parse_nested(attr[NFQA_CT], ct_attribute, &packet.ct_mark);
  ++state.stats->packets;
  (*state.on_packet)(packet);
  return MNL_CB_OK;
}

}  // namespace

NfQueue::NfQueue(NfQueue&& other) noexcept
    : socket_(std::exchange(other.socket_, nullptr)),
      port_id_(other.port_id_),
      queue_num_(other.queue_num_),
      buffer_(std::move(other.buffer_)),
      stats_(other.stats_) {}

NfQueue& NfQueue::operator=(NfQueue&& other) noexcept {
  if (this != &other) {
    if (socket_ != nullptr) mnl_socket_close(socket_);
    socket_ = std::exchange(other.socket_, nullptr);
    port_id_ = other.port_id_;
    queue_num_ = other.queue_num_;
    buffer_ = std::move(other.buffer_);
    stats_ = other.stats_;
  }
  return *this;
}

NfQueue::~NfQueue() {
  if (socket_ != nullptr) mnl_socket_close(socket_);
}

int NfQueue::fd() const { return mnl_socket_get_fd(socket_); }

Result<NfQueue> NfQueue::open(const Options& options) {
  NfQueue queue;
  queue.queue_num_ = options.queue_num;
  queue.buffer_.resize(kBufferSize);
  queue.socket_ = mnl_socket_open(NETLINK_NETFILTER);
  if (queue.socket_ == nullptr) {
    OPENFWP_TRY_VOID(errno_error("cannot open a NETLINK_NETFILTER socket"));
  }
  if (mnl_socket_bind(queue.socket_, 0, MNL_SOCKET_AUTOPID) < 0) {
    OPENFWP_TRY_VOID(errno_error("cannot bind the netlink socket"));
  }
  queue.port_id_ = mnl_socket_get_portid(queue.socket_);
  OPENFWP_TRY_VOID(queue.configure(options));
  return queue;
}

Result<void> NfQueue::configure(const Options& options) {
  std::vector<char> buf(8192);
  auto send = [&](nlmsghdr* nlh, const char* what) -> Result<void> {
    if (mnl_socket_sendto(socket_, nlh, nlh->nlmsg_len) < 0) return errno_error(what);
    return {};
  };
  nlmsghdr* nlh = nfq_nlmsg_put(buf.data(), NFQNL_MSG_CONFIG, queue_num_);
  nfq_nlmsg_cfg_put_cmd(nlh, AF_INET, NFQNL_CFG_CMD_BIND);
  OPENFWP_TRY_VOID(send(nlh, fmt::format("cannot bind queue {}", queue_num_).c_str()));

  nlh = nfq_nlmsg_put(buf.data(), NFQNL_MSG_CONFIG, queue_num_);
  nfq_nlmsg_cfg_put_params(nlh, NFQNL_COPY_PACKET, 0xffff);
  // GSO: take large segments whole rather than have the kernel split them for us (throughput);
  // UID_GID: the socket's owner. Not CONNTRACK: it needs CONFIG_NETFILTER_NETLINK_GLUE_CT,
  // which this kernel lacks, and the kernel then refuses the whole message (EOPNOTSUPP).
  std::uint32_t flags = NFQA_CFG_F_GSO | NFQA_CFG_F_UID_GID;
  if (options.fail_open) flags |= NFQA_CFG_F_FAIL_OPEN;
  mnl_attr_put_u32(nlh, NFQA_CFG_FLAGS, htonl(flags));
  mnl_attr_put_u32(nlh, NFQA_CFG_MASK, htonl(flags));
  OPENFWP_TRY_VOID(send(nlh, "cannot configure the queue"));

  nlh = nfq_nlmsg_put(buf.data(), NFQNL_MSG_CONFIG, queue_num_);
  nfq_nlmsg_cfg_put_qmaxlen(nlh, options.max_len);
  OPENFWP_TRY_VOID(send(nlh, "cannot set the queue length"));

  const int fd = mnl_socket_get_fd(socket_);
  // A burst must not overflow the socket: ENOBUFS loses packets whose verdict is then never
  // given (they wait in the kernel's queue). 8 MiB holds a few thousand full packets.
  const int rcvbuf = 8 << 20;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf);
  int one = 1;
  setsockopt(fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof one);
  if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
    return errno_error("cannot make the socket non-blocking");
  }
  return {};
}

Result<void> NfQueue::receive(const std::function<void(const QueuedPacket&)>& on_packet) {
  ParseState state{&on_packet, &stats_};
  for (int i = 0; i < kReadsPerCall; ++i) {
    const ssize_t n = mnl_socket_recvfrom(socket_, buffer_.data(), buffer_.size());
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return {};
      if (errno == ENOBUFS) {
        ++stats_.enobufs;
        continue;
      }
      return errno_error("cannot receive");
    }
    if (mnl_cb_run(buffer_.data(), static_cast<std::size_t>(n), 0, port_id_, on_message, &state) <
        0) {
      // An error the kernel returned to one of our messages (a verdict on a packet that timed
      // out, an attribute it refused): the socket stays usable, so it is counted, not fatal.
      ++stats_.netlink_errors;
    }
  }
  return {};
}

Result<void> NfQueue::verdict(std::uint32_t id, Verdict verdict,
                              std::optional<std::uint32_t> ct_mark) {
  char buf[1024];
  nlmsghdr* nlh = nfq_nlmsg_put(buf, NFQNL_MSG_VERDICT, queue_num_);
  nfq_nlmsg_verdict_put(nlh, static_cast<int>(id),
                        verdict == Verdict::kAccept ? NF_ACCEPT : NF_DROP);
  if (ct_mark) {
    // The connection's mark, set with the verdict (ctnetlink_glue_parse reads CTA_MARK).
    nlattr* nest = mnl_attr_nest_start(nlh, NFQA_CT);
    mnl_attr_put_u32(nlh, CTA_MARK, htonl(*ct_mark));
    mnl_attr_nest_end(nlh, nest);
    ++stats_.marked;
  }
  ++(verdict == Verdict::kAccept ? stats_.accepted : stats_.dropped);
  if (mnl_socket_sendto(socket_, nlh, nlh->nlmsg_len) < 0)
    return errno_error("cannot send a verdict");
  return {};
}

}  // namespace openfwp::live
