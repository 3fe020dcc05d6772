// SPDX-License-Identifier: Apache-2.0
// What every flow shares: the random payload block, message streams cut from it, and the
// emitter that stamps and counts frames (see capture_flows.h).
#include "capture_flows.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace openfwp::bench {
namespace {

// 64 KiB: larger than any message body's stride through it, small enough to stay in L2.
constexpr std::size_t kBlockSize = 65536;
std::array<std::uint8_t, kBlockSize> g_block{};

}  // namespace

void init_payload_block(Rng& rng) {
  for (std::size_t i = 0; i < kBlockSize; i += 8) {
    const std::uint64_t word = rng.next();
    std::memcpy(g_block.data() + i, &word, 8);
  }
}

std::span<const std::uint8_t> payload_block() { return g_block; }

void MessageStream::copy(std::uint64_t offset, std::uint8_t* out, std::size_t n) const {
  const std::uint64_t length = message_length();
  while (n > 0) {
    const std::uint64_t position = offset % length;
    std::size_t chunk = 0;
    if (position < head.size()) {
      chunk = std::min<std::size_t>(n, head.size() - position);
      std::memcpy(out, head.data() + position, chunk);
    } else {
      const std::uint64_t in_body = position - head.size();
      const std::size_t at = (salt + in_body) % kBlockSize;
      chunk = std::min<std::size_t>({n, body_length - in_body, kBlockSize - at});
      std::memcpy(out, g_block.data() + at, chunk);
    }
    out += chunk;
    offset += chunk;
    n -= chunk;
  }
}

void Emitter::send(std::span<const std::uint8_t> frame) {
  clock_us_ += 1 + rng_.below(20);
  const bool v6 = frame[12] == 0x86;
  const std::size_t ip_length = v6 ? 40 : 20;
  const std::uint8_t protocol = v6 ? frame[kEthernetHeader + 6] : frame[kEthernetHeader + 9];
  if (v6) ++stats_.ipv6;
  if (protocol == kProtoTcp) {
    ++stats_.tcp;
    const std::uint8_t flags = frame[kEthernetHeader + ip_length + 13];
    if ((flags & kSyn) != 0) ++stats_.syn;
    if ((flags & kRst) != 0) ++stats_.rst;
    if ((flags & kFin) != 0) ++stats_.fin;
  } else if (protocol == kProtoUdp) {
    ++stats_.udp;
  } else {
    ++stats_.icmp;
  }
  writer_.write(frame, clock_us_);
}

}  // namespace openfwp::bench
