// SPDX-License-Identifier: Apache-2.0
// write_policy_atomically: the classic write-fsync-rename-fsync(dir) sequence.
#include "live/policy_file.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace openfwp::live {
namespace {

Result<void> io_error(const std::string& what, const std::string& path) {
  return fail(ErrorCode::kIo, fmt::format("{} {}: {}", what, path, std::strerror(errno)));
}

}  // namespace

Result<void> write_policy_atomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  mode_t mode = 0600;
  struct stat existing {};
  if (stat(path.c_str(), &existing) == 0) mode = existing.st_mode & 07777;
  const int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return io_error("cannot create", tmp);
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int saved = errno;
      close(fd);
      unlink(tmp.c_str());
      errno = saved;
      return io_error("cannot write", tmp);
    }
    written += static_cast<std::size_t>(n);
  }
  if (fchmod(fd, mode) != 0 || fsync(fd) != 0) {
    const int saved = errno;
    close(fd);
    unlink(tmp.c_str());
    errno = saved;
    return io_error("cannot sync", tmp);
  }
  close(fd);
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    const int saved = errno;
    unlink(tmp.c_str());
    errno = saved;
    return io_error("cannot rename over", path);
  }
  // The rename itself is durable only once the directory is synced.
  // (No `dir = "."` on a std::string: GCC 12 at -O2 warns -Wrestrict on it, a false positive.)
  const std::string parent = std::filesystem::path(path).parent_path().string();
  const char* const dir = parent.empty() ? "." : parent.c_str();
  const int dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    fsync(dir_fd);
    close(dir_fd);
  }
  return {};
}

}  // namespace openfwp::live
