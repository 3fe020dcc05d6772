// SPDX-License-Identifier: Apache-2.0
// ProcessTable against the real /proc: sockets this test opens must resolve to this test's
// executable, one after another with no pause (the rate limit that let a blocked application
// through, issue #7), and a closed socket must stop resolving.
#include "live/process_table.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

namespace openfwp::live {
namespace {

std::uint64_t inode_of(int fd) {
  struct stat st {};
  EXPECT_EQ(fstat(fd, &st), 0);
  return st.st_ino;
}

std::string own_exe() { return std::filesystem::read_symlink("/proc/self/exe").string(); }

TEST(ProcessTable, FindsTheExecutableHoldingASocket) {
  ProcessTable table;
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(table.exe_of_socket(inode_of(fd)), own_exe());
  EXPECT_EQ(table.stats().scans, 1u);
  // Known now: the second lookup is verified, not scanned for.
  EXPECT_EQ(table.exe_of_socket(inode_of(fd)), own_exe());
  EXPECT_EQ(table.stats().scans, 1u);
  EXPECT_EQ(table.stats().hits, 2u);
  close(fd);
}

TEST(ProcessTable, SocketsOpenedBackToBackAllResolve) {
  ProcessTable table;
  for (int i = 0; i < 5; ++i) {
    const int fd = socket(AF_INET, SOCK_DGRAM, 0);
    ASSERT_GE(fd, 0);
    EXPECT_EQ(table.exe_of_socket(inode_of(fd)), own_exe()) << "socket " << i;
    close(fd);
  }
  EXPECT_EQ(table.stats().misses, 0u);
}

TEST(ProcessTable, AClosedSocketNoLongerResolves) {
  ProcessTable table;
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  const std::uint64_t inode = inode_of(fd);
  ASSERT_TRUE(table.exe_of_socket(inode).has_value());
  close(fd);
  EXPECT_EQ(table.exe_of_socket(inode), std::nullopt);
  EXPECT_EQ(table.stats().misses, 1u);
}

TEST(ProcessTable, AMissIsRememberedInsteadOfRescanned) {
  ProcessTable table("/proc", {.miss_memory = std::chrono::hours(1)});
  const std::uint64_t nobody = 0xfffffffffffull;  // no socket has this inode
  EXPECT_EQ(table.exe_of_socket(nobody), std::nullopt);
  EXPECT_EQ(table.exe_of_socket(nobody), std::nullopt);
  EXPECT_EQ(table.stats().scans, 1u);
  EXPECT_EQ(table.stats().misses, 2u);
}

TEST(ProcessTable, AnUnreadableProcRootAnswersNothing) {
  ProcessTable table("/nonexistent-proc-root");
  EXPECT_EQ(table.exe_of_socket(12345), std::nullopt);
}

}  // namespace
}  // namespace openfwp::live
