// SPDX-License-Identifier: Apache-2.0
// PcapReader on the real captures of tests/data/pcap (counts, link types, timestamps, snap
// length, pcapng, SLL/SLL2), on copies of them cut short (the frames before the cut, then a
// located error), and on files that are not captures; open_memory must agree with open.
#include "io/pcap/pcap_reader.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>
#include <vector>

namespace openfwp::io::pcap {
namespace {

namespace fs = std::filesystem;

fs::path captures_dir() { return fs::path(OPENFWP_SOURCE_DIR) / "tests/data/pcap"; }

constexpr int kEthernet = 1;     // LINKTYPE_ETHERNET / DLT_EN10MB
constexpr int kLinuxSll = 113;   // LINKTYPE_LINUX_SLL
constexpr int kLinuxSll2 = 276;  // LINKTYPE_LINUX_SLL2

struct CaptureCase {
  const char* file;
  CaptureFormat format;
  int link_type;
  const char* link_type_name;
  std::uint64_t frames;  // tcpdump -r FILE -nn | wc -l (tests/data/pcap/README.md)
  std::uint32_t snap_length;
  bool nanosecond;  // written with nanosecond timestamps
};

constexpr std::array<CaptureCase, 9> kCases = {{
    {"tcp_handshake_data.pcap", CaptureFormat::kPcap, kEthernet, "EN10MB", 16, 262144, false},
    {"tcp_syn_closed_port.pcap", CaptureFormat::kPcap, kEthernet, "EN10MB", 2, 262144, false},
    {"nmap_syn_scan.pcap", CaptureFormat::kPcap, kEthernet, "EN10MB", 27, 262144, false},
    {"udp_closed_port.pcap", CaptureFormat::kPcap, kEthernet, "EN10MB", 2, 262144, false},
    {"tcp_v6_handshake_data.pcap", CaptureFormat::kPcap, kEthernet, "EN10MB", 16, 262144, true},
    {"tcp_handshake_data_snap128.pcapng", CaptureFormat::kPcapng, kEthernet, "EN10MB", 16, 128,
     false},
    {"tcp_handshake_data_sll2.pcap", CaptureFormat::kPcap, kLinuxSll2, "LINUX_SLL2", 14, 262144,
     false},
    {"udp_closed_port_sll.pcap", CaptureFormat::kPcap, kLinuxSll, "LINUX_SLL", 2, 262144, false},
    {"udp_fragmented.pcap", CaptureFormat::kPcap, kEthernet, "EN10MB", 6, 262144, false},
}};

std::vector<std::uint8_t> read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// A frame copied out of the reader (its bytes are only valid until the next call).
struct OwnedFrame {
  std::uint64_t index;
  std::int64_t timestamp_ns;
  std::uint32_t original_length;
  std::vector<std::uint8_t> bytes;
  bool operator==(const OwnedFrame&) const = default;
};

/// Every frame up to the end or the first error; the error (if any) in `error`.
std::vector<OwnedFrame> read_all(PcapReader& reader, std::optional<Error>* error = nullptr) {
  std::vector<OwnedFrame> frames;
  while (true) {
    auto next = reader.next();
    if (!next) {
      if (error != nullptr) *error = next.error();
      return frames;
    }
    if (!next->has_value()) return frames;
    const CapturedFrame& frame = **next;
    frames.push_back(OwnedFrame{frame.index,
                                frame.timestamp_ns,
                                frame.original_length,
                                {frame.bytes.begin(), frame.bytes.end()}});
  }
}

/// A file in a per-test temporary directory, removed with it.
class TempDir {
 public:
  TempDir() {
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            ("openfwp_pcap_" + std::string(test->name()) + "_" + std::to_string(getpid()));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  fs::path write(const std::string& name, std::span<const std::uint8_t> bytes) const {
    fs::path file = path_ / name;
    std::ofstream out(file, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    return file;
  }

 private:
  fs::path path_;
};

/// Byte offset of each record of a little-endian classic pcap (the test's own independent
/// parse: 24-byte file header, 16-byte record headers).
std::vector<std::size_t> pcap_record_offsets(const std::vector<std::uint8_t>& bytes) {
  std::vector<std::size_t> offsets;
  std::size_t offset = 24;
  while (offset + 16 <= bytes.size()) {
    offsets.push_back(offset);
    std::uint32_t caplen = 0;
    std::memcpy(&caplen, bytes.data() + offset + 8, sizeof caplen);
    offset += 16 + caplen;
  }
  return offsets;
}

// --- Real captures ------------------------------------------------------------------------

class RealCapture : public ::testing::TestWithParam<CaptureCase> {};

TEST_P(RealCapture, HeaderFrameCountAndTimestampsAreAsRecorded) {
  const CaptureCase& c = GetParam();
  auto reader = PcapReader::open((captures_dir() / c.file).string());
  ASSERT_TRUE(reader) << reader.error().to_string();
  EXPECT_EQ(reader->format(), c.format);
  EXPECT_EQ(reader->link_type(), c.link_type);
  EXPECT_EQ(reader->link_type_name(), c.link_type_name);
  EXPECT_EQ(reader->snap_length(), c.snap_length);

  std::optional<Error> error;
  const auto frames = read_all(*reader, &error);
  ASSERT_FALSE(error) << error->to_string();
  ASSERT_EQ(frames.size(), c.frames);
  EXPECT_EQ(reader->frames_read(), c.frames);

  bool any_sub_microsecond = false;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const OwnedFrame& frame = frames[i];
    EXPECT_EQ(frame.index, i);
    EXPECT_FALSE(frame.bytes.empty());
    EXPECT_LE(frame.bytes.size(), c.snap_length);
    EXPECT_LE(frame.bytes.size(), frame.original_length);
    // Recorded in 2026 by tools/capture-test-pcaps: after 2020-01-01 and before 2100.
    EXPECT_GT(frame.timestamp_ns, std::int64_t{1'577'836'800} * 1'000'000'000);
    EXPECT_LT(frame.timestamp_ns, std::int64_t{4'102'444'800} * 1'000'000'000);
    if (i > 0) {
      EXPECT_GE(frame.timestamp_ns, frames[i - 1].timestamp_ns) << "frame " << i;
    }
    any_sub_microsecond = any_sub_microsecond || frame.timestamp_ns % 1000 != 0;
  }
  EXPECT_LT(frames.front().timestamp_ns, frames.back().timestamp_ns);
  EXPECT_EQ(any_sub_microsecond, c.nanosecond);

  // The clean end is sticky.
  auto after = reader->next();
  ASSERT_TRUE(after);
  EXPECT_FALSE(after->has_value());
}

TEST_P(RealCapture, OpenMemoryAgreesWithOpen) {
  const CaptureCase& c = GetParam();
  const fs::path path = captures_dir() / c.file;
  auto from_file = PcapReader::open(path.string());
  const auto bytes = read_bytes(path);
  auto from_memory = PcapReader::open_memory(bytes, c.file);
  ASSERT_TRUE(from_file) << from_file.error().to_string();
  ASSERT_TRUE(from_memory) << from_memory.error().to_string();
  EXPECT_EQ(from_memory->name(), c.file);
  EXPECT_EQ(from_memory->format(), from_file->format());
  EXPECT_EQ(from_memory->link_type(), from_file->link_type());
  EXPECT_EQ(from_memory->snap_length(), from_file->snap_length());
  EXPECT_EQ(read_all(*from_memory), read_all(*from_file));
}

INSTANTIATE_TEST_SUITE_P(TestData, RealCapture, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<CaptureCase>& param_info) {
                           std::string name = param_info.param.file;
                           for (char& ch : name) {
                             if (ch == '.') ch = '_';
                           }
                           return name;
                         });

TEST(PcapReader, SnapLengthCutIsReported) {
  auto reader = PcapReader::open((captures_dir() / "tcp_handshake_data_snap128.pcapng").string());
  ASSERT_TRUE(reader) << reader.error().to_string();
  std::size_t cut = 0;
  std::size_t whole = 0;
  while (true) {
    auto next = reader->next();
    ASSERT_TRUE(next) << next.error().to_string();
    if (!next->has_value()) break;
    const CapturedFrame& frame = **next;
    if (frame.cut_by_snap_length()) {
      ++cut;
      EXPECT_EQ(frame.bytes.size(), 128U);
      EXPECT_GT(frame.original_length, 128U);
    } else {
      ++whole;
      EXPECT_EQ(frame.bytes.size(), frame.original_length);
    }
  }
  // 3000 bytes one way and 2000 the other: at least 2 + 2 full-size segments were cut; the
  // handshake and the bare ACKs and FINs fit in 128 bytes.
  EXPECT_GE(cut, 4U);
  EXPECT_GE(whole, 6U);
}

TEST(PcapReader, FullSnapLengthCutsNothing) {
  auto reader = PcapReader::open((captures_dir() / "tcp_handshake_data.pcap").string());
  ASSERT_TRUE(reader);
  while (true) {
    auto next = reader->next();
    ASSERT_TRUE(next);
    if (!next->has_value()) break;
    EXPECT_FALSE((*next)->cut_by_snap_length());
  }
}

TEST(PcapReader, MovedReaderKeepsReading) {
  auto opened = PcapReader::open((captures_dir() / "tcp_syn_closed_port.pcap").string());
  ASSERT_TRUE(opened);
  PcapReader reader = std::move(*opened);
  ASSERT_TRUE(reader.next());
  PcapReader moved = std::move(reader);
  EXPECT_EQ(moved.frames_read(), 1U);
  EXPECT_EQ(read_all(moved).size(), 1U);
}

// --- Truncated captures: the frames before the cut, then a located error ----------------

TEST(PcapReader, CaptureCutInsideFrameDataYieldsEarlierFramesThenError) {
  const auto bytes = read_bytes(captures_dir() / "tcp_handshake_data.pcap");
  const auto offsets = pcap_record_offsets(bytes);
  ASSERT_EQ(offsets.size(), 16U);
  // Frame 5 (index 4) is the first data segment: cut 10 bytes into its data.
  const std::size_t cut_at = offsets[4] + 16 + 10;
  std::vector<std::uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<long>(cut_at));
  TempDir dir;
  const fs::path path = dir.write("capture.pcap", cut);

  auto reader = PcapReader::open(path.string());
  ASSERT_TRUE(reader) << reader.error().to_string();
  std::optional<Error> error;
  const auto frames = read_all(*reader, &error);
  EXPECT_EQ(frames.size(), 4U);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->code, ErrorCode::kParse);
  EXPECT_EQ(error->where.file, path.string());
  const std::string expected_prefix = "truncated after frame 4 (byte offset " +
                                      std::to_string(offsets[4]) +
                                      "): truncated dump file; tried to read ";
  EXPECT_EQ(error->message.substr(0, expected_prefix.size()), expected_prefix) << error->message;
  EXPECT_NE(error->message.find("captured bytes, only got 10"), std::string::npos)
      << error->message;
  EXPECT_EQ(error->to_string(), path.string() + ": " + error->message);

  // The failure is sticky: the same error again, no more frames.
  auto again = reader->next();
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().message, error->message);
  EXPECT_EQ(reader->frames_read(), 4U);
}

TEST(PcapReader, CaptureCutInsideRecordHeaderYieldsEarlierFramesThenError) {
  const auto bytes = read_bytes(captures_dir() / "nmap_syn_scan.pcap");
  const auto offsets = pcap_record_offsets(bytes);
  ASSERT_EQ(offsets.size(), 27U);
  const std::size_t cut_at = offsets[26] + 7;  // 7 of the last record header's 16 bytes
  std::vector<std::uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<long>(cut_at));

  auto reader = PcapReader::open_memory(cut, "scan.pcap");
  ASSERT_TRUE(reader) << reader.error().to_string();
  std::optional<Error> error;
  EXPECT_EQ(read_all(*reader, &error).size(), 26U);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->to_string(),
            "scan.pcap: truncated after frame 26 (byte offset " + std::to_string(offsets[26]) +
                "): truncated dump file; tried to read 16 header bytes, only got 7");
}

TEST(PcapReader, PcapngCutInsideBlockYieldsEarlierFramesThenError) {
  const auto bytes = read_bytes(captures_dir() / "tcp_handshake_data_snap128.pcapng");
  auto whole = PcapReader::open_memory(bytes);
  ASSERT_TRUE(whole);
  const auto all = read_all(*whole);
  ASSERT_EQ(all.size(), 16U);
  // Drop the last 20 bytes: the final enhanced packet block is incomplete.
  std::vector<std::uint8_t> cut(bytes.begin(), bytes.end() - 20);
  auto reader = PcapReader::open_memory(cut, "capture.pcapng");
  ASSERT_TRUE(reader) << reader.error().to_string();
  std::optional<Error> error;
  const auto frames = read_all(*reader, &error);
  EXPECT_EQ(frames, std::vector<OwnedFrame>(all.begin(), all.end() - 1));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->to_string().rfind("capture.pcapng: truncated after frame 15 (byte offset ", 0),
            0U)
      << error->to_string();
}

TEST(PcapReader, ImpossibleRecordLengthIsABadRecordNotATruncation) {
  auto bytes = read_bytes(captures_dir() / "udp_closed_port.pcap");
  const auto offsets = pcap_record_offsets(bytes);
  ASSERT_EQ(offsets.size(), 2U);
  // The second record claims 2^31 - 1 captured bytes: more than any link type's maximum.
  const std::uint32_t caplen = 0x7FFFFFFF;
  std::memcpy(bytes.data() + offsets[1] + 8, &caplen, sizeof caplen);
  auto reader = PcapReader::open_memory(bytes, "capture.pcap");
  ASSERT_TRUE(reader);
  std::optional<Error> error;
  EXPECT_EQ(read_all(*reader, &error).size(), 1U);
  ASSERT_TRUE(error);
  const std::string expected_prefix =
      "capture.pcap: bad record after frame 1 (byte offset " + std::to_string(offsets[1]) + "): ";
  EXPECT_EQ(error->to_string().substr(0, expected_prefix.size()), expected_prefix)
      << error->to_string();
  EXPECT_NE(error->message.find("2147483647"), std::string::npos) << error->message;
}

TEST(PcapReader, HeaderOnlyCaptureIsCleanlyEmpty) {
  const auto bytes = read_bytes(captures_dir() / "udp_closed_port.pcap");
  std::vector<std::uint8_t> header(bytes.begin(), bytes.begin() + 24);
  auto reader = PcapReader::open_memory(header);
  ASSERT_TRUE(reader) << reader.error().to_string();
  auto next = reader->next();
  ASSERT_TRUE(next);
  EXPECT_FALSE(next->has_value());
  EXPECT_EQ(reader->frames_read(), 0U);
}

TEST(PcapReader, CutInsideFileHeaderIsAnOpenError) {
  const auto bytes = read_bytes(captures_dir() / "udp_closed_port.pcap");
  std::vector<std::uint8_t> cut(bytes.begin(), bytes.begin() + 10);
  auto reader = PcapReader::open_memory(cut, "capture.pcap");
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().to_string(),
            "capture.pcap: truncated pcap file header (10 of 24 bytes)");
}

// --- Files that are not captures ------------------------------------------------------------

TEST(PcapReader, NonCaptureFileIsRejectedByName) {
  const std::string text = "# SPDX-License-Identifier: Apache-2.0\nnot a capture\n";
  TempDir dir;
  const fs::path path = dir.write(
      "capture.pcap", std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  auto reader = PcapReader::open(path.string());
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code, ErrorCode::kParse);
  EXPECT_EQ(reader.error().to_string(), path.string() + ": not a pcap or pcapng file");
}

TEST(PcapReader, EmptyFileIsRejectedByName) {
  TempDir dir;
  const fs::path path = dir.write("empty.pcap", {});
  auto reader = PcapReader::open(path.string());
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().to_string(), path.string() + ": empty file (not a pcap or pcapng file)");
  auto from_memory = PcapReader::open_memory({}, "empty.pcap");
  ASSERT_FALSE(from_memory);
  EXPECT_EQ(from_memory.error().to_string(), "empty.pcap: empty file (not a pcap or pcapng file)");
}

TEST(PcapReader, MissingFileIsAnIoError) {
  auto reader = PcapReader::open("/nonexistent/capture.pcap");
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().code, ErrorCode::kIo);
  EXPECT_EQ(reader.error().to_string(),
            "/nonexistent/capture.pcap: cannot open: No such file or directory");
}

TEST(PcapReader, ShortNonCaptureIsRejected) {
  const std::array<std::uint8_t, 2> two = {0xA1, 0xB2};
  auto reader = PcapReader::open_memory(two, "x.pcap");
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error().to_string(), "x.pcap: not a pcap or pcapng file");
}

TEST(PcapReader, FormatNames) {
  EXPECT_EQ(capture_format_name(CaptureFormat::kPcap), "pcap");
  EXPECT_EQ(capture_format_name(CaptureFormat::kPcapng), "pcapng");
}

}  // namespace
}  // namespace openfwp::io::pcap
