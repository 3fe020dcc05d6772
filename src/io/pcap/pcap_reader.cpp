// SPDX-License-Identifier: Apache-2.0
// PcapReader over libpcap's savefile API: files and memory buffers both become a FILE* handed to
// pcap_fopen_offline_with_tstamp_precision, so both paths share one reader and one error policy.
#include "io/pcap/pcap_reader.h"

#include <fmt/format.h>
#include <pcap/pcap.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <utility>
#include <vector>

namespace openfwp::io::pcap {

struct PcapReader::State {
  std::string name;
  CaptureFormat format = CaptureFormat::kPcap;
  std::vector<std::uint8_t> memory;  // open_memory's copy; fmemopen reads it, so it outlives handle
  pcap_t* handle = nullptr;          // owns the FILE* it was opened on
  int link_type = 0;
  std::string link_type_name;
  std::uint32_t snap_length = 0;
  std::uint64_t frames_read = 0;
  bool at_end = false;
  std::optional<Error> failure;  // once set, every next() returns it

  /// Opens libpcap on `file`, taking ownership of it (closed here on failure, by pcap_close
  /// otherwise), and reads the header's properties.
  Result<void> open_stream(std::FILE* file);

  State() = default;
  State(const State&) = delete;
  State& operator=(const State&) = delete;
  ~State() {
    if (handle != nullptr) pcap_close(handle);
  }
};

namespace {

constexpr std::uint32_t kPcapngMagic = 0x0A0D0D0A;

Error make_error(ErrorCode code, const std::string& name, std::string message) {
  return Error{code, std::move(message), SourceLocation{name, 0, 0}};
}

// The first four bytes, in either byte order, against the magics libpcap 1.10 reads: pcap micro
// and nano, the "modified" pcap of old Red Hat patches, and pcapng's section header block.
bool is_known_magic(std::span<const std::uint8_t> head) {
  if (head.size() < 4) return false;
  const std::uint32_t le = std::uint32_t{head[0]} | std::uint32_t{head[1]} << 8 |
                           std::uint32_t{head[2]} << 16 | std::uint32_t{head[3]} << 24;
  const std::uint32_t be = std::uint32_t{head[3]} | std::uint32_t{head[2]} << 8 |
                           std::uint32_t{head[1]} << 16 | std::uint32_t{head[0]} << 24;
  for (const std::uint32_t magic : {0xA1B2C3D4U, 0xA1B23C4DU, 0xA1B2CD34U, kPcapngMagic}) {
    if (le == magic || be == magic) return true;
  }
  return false;
}

CaptureFormat format_of(std::span<const std::uint8_t> head) {
  // The pcapng magic is a palindrome in byte order, so one comparison covers both.
  const bool pcapng =
      head.size() >= 4 && head[0] == 0x0A && head[1] == 0x0D && head[2] == 0x0D && head[3] == 0x0A;
  return pcapng ? CaptureFormat::kPcapng : CaptureFormat::kPcap;
}

// Checks the header bytes before libpcap sees them, so the common mistakes (an empty file, a
// file of another kind) get our wording instead of libpcap's.
// `size` is the whole file's; a pcap file header is 24 bytes (libpcap's own message for a shorter
// one counts the bytes after the magic, which reads oddly).
std::optional<Error> check_head(std::span<const std::uint8_t> head, std::size_t size,
                                const std::string& name) {
  constexpr std::size_t kPcapFileHeaderSize = 24;
  if (head.empty()) {
    return make_error(ErrorCode::kParse, name, "empty file (not a pcap or pcapng file)");
  }
  if (!is_known_magic(head)) {
    return make_error(ErrorCode::kParse, name, "not a pcap or pcapng file");
  }
  if (format_of(head) == CaptureFormat::kPcap && size < kPcapFileHeaderSize) {
    return make_error(
        ErrorCode::kParse, name,
        fmt::format("truncated pcap file header ({} of {} bytes)", size, kPcapFileHeaderSize));
  }
  return std::nullopt;
}

}  // namespace

Result<void> PcapReader::State::open_stream(std::FILE* file) {
  std::array<char, PCAP_ERRBUF_SIZE> errbuf{};
  handle =
      pcap_fopen_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_NANO, errbuf.data());
  if (handle == nullptr) {
    std::fclose(file);
    return tl::unexpected(make_error(
        ErrorCode::kParse, name,
        fmt::format("bad {} file header: {}", capture_format_name(format), errbuf.data())));
  }
  link_type = pcap_datalink(handle);
  const char* link_name = pcap_datalink_val_to_name(link_type);
  link_type_name = link_name != nullptr ? std::string(link_name) : fmt::format("DLT_{}", link_type);
  const int snapshot = pcap_snapshot(handle);
  snap_length = snapshot > 0 ? static_cast<std::uint32_t>(snapshot) : 0;
  return {};
}

PcapReader::PcapReader(std::unique_ptr<State> state) : state_(std::move(state)) {}
PcapReader::PcapReader(PcapReader&&) noexcept = default;
PcapReader& PcapReader::operator=(PcapReader&&) noexcept = default;
PcapReader::~PcapReader() = default;

Result<PcapReader> PcapReader::open(const std::string& path) {
  auto state = std::make_unique<State>();
  state->name = path;
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    return tl::unexpected(
        make_error(ErrorCode::kIo, path, fmt::format("cannot open: {}", std::strerror(errno))));
  }
  std::array<std::uint8_t, 4> head{};
  const std::size_t got = std::fread(head.data(), 1, head.size(), file);
  const bool read_error = std::ferror(file) != 0;
  long size = -1;
  if (!read_error && std::fseek(file, 0, SEEK_END) == 0) size = std::ftell(file);
  if (read_error || size < 0 || std::fseek(file, 0, SEEK_SET) != 0) {
    const int saved = errno;
    std::fclose(file);
    return tl::unexpected(
        make_error(ErrorCode::kIo, path, fmt::format("cannot read: {}", std::strerror(saved))));
  }
  const std::span<const std::uint8_t> head_bytes(head.data(), got);
  if (auto error = check_head(head_bytes, static_cast<std::size_t>(size), path)) {
    std::fclose(file);
    return tl::unexpected(std::move(*error));
  }
  state->format = format_of(head_bytes);
  OPENFWP_TRY_VOID(state->open_stream(file));
  return PcapReader(std::move(state));
}

Result<PcapReader> PcapReader::open_memory(std::span<const std::uint8_t> bytes, std::string name) {
  auto state = std::make_unique<State>();
  state->name = std::move(name);
  if (auto error = check_head(bytes.first(std::min<std::size_t>(bytes.size(), 4)), bytes.size(),
                              state->name)) {
    return tl::unexpected(std::move(*error));
  }
  state->format = format_of(bytes);
  state->memory.assign(bytes.begin(), bytes.end());
  // Not empty (check_head), so fmemopen gets a non-zero size as POSIX requires.
  std::FILE* file = fmemopen(state->memory.data(), state->memory.size(), "rb");
  if (file == nullptr) {
    return tl::unexpected(make_error(ErrorCode::kIo, state->name,
                                     fmt::format("fmemopen failed: {}", std::strerror(errno))));
  }
  OPENFWP_TRY_VOID(state->open_stream(file));
  return PcapReader(std::move(state));
}

const std::string& PcapReader::name() const { return state_->name; }
CaptureFormat PcapReader::format() const { return state_->format; }
int PcapReader::link_type() const { return state_->link_type; }
std::string_view PcapReader::link_type_name() const { return state_->link_type_name; }
std::uint32_t PcapReader::snap_length() const { return state_->snap_length; }
std::uint64_t PcapReader::frames_read() const { return state_->frames_read; }

Result<std::optional<CapturedFrame>> PcapReader::next() {
  State& state = *state_;
  if (state.failure) return tl::unexpected(*state.failure);
  if (state.at_end) return std::optional<CapturedFrame>{};

  // Where this record starts, for the error message; savefiles are read through stdio.
  const long offset = std::ftell(pcap_file(state.handle));
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  const int status = pcap_next_ex(state.handle, &header, &data);
  if (status == PCAP_ERROR_BREAK) {  // a savefile's clean end
    state.at_end = true;
    return std::optional<CapturedFrame>{};
  }

  const std::string where = state.frames_read == 0
                                ? std::string("before the first frame")
                                : fmt::format("after frame {}", state.frames_read);
  const std::string at = offset >= 0 ? fmt::format(" (byte offset {})", offset) : std::string();
  if (status != 1) {
    // libpcap reports a short record as PCAP_ERROR with "truncated dump file; tried to read …"
    // (sf-pcap.c and sf-pcapng.c alike); anything else is a malformed record or block.
    const std::string message = status == PCAP_ERROR
                                    ? pcap_geterr(state.handle)
                                    : fmt::format("pcap_next_ex returned {}", status);
    const bool truncated = message.find("truncated") != std::string::npos;
    state.failure = make_error(
        ErrorCode::kParse, state.name,
        fmt::format("{} {}{}: {}", truncated ? "truncated" : "bad record", where, at, message));
    return tl::unexpected(*state.failure);
  }

  // With nanosecond precision libpcap puts nanoseconds in tv_usec. A pcapng timestamp can be
  // far beyond int64 nanoseconds; such a frame is an error, not a wrapped time.
  constexpr std::int64_t kNanosPerSecond = 1'000'000'000;
  const auto seconds = static_cast<std::int64_t>(header->ts.tv_sec);
  const auto nanos = static_cast<std::int64_t>(header->ts.tv_usec);
  std::int64_t timestamp_ns = 0;
  if (__builtin_mul_overflow(seconds, kNanosPerSecond, &timestamp_ns) ||
      __builtin_add_overflow(timestamp_ns, nanos, &timestamp_ns)) {
    state.failure = make_error(ErrorCode::kParse, state.name,
                               fmt::format("frame {}{}: timestamp {}.{:09} s is out of range",
                                           state.frames_read + 1, at, seconds, nanos));
    return tl::unexpected(*state.failure);
  }

  CapturedFrame frame;
  frame.index = state.frames_read;
  frame.timestamp_ns = timestamp_ns;
  frame.original_length = header->len;
  frame.bytes = std::span<const std::uint8_t>(data, header->caplen);
  ++state.frames_read;
  return frame;
}

std::string_view capture_format_name(CaptureFormat format) {
  switch (format) {
    case CaptureFormat::kPcap:
      return "pcap";
    case CaptureFormat::kPcapng:
      return "pcapng";
  }
  return "unknown";
}

}  // namespace openfwp::io::pcap
