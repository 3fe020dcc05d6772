// SPDX-License-Identifier: Apache-2.0
// The only translation unit that includes DPDK: EAL start-up and an rte_acl context over a
// ClassBench rule set (see rte_acl_peer.h).
#include "rte_acl_peer.h"

#include <atomic>
#include <chrono>
#include <cstring>
#include <rte_acl.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <sched.h>
#include <string>
#include <vector>

namespace openfwp::bench {
namespace {

enum RteAclField : std::uint8_t {
  kProtocolField,
  kSourceField,
  kDestinationField,
  kSourcePortField,
  kDestinationPortField,
  kFieldCount,
};

// Offsets into RteAclKey::bytes. rte_acl reads its input in 4-byte groups (input_index); the
// two ports share one group, the protocol byte has one of its own.
constexpr std::uint32_t kProtocolOffset = 0;
constexpr std::uint32_t kSourceOffset = 4;
constexpr std::uint32_t kDestinationOffset = 8;
constexpr std::uint32_t kSourcePortOffset = 12;
constexpr std::uint32_t kDestinationPortOffset = 14;

RTE_ACL_RULE_DEF(Ipv4Rule, kFieldCount);

rte_acl_config ipv4_config() {
  rte_acl_config config{};
  config.num_categories = 1;
  config.num_fields = kFieldCount;
  config.defs[0] = {RTE_ACL_FIELD_TYPE_BITMASK, sizeof(std::uint8_t), kProtocolField, 0,
                    kProtocolOffset};
  config.defs[1] = {RTE_ACL_FIELD_TYPE_MASK, sizeof(std::uint32_t), kSourceField, 1, kSourceOffset};
  config.defs[2] = {RTE_ACL_FIELD_TYPE_MASK, sizeof(std::uint32_t), kDestinationField, 2,
                    kDestinationOffset};
  config.defs[3] = {RTE_ACL_FIELD_TYPE_RANGE, sizeof(std::uint16_t), kSourcePortField, 3,
                    kSourcePortOffset};
  config.defs[4] = {RTE_ACL_FIELD_TYPE_RANGE, sizeof(std::uint16_t), kDestinationPortField, 3,
                    kDestinationPortOffset};
  config.max_size = 0;  // no limit on the run-time structures
  return config;
}

Ipv4Rule to_rte_rule(const ClassBenchRule& rule, std::size_t index, std::size_t count) {
  Ipv4Rule out{};
  out.data.category_mask = 1;
  out.data.priority = static_cast<std::int32_t>(count - index);
  out.data.userdata = static_cast<std::uint32_t>(index + 1);
  out.field[kProtocolField].value.u8 = rule.protocol;
  out.field[kProtocolField].mask_range.u8 = rule.protocol_mask;
  out.field[kSourceField].value.u32 = rule.source.address;
  out.field[kSourceField].mask_range.u32 = rule.source.length;
  out.field[kDestinationField].value.u32 = rule.destination.address;
  out.field[kDestinationField].mask_range.u32 = rule.destination.length;
  out.field[kSourcePortField].value.u16 = rule.source_port.low;
  out.field[kSourcePortField].mask_range.u16 = rule.source_port.high;
  out.field[kDestinationPortField].value.u16 = rule.destination_port.low;
  out.field[kDestinationPortField].mask_range.u16 = rule.destination_port.high;
  return out;
}

std::size_t dpdk_heap_allocated_bytes() {
  rte_malloc_socket_stats stats{};
  if (rte_malloc_get_socket_stats(0, &stats) != 0) return 0;
  return stats.heap_allocsz_bytes;
}

void put_big_endian(std::uint8_t* out, std::uint32_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) {
    out[i] = static_cast<std::uint8_t>(value);
    value >>= 8U;
  }
}

}  // namespace

std::optional<std::string> start_dpdk(unsigned max_simd_bitwidth) {
  static bool started = false;
  if (started) return std::nullopt;
  cpu_set_t affinity;
  const bool have_affinity = sched_getaffinity(0, sizeof(affinity), &affinity) == 0;
  // --no-huge: the container has no hugepages (the EAL then takes -m MB of ordinary memory,
  // reserved lazily). --no-shconf: no /var/run/dpdk config files (--in-memory would say the
  // same but refuses --no-huge's legacy memory mode). -l 0: one lcore, this thread.
  std::vector<std::string> args = {"classify_bench",
                                   "--no-huge",
                                   "--no-pci",
                                   "--no-telemetry",
                                   "--no-shconf",
                                   "--file-prefix=openfwp-bench",
                                   "-m",
                                   "4096",
                                   "-l",
                                   "0",
                                   "--log-level=*:error"};
  if (max_simd_bitwidth != 0) {
    args.push_back("--force-max-simd-bitwidth=" + std::to_string(max_simd_bitwidth));
  }
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  if (rte_eal_init(static_cast<int>(args.size()), argv.data()) < 0) {
    return std::string("rte_eal_init failed: ") + rte_strerror(rte_errno);
  }
  // The EAL pins the calling thread to lcore 0; give the benchmark its CPUs back.
  if (have_affinity) sched_setaffinity(0, sizeof(affinity), &affinity);
  started = true;
  return std::nullopt;
}

RteAclKey make_rte_acl_key(const PacketHeader& header) {
  RteAclKey key;
  key.bytes[kProtocolOffset] = header.protocol;
  put_big_endian(&key.bytes[kSourceOffset], header.source_address, 4);
  put_big_endian(&key.bytes[kDestinationOffset], header.destination_address, 4);
  put_big_endian(&key.bytes[kSourcePortOffset], header.source_port, 2);
  put_big_endian(&key.bytes[kDestinationPortOffset], header.destination_port, 2);
  return key;
}

struct RteAclClassifier::Context {
  rte_acl_ctx* acl = nullptr;
  std::vector<Ipv4Rule> rules;
  ~Context() {
    if (acl != nullptr) rte_acl_free(acl);
  }
};

RteAclClassifier::RteAclClassifier() : context_(std::make_unique<Context>()) {}
RteAclClassifier::~RteAclClassifier() = default;

std::unique_ptr<RteAclClassifier> RteAclClassifier::build(std::span<const ClassBenchRule> rules,
                                                          std::string& error) {
  std::unique_ptr<RteAclClassifier> classifier(new RteAclClassifier());
  Context& context = *classifier->context_;
  context.rules.reserve(rules.size());
  for (std::size_t i = 0; i < rules.size(); ++i) {
    context.rules.push_back(to_rte_rule(rules[i], i, rules.size()));
  }

  static std::atomic<unsigned> contexts{0};
  const std::string name = "classbench" + std::to_string(contexts++);
  const std::size_t heap_before = dpdk_heap_allocated_bytes();
  const auto start = std::chrono::steady_clock::now();
  rte_acl_param param{};
  param.name = name.c_str();
  param.socket_id = 0;
  param.rule_size = RTE_ACL_RULE_SZ(kFieldCount);
  param.max_rule_num = static_cast<std::uint32_t>(rules.size());
  context.acl = rte_acl_create(&param);
  if (context.acl == nullptr) {
    error = std::string("rte_acl_create: ") + rte_strerror(rte_errno);
    return nullptr;
  }
  if (!classifier->add_rules_and_build(error)) return nullptr;
  classifier->build_milliseconds_ =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  classifier->memory_bytes_ = dpdk_heap_allocated_bytes() - heap_before;

  // DPDK's own preference order on x86 (acl_get_best_alg); the first one this CPU and the
  // EAL's SIMD width allow is the one rte_acl_classify uses by default.
  constexpr std::pair<enum rte_acl_classify_alg, const char*> kAlgorithms[] = {
      {RTE_ACL_CLASSIFY_AVX512X32, "avx512x32"},
      {RTE_ACL_CLASSIFY_AVX512X16, "avx512x16"},
      {RTE_ACL_CLASSIFY_AVX2, "avx2"},
      {RTE_ACL_CLASSIFY_SSE, "sse"},
      {RTE_ACL_CLASSIFY_SCALAR, "scalar"}};
  for (const auto& [algorithm, label] : kAlgorithms) {
    if (rte_acl_set_ctx_classify(context.acl, algorithm) == 0) {
      classifier->algorithm_ = label;
      break;
    }
  }
  return classifier;
}

bool RteAclClassifier::add_rules_and_build(std::string& error) {
  Context& context = *context_;
  int status =
      rte_acl_add_rules(context.acl, reinterpret_cast<const rte_acl_rule*>(context.rules.data()),
                        static_cast<std::uint32_t>(context.rules.size()));
  if (status != 0) {
    error = "rte_acl_add_rules: " + std::string(std::strerror(-status));
    return false;
  }
  const rte_acl_config config = ipv4_config();
  status = rte_acl_build(context.acl, &config);
  if (status != 0) {
    error = "rte_acl_build: " + std::string(std::strerror(-status));
    return false;
  }
  return true;
}

bool RteAclClassifier::rebuild(std::string& error) {
  rte_acl_reset(context_->acl);
  return add_rules_and_build(error);
}

std::size_t RteAclClassifier::rule_copy_bytes() const {
  return context_->rules.size() * RTE_ACL_RULE_SZ(kFieldCount);
}

std::optional<std::uint32_t> RteAclClassifier::classify(const RteAclKey& key) const {
  const std::uint8_t* data[1] = {key.bytes.data()};
  std::uint32_t result = 0;
  rte_acl_classify(context_->acl, data, &result, 1, 1);
  if (result == 0) return std::nullopt;
  return result - 1;
}

void RteAclClassifier::classify_burst(std::span<const std::uint8_t* const> keys,
                                      std::span<std::uint32_t> results) const {
  // rte_acl_classify takes a non-const array of pointers but does not write it.
  rte_acl_classify(context_->acl, const_cast<const std::uint8_t**>(keys.data()), results.data(),
                   static_cast<std::uint32_t>(keys.size()), 1);
}

}  // namespace openfwp::bench
