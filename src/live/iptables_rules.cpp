// SPDX-License-Identifier: Apache-2.0
// IptablesRules by running iptables/ip6tables (argv, no shell). This kernel has the xt NFQUEUE
// target but no nft queue expression (decision 0006), so the rules are xt rules.
#include "live/iptables_rules.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace openfwp::live {
namespace {

constexpr const char* kChainIn = "OPENFWP_IN";
constexpr const char* kChainOut = "OPENFWP_OUT";
// Position of the fast-path rule in each chain (after the loopback, save-mark and cut rules).
constexpr const char* kFastPathRuleNumber = "5";

std::string hex(std::uint32_t value) { return fmt::format("0x{:x}", value); }

std::vector<std::string> fast_path_rule(std::uint64_t generation) {
  return {"-m",     "connmark",
          "--mark", fmt::format("{}/{}", hex(fast_path_mark(generation)), hex(kMarkMask)),
          "-j",     "ACCEPT"};
}

std::vector<std::string> save_mark_rule(std::uint32_t decision) {
  return {"-m",          "mark",     "--mark",      fmt::format("{}/0xff", hex(decision)),
          "-j",          "CONNMARK", "--save-mark", "--mask",
          hex(kMarkMask)};
}

}  // namespace

Result<void> run_command(const std::vector<std::string>& argv) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return fail(ErrorCode::kIo,
                fmt::format("cannot run {}: pipe: {}", argv[0], std::strerror(errno)));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  std::string errors;
  if (spawned == 0) {
    char buf[512];
    ssize_t n = 0;
    while ((n = read(pipe_fds[0], buf, sizeof buf)) > 0 && errors.size() < 4096) {
      errors.append(buf, static_cast<std::size_t>(n));
    }
  }
  close(pipe_fds[0]);
  if (spawned != 0) {
    return fail(ErrorCode::kIo, fmt::format("cannot run {}: {}", argv[0], std::strerror(spawned)));
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
  while (!errors.empty() && errors.back() == '\n') errors.pop_back();
  return fail(ErrorCode::kIo, fmt::format("`{}` failed (status {}): {}", fmt::join(argv, " "),
                                          WIFEXITED(status) ? WEXITSTATUS(status) : -1, errors));
}

std::vector<std::string> IptablesRules::tools() const {
  std::vector<std::string> t{options_.iptables};
  if (options_.ipv6) t.push_back(options_.ip6tables);
  return t;
}

Result<IptablesRules> IptablesRules::install(const Options& options, std::uint64_t generation) {
  IptablesRules rules(options);
  rules.remove();  // leftovers of a daemon that died (fail-closed rules stay by design)
  rules.installed_ = true;
  for (const std::string& tool : rules.tools()) {
    for (const char* chain : {kChainIn, kChainOut}) {
      const bool in = chain == kChainIn;
      std::vector<std::vector<std::string>> body = {
          // DEVIATION(WFP): loopback traffic is not filtered (the daemon's own control socket
          // and local services keep working); WFP classifies loopback too.
          {in ? "-i" : "-o", "lo", "-j", "RETURN"},
          // A packet the daemon sent back (NF_REPEAT) with a fast-path or cut mark: the mark
          // goes to its connection, and the rules below then decide it and every later packet
          // in the kernel.
          save_mark_rule(kMarkFastPath),
          save_mark_rule(kMarkCut),
          {"-m", "connmark", "--mark", fmt::format("{}/{}", hex(kMarkCut), "0xff"), "-j", "DROP"},
          fast_path_rule(generation),
          {"-j", "NFQUEUE", "--queue-num", std::to_string(options.queue_num)},
      };
      if (options.fail_open) body.back().push_back("--queue-bypass");
      OPENFWP_TRY_VOID(run_command({tool, "-w", "-N", chain}));
      for (auto& rule : body) {
        std::vector<std::string> argv{tool, "-w", "-A", chain};
        argv.insert(argv.end(), rule.begin(), rule.end());
        OPENFWP_TRY_VOID(run_command(argv));
      }
      OPENFWP_TRY_VOID(run_command({tool, "-w", "-I", in ? "INPUT" : "OUTPUT", "1", "-j", chain}));
    }
  }
  return rules;
}

IptablesRules::IptablesRules(IptablesRules&& other) noexcept
    : options_(std::move(other.options_)), installed_(std::exchange(other.installed_, false)) {}

IptablesRules::~IptablesRules() { remove(); }

Result<void> IptablesRules::set_generation(std::uint64_t generation) {
  for (const std::string& tool : tools()) {
    for (const char* chain : {kChainIn, kChainOut}) {
      std::vector<std::string> argv{tool, "-w", "-R", chain, kFastPathRuleNumber};
      const auto rule = fast_path_rule(generation);
      argv.insert(argv.end(), rule.begin(), rule.end());
      OPENFWP_TRY_VOID(run_command(argv));
    }
  }
  return {};
}

void IptablesRules::remove() {
  // Also run when nothing is known to be installed, to clear a dead daemon's rules; each step
  // may fail because the rule is not there, which is the state wanted.
  for (const std::string& tool : tools()) {
    for (const char* chain : {kChainIn, kChainOut}) {
      const char* from = chain == kChainIn ? "INPUT" : "OUTPUT";
      for (int i = 0; i < 8 && run_command({tool, "-w", "-D", from, "-j", chain}).has_value();
           ++i) {
      }
      (void)run_command({tool, "-w", "-F", chain});
      (void)run_command({tool, "-w", "-X", chain});
    }
  }
  installed_ = false;
}

}  // namespace openfwp::live
