// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: capture bytes → PcapReader::open_memory → every frame to the end or the
// first error. Properties checked beyond "no crash": every error says something and names the
// capture; each frame's bytes are all readable (ASan sees every byte touched), number no more
// than the snap length, and frame indices count up from 0; after an error or the end, the
// reader stays there.
#include "io/pcap/pcap_reader.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>

namespace {

// Every frame byte is summed into this, so the reads are kept and ASan checks each one.
volatile unsigned byte_sum_sink = 0;

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "pcap_fuzz: %s\n", what);
    std::abort();
  }
}

void require_error(const openfwp::Error& error) {
  require(!error.message.empty(), "error without a message");
  require(error.where.file == "fuzz.pcap", "error does not name the capture");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto reader = openfwp::io::pcap::PcapReader::open_memory(std::span(data, size), "fuzz.pcap");
  if (!reader) {
    require_error(reader.error());
    return 0;
  }
  (void)reader->link_type_name();
  // Bounded: a capture of n bytes has fewer than n frames (each record has a header).
  for (std::size_t round = 0; round <= size; ++round) {
    auto next = reader->next();
    if (!next) {
      require_error(next.error());
      require(!reader->next(), "a failed reader read on");
      return 0;
    }
    if (!next->has_value()) {
      auto after = reader->next();
      require(after && !after->has_value(), "a finished reader read on");
      return 0;
    }
    const auto& frame = **next;
    require(frame.index == round, "frame index out of sequence");
    require(reader->frames_read() == round + 1, "frames_read disagrees with the frames");
    require(frame.bytes.size() <= reader->snap_length(), "frame longer than the snap length");
    unsigned sum = 0;
    for (const std::uint8_t byte : frame.bytes) sum += byte;
    byte_sum_sink = sum;
  }
  require(false, "more frames than bytes");
  return 0;
}
