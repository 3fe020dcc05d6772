// SPDX-License-Identifier: Apache-2.0
// ConntrackEvents over libmnl, parsed by libnetfilter_conntrack's nfct_nlmsg_parse.
#include "live/conntrack_events.h"

#include <fmt/format.h>

#include <arpa/inet.h>
#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <libnetfilter_conntrack/libnetfilter_conntrack.h>
#include <linux/netfilter/nfnetlink.h>
#include <memory>
#include <sys/socket.h>
#include <utility>

namespace openfwp::live {
namespace {

struct Context {
  const std::function<void(const DestroyedConnection&)>* on_destroy = nullptr;
  ConntrackEvents::Stats* stats = nullptr;
};

IpAddress address(const nf_conntrack* ct, bool v6, int v4_attr, int v6_attr) {
  if (!v6)
    return IpAddress::from_v4(
        ntohl(nfct_get_attr_u32(ct, static_cast<nf_conntrack_attr>(v4_attr))));
  Ipv6Address bytes{};
  std::memcpy(bytes.data(), nfct_get_attr(ct, static_cast<nf_conntrack_attr>(v6_attr)),
              bytes.size());
  return IpAddress::from_v6(bytes);
}

int on_message(const nlmsghdr* nlh, void* data) {
  auto& context = *static_cast<Context*>(data);
  std::unique_ptr<nf_conntrack, decltype(&nfct_destroy)> ct(nfct_new(), nfct_destroy);
  if (!ct || nfct_nlmsg_parse(nlh, ct.get()) < 0) return MNL_CB_OK;
  DestroyedConnection c;
  const bool v6 = nfct_get_attr_u8(ct.get(), ATTR_ORIG_L3PROTO) == AF_INET6;
  c.protocol = nfct_get_attr_u8(ct.get(), ATTR_ORIG_L4PROTO);
  c.source = address(ct.get(), v6, ATTR_ORIG_IPV4_SRC, ATTR_ORIG_IPV6_SRC);
  c.destination = address(ct.get(), v6, ATTR_ORIG_IPV4_DST, ATTR_ORIG_IPV6_DST);
  if (c.protocol == IPPROTO_ICMP || c.protocol == IPPROTO_ICMPV6) {
    c.source_port = ntohs(nfct_get_attr_u16(ct.get(), ATTR_ICMP_ID));
  } else if (nfct_attr_is_set(ct.get(), ATTR_ORIG_PORT_SRC) > 0) {
    c.source_port = ntohs(nfct_get_attr_u16(ct.get(), ATTR_ORIG_PORT_SRC));
    c.destination_port = ntohs(nfct_get_attr_u16(ct.get(), ATTR_ORIG_PORT_DST));
  }
  ++context.stats->events;
  (*context.on_destroy)(c);
  return MNL_CB_OK;
}

}  // namespace

Result<ConntrackEvents> ConntrackEvents::open() {
  OPENFWP_TRY(NetfilterSocket socket, NetfilterSocket::open("conntrack events", 4 << 20, 8192));
  int group = NFNLGRP_CONNTRACK_DESTROY;
  if (mnl_socket_setsockopt(socket.get(), NETLINK_ADD_MEMBERSHIP, &group, sizeof group) < 0) {
    OPENFWP_TRY_VOID(socket.errno_error("cannot join the destroy-event group"));
  }
  return ConntrackEvents(std::move(socket));
}

Result<void> ConntrackEvents::receive(
    const std::function<void(const DestroyedConnection&)>& on_destroy) {
  Context context{&on_destroy, &stats_};
  return socket_.drain(on_message, &context, true, stats_.overflows, stats_.unparsed);
}

}  // namespace openfwp::live
