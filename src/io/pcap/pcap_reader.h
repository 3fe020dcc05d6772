// SPDX-License-Identifier: Apache-2.0
// PcapReader: the frames of a pcap or pcapng capture, one at a time, through libpcap — the
// packet source under `fwp replay` (issue #5). It only reads frames; decoding them is io/wire.
//
// Both formats, every link type and both timestamp precisions are libpcap's (the file is opened
// with nanosecond precision, so microsecond files are scaled). What this wrapper adds is the
// error policy of design.md: a capture is untrusted input, so nothing in it may crash the reader,
// and every failure is an Error that names the file and what failed:
//   "capture.pcap: not a pcap or pcapng file"
//   "capture.pcap: empty file (not a pcap or pcapng file)"
//   "capture.pcap: truncated after frame 41 (record at byte offset 5120): truncated dump file;
//    tried to read 1514 captured bytes, only got 302"
// A truncated or corrupt record ends the capture with an error after every complete frame before
// it was returned — never a silent short read. Frame numbers in messages are 1-based, as
// Wireshark and `tcpdump -#` show them; CapturedFrame::index is 0-based.
//
// Thread-safety: a reader is used by one thread at a time; distinct readers are independent.
#pragma once

#include "common/result.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace openfwp::io::pcap {

/// One record of a capture, as libpcap returned it.
struct CapturedFrame {
  /// Position in the capture, from 0 (Wireshark's frame number is index + 1).
  std::uint64_t index = 0;
  /// Capture time in nanoseconds since the Unix epoch (microsecond files are scaled by 1000).
  std::int64_t timestamp_ns = 0;
  /// Length of the frame on the wire; larger than bytes.size() when the snap length cut it.
  std::uint32_t original_length = 0;
  /// The captured bytes (caplen of them). Valid until the next call to PcapReader::next() or
  /// the reader's destruction.
  std::span<const std::uint8_t> bytes;

  /// True when the capture holds fewer bytes than were on the wire (caplen < len).
  bool cut_by_snap_length() const { return bytes.size() < original_length; }
};

/// Container format, told by the file's first four bytes.
enum class CaptureFormat : std::uint8_t {
  kPcap,    ///< libpcap's classic format (micro- or nanosecond magic, either byte order)
  kPcapng,  ///< pcapng (section header block magic 0x0A0D0D0A)
};

/// Reads a capture file frame by frame. Move-only; owns the libpcap handle (and, for
/// open_memory, a copy of the bytes).
class PcapReader {
 public:
  // --- Opening: the file header is read and checked; errors name the file. ---

  /// Opens the capture at `path`. Errors (ErrorCode::kIo when the file cannot be opened,
  /// kParse when it is not a capture libpcap can read) carry `path` in Error::where.file.
  static Result<PcapReader> open(const std::string& path);

  /// Reads a capture from memory (for fuzzing and tests). The bytes are copied, so `bytes` need
  /// not outlive the reader. `name` stands for the file in error messages.
  static Result<PcapReader> open_memory(std::span<const std::uint8_t> bytes,
                                        std::string name = "<memory>");

  PcapReader(PcapReader&&) noexcept;
  PcapReader& operator=(PcapReader&&) noexcept;
  PcapReader(const PcapReader&) = delete;
  PcapReader& operator=(const PcapReader&) = delete;
  ~PcapReader();

  // --- What the header says (fixed for the whole capture). ---

  /// The file name given to open() (or open_memory's `name`).
  const std::string& name() const;
  /// pcap or pcapng.
  CaptureFormat format() const;
  /// The link-layer header type: a LINKTYPE_/DLT_ value (1 = Ethernet, 113 = Linux SLL,
  /// 276 = Linux SLL2, …), as pcap_datalink() reports it.
  int link_type() const;
  /// libpcap's name for link_type() ("EN10MB", "LINUX_SLL", "LINUX_SLL2"), or "DLT_<n>" for a
  /// type libpcap does not name.
  std::string_view link_type_name() const;
  /// The capture's snap length: no frame holds more bytes than this.
  std::uint32_t snap_length() const;

  // --- Reading. ---

  /// The next frame; std::nullopt at the clean end of the capture (and on every call after).
  /// A truncated or malformed record is an Error (kParse) naming the file, the last good frame
  /// and the record's byte offset; the reader then stays failed and returns that error again.
  Result<std::optional<CapturedFrame>> next();

  /// How many frames next() has returned so far.
  std::uint64_t frames_read() const;

 private:
  struct State;
  explicit PcapReader(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

/// "pcap" or "pcapng".
std::string_view capture_format_name(CaptureFormat format);

}  // namespace openfwp::io::pcap
