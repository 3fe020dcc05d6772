// SPDX-License-Identifier: Apache-2.0
#include "replay/replay.h"

#include "io/pcap/pcap_reader.h"
#include "io/wire/decode.h"
#include "io/wire/fragment_reassembly.h"
#include "stack/replay_host.h"

#include "replay/observed_packet.h"
#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace openfwp::replay {
namespace {

using io::wire::Anomaly;

// Frames larger than this are not padded back to their wire length (no link carries more).
constexpr std::uint32_t kMaxPaddedFrame = 262144;
constexpr std::uint64_t kProgressEvery = 65536;

Result<io::pcap::PcapReader> open_capture(const ReplayOptions& options, io::wire::LinkType& link) {
  const std::string& path = options.capture_path;
  OPENFWP_TRY(auto reader, options.capture_bytes
                               ? io::pcap::PcapReader::open_memory(*options.capture_bytes, path)
                               : io::pcap::PcapReader::open(path));
  const auto type = io::wire::link_type_from_number(static_cast<std::uint32_t>(reader.link_type()));
  if (!type) {
    Error error{ErrorCode::kParse,
                fmt::format("link type {} ({}) is not one openfwp decodes (Ethernet, Linux cooked "
                            "v1/v2, raw IPv4/IPv6)",
                            reader.link_type(), reader.link_type_name()),
                {}};
    error.where.file = path;
    return tl::unexpected(std::move(error));
  }
  link = *type;
  return reader;
}

// One frame decoded; a frame cut by the snap length is padded back to its wire length with
// zeros first, so its headers decode and its lengths add up (its payload tail is unknown).
struct FrameDecoder {
  io::wire::LinkType link = io::wire::LinkType::kEthernet;
  std::vector<std::uint8_t> padded;

  io::wire::DecodeResult decode(const io::pcap::CapturedFrame& frame, bool& snapped) {
    snapped = frame.cut_by_snap_length() && frame.original_length <= kMaxPaddedFrame;
    if (!snapped) return io::wire::decode_frame(link, frame.bytes);
    padded.assign(frame.bytes.begin(), frame.bytes.end());
    padded.resize(frame.original_length, 0);
    return io::wire::decode_frame(link, padded);
  }
};

// Not IP at all (ARP, LLDP, …): skipped quietly, as a host's IP stack never sees them.
bool is_not_ip(const io::wire::DecodeResult& result) {
  return !result.ok() && !result.packet.has_ip &&
         result.failure->anomaly == Anomaly::kUnknownEthertype;
}

std::uint64_t time_since(std::int64_t first_ns, std::int64_t ns) {
  return ns > first_ns ? static_cast<std::uint64_t>(ns - first_ns) / 1000 : 0;
}

// The first pass: how the local host answered (stack::EndpointHints), and the frame count.
Result<std::uint64_t> learn_endpoints(const ReplayOptions& options, stack::EndpointHints& hints) {
  io::wire::LinkType link{};
  OPENFWP_TRY(auto reader, open_capture(options, link));
  FrameDecoder decoder{link, {}};
  const auto is_local = [&](const IpAddress& a) {
    return std::find(options.locals.begin(), options.locals.end(), a) != options.locals.end();
  };
  std::uint64_t frames = 0;
  while (true) {
    auto frame = reader.next();
    if (!frame || !*frame) break;  // the replay pass reports a broken record
    ++frames;
    bool snapped = false;
    const auto decoded = decoder.decode(**frame, snapped);
    if (!decoded.ok() || decoded.packet.transport == io::wire::Transport::kNone) continue;
    const auto packet = observed_from(decoded.packet, frames, 0);
    hints.learn(packet, is_local(packet.source));
  }
  return frames;
}

// A datagram the reassembler gave up on, reported at the packet that made it give up.
void discard_datagram(stack::ReplayHost& host, const io::wire::DiscardedDatagram& lost,
                      const stack::ObservedPacket& at) {
  stack::ObservedPacket about;
  about.index = at.index;
  about.time_us = at.time_us;
  about.source = lost.key.source;
  about.destination = lost.key.destination;
  about.protocol = lost.key.protocol;
  host.discard_fragments(about, std::string(io::wire::reassembly_discard_name(lost.reason)));
}

}  // namespace

Result<ReplayResult> replay_capture(const ReplayOptions& options, stack::ReplayObserver& observer) {
  stack::EndpointHints hints;
  OPENFWP_TRY(const std::uint64_t total_frames, learn_endpoints(options, hints));

  io::wire::LinkType link{};
  OPENFWP_TRY(auto reader, open_capture(options, link));
  ReplayResult result;
  result.link_type = std::string(reader.link_type_name());
  result.format = std::string(io::pcap::capture_format_name(reader.format()));

  stack::ReplayHost host(options.locals, hints, observer);
  const auto base = host.engine().snapshot();  // the built-in objects
  OPENFWP_TRY_VOID(io::policy::apply_policy(options.policy, host.engine()));
  observer.on_policy(host.engine().snapshot()->store());
  std::vector<const PolicyChange*> changes;
  for (const auto& change : options.changes) changes.push_back(&change);
  std::stable_sort(changes.begin(), changes.end(),
                   [](const auto* a, const auto* b) { return a->at_packet < b->at_packet; });
  auto next_change = changes.begin();

  FrameDecoder decoder{link, {}};
  io::wire::FragmentReassembler fragments;
  std::optional<std::int64_t> first_ns;
  std::uint64_t last_time_us = 0;
  while (true) {
    auto frame = reader.next();
    if (!frame) {
      result.stopped = frame.error();
      break;
    }
    if (!*frame) break;
    const io::pcap::CapturedFrame& captured = **frame;
    const std::uint64_t index = captured.index + 1;
    result.frames = index;
    if (!first_ns) first_ns = captured.timestamp_ns;
    const std::uint64_t time_us = time_since(*first_ns, captured.timestamp_ns);
    last_time_us = std::max(last_time_us, time_us);

    for (; next_change != changes.end() && (*next_change)->at_packet <= index; ++next_change) {
      if (auto replaced =
              io::policy::replace_policy((*next_change)->policy, host.engine(), base->store());
          !replaced) {
        Error error = replaced.error();
        error.message = fmt::format("--policy-change {}:{}: {}", (*next_change)->at_packet,
                                    (*next_change)->file, error.message);
        return tl::unexpected(std::move(error));
      }
      observer.on_policy(host.engine().snapshot()->store());
    }
    if (options.progress && index % kProgressEvery == 0) options.progress(index, total_frames);

    bool snapped = false;
    const auto decoded = decoder.decode(captured, snapped);
    if (is_not_ip(decoded)) {
      ++result.not_ip;
      continue;
    }
    stack::ObservedPacket packet = observed_from(decoded.packet, index, time_us);
    packet.snapped = snapped;
    if (!decoded.ok()) {
      const auto anomaly = std::string(io::wire::anomaly_name(decoded.failure->anomaly));
      const bool has_ip = decoded.packet.has_ip;
      host.observe_malformed(packet, has_ip, anomaly);
      continue;
    }
    const auto now_ns =
        static_cast<std::uint64_t>(std::max<std::int64_t>(captured.timestamp_ns, 0));
    for (const auto& lost : fragments.expire(now_ns)) discard_datagram(host, lost, packet);
    if (!decoded.packet.ip.fragment) {
      host.observe(packet);
      continue;
    }
    // An IP fragment: indicated as itself, then the datagram once reassembled.
    const std::size_t ip_start = decoded.packet.link.header_length;
    const auto bytes = snapped ? std::span<const std::uint8_t>(decoder.padded) : captured.bytes;
    host.observe_fragment(packet);
    auto outcome = fragments.add(decoded.packet, bytes.subspan(ip_start), now_ns, index);
    for (const auto& lost : outcome.evicted) discard_datagram(host, lost, packet);
    if (outcome.status == io::wire::FragmentStatus::kDiscarded && outcome.reason) {
      host.discard_fragments(packet,
                             std::string(io::wire::reassembly_discard_name(*outcome.reason)));
    } else if (outcome.status == io::wire::FragmentStatus::kComplete) {
      const auto whole = io::wire::decode_ip(outcome.packet);
      stack::ObservedPacket rebuilt = observed_from(whole.packet, index, time_us);
      rebuilt.reassembled = true;
      if (whole.ok()) {
        host.observe(rebuilt);
      } else {
        host.observe_malformed(rebuilt, whole.packet.has_ip,
                               std::string(io::wire::anomaly_name(whole.failure->anomaly)));
      }
    }
  }
  stack::ObservedPacket at_end;
  at_end.index = result.frames;
  at_end.time_us = last_time_us;
  for (const auto& lost : fragments.flush()) discard_datagram(host, lost, at_end);
  host.finish();
  if (options.progress) options.progress(result.frames, total_frames);
  result.totals = host.totals();
  return result;
}

}  // namespace openfwp::replay
