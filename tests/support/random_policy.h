// SPDX-License-Identifier: Apache-2.0
// Random filters and packets for differential tests of the matchers and the engine: one
// generator, fed either by a seeded PRNG (property tests) or by fuzz bytes (libFuzzer targets),
// so both explore the same space. Only filters model::validate_filter accepts are generated.
//
// The space (issue #6): a layer with many field types (ALE_AUTH_CONNECT_V4) — addresses with
// exact values and prefixes of every length (/0 and /32 included, host bits set or not), ports
// with exact values and ranges (single-point and full range), the protocol, FWPM_CONDITION_FLAGS
// with the three flag tests, uint32/uint64 interface and compartment ids, ALE_APP_ID blobs with
// equal / prefix (a suffix test in WFP) / not-prefix / order, ALE_USER_ID security descriptors,
// SIDs; every numeric match type; several conditions on one field (OR'ed); fields a packet
// leaves empty; weights drawn from small pools so many effective weights tie. Packets reuse
// the values filters were built from, so most filters match some packets.
//
// Not gtest-dependent: the fuzz preset builds without gtest.
#pragma once

#include "common/guid.h"
#include "model/catalog.h"
#include "model/filter.h"
#include "model/incoming_values.h"
#include "model/value.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <random>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace openfwp::testing {

/// Where random choices come from. below(n) returns a number in [0, n); n must be > 0.
class Choices {
 public:
  virtual ~Choices() = default;
  virtual std::uint64_t below(std::uint64_t n) = 0;

  /// True with probability 1/n.
  bool one_in(std::uint64_t n) { return below(n) == 0; }
  /// Any value of an unsigned type.
  template <class T>
  T any() {
    if constexpr (sizeof(T) == 8) {
      return static_cast<T>((below(std::uint64_t{1} << 32) << 32) | below(std::uint64_t{1} << 32));
    } else {
      return static_cast<T>(below(std::uint64_t{std::numeric_limits<T>::max()} + 1));
    }
  }
  template <class T>
  const T& pick(std::span<const T> items) {
    return items[static_cast<std::size_t>(below(items.size()))];
  }
  template <class T>
  const T& pick(const std::vector<T>& items) {
    return pick(std::span<const T>(items));
  }
  template <class T, std::size_t N>
  const T& pick(const std::array<T, N>& items) {
    return pick(std::span<const T>(items));
  }
};

/// A seeded PRNG. Uses the raw mt19937_64 output (not a std distribution, whose results differ
/// between standard libraries), so a seed names the same case everywhere.
class SeededChoices final : public Choices {
 public:
  explicit SeededChoices(std::uint64_t seed) : engine_(seed) {}
  std::uint64_t below(std::uint64_t n) override { return engine_() % n; }

 private:
  std::mt19937_64 engine_;
};

/// Fuzz bytes: each choice reads as many little-endian bytes as `n` needs; an exhausted input
/// reads as zeros (the first choice), so every input, however short, is a complete case.
class ByteChoices final : public Choices {
 public:
  explicit ByteChoices(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
  std::uint64_t below(std::uint64_t n) override {
    std::uint64_t value = 0;
    for (std::uint64_t reach = n - 1, shift = 0; reach != 0; reach >>= 8, shift += 8) {
      if (!bytes_.empty()) {
        value |= std::uint64_t{bytes_[0]} << shift;
        bytes_ = bytes_.subspan(1);
      }
    }
    return value % n;
  }
  bool exhausted() const { return bytes_.empty(); }

 private:
  std::span<const std::uint8_t> bytes_;
};

/// Generates filters and packets for kLayer from a pool of values drawn once per instance.
class RandomPolicy {
 public:
  static constexpr model::LayerId kLayer = model::LayerId::kAleAuthConnectV4;

  /// `callouts`: keys of callouts at kLayer that filters may name (none: no callout filters).
  explicit RandomPolicy(Choices& choices, std::vector<Guid> callouts = {})
      : choices_(choices), callouts_(std::move(callouts)) {
    for (int i = 0; i < 6; ++i) addresses_.push_back(choices_.any<std::uint32_t>());
    addresses_.push_back(0x0a000001);  // 10.0.0.1
    addresses_.push_back(0x0a000002);
    addresses_.push_back(0xc6120001);  // 198.18.0.1
    addresses_.push_back(0xffffffff);
    addresses_.push_back(0);
    for (int i = 0; i < 3; ++i) ports_.push_back(choices_.any<std::uint16_t>());
    for (int i = 0; i < 3; ++i) wide_.push_back(choices_.any<std::uint64_t>());
  }

  /// A valid filter at kLayer with a random action, flags, weight and 0–6 conditions. The
  /// sublayer, key and id are left for the caller.
  model::Filter filter(std::string name) {
    model::Filter f;
    f.name = std::move(name);
    f.layer = kLayer;
    f.weight = weight();
    if (!callouts_.empty() && choices_.one_in(8)) {
      constexpr std::array kCalloutActions = {model::ActionType::kCalloutTerminating,
                                              model::ActionType::kCalloutInspection,
                                              model::ActionType::kCalloutUnknown};
      f.action = choices_.pick(kCalloutActions);
      f.callout = choices_.pick(callouts_);
      if (f.action != model::ActionType::kCalloutInspection && choices_.one_in(2)) {
        f.flags |= model::filter_flag::kPermitIfCalloutUnregistered;
      }
    } else {
      f.action = choices_.one_in(2) ? model::ActionType::kPermit : model::ActionType::kBlock;
    }
    if (choices_.one_in(4)) f.flags |= model::filter_flag::kClearActionRight;
    if (choices_.one_in(12)) f.flags |= model::filter_flag::kDisabled;
    const auto count = choices_.below(7);
    for (std::uint64_t i = 0; i < count; ++i) {
      // Often another condition on the field just used: an OR group.
      const model::FieldId field = !f.conditions.empty() && choices_.one_in(3)
                                       ? f.conditions.back().field
                                       : choices_.pick(kFields);
      f.conditions.push_back(condition(field));
    }
    return f;
  }

  /// Incoming values at kLayer: each field empty with some probability, else a pooled value
  /// (usually) or a fresh one.
  model::IncomingValues packet() {
    model::IncomingValues in(kLayer);
    for (const auto field : kFields) {
      // Some fields are rarely set, so conditions on them mostly see FWP_EMPTY.
      const bool rare = field == model::FieldId::kInterfaceQuarantineEpoch ||
                        field == model::FieldId::kAlePackageId;
      if (choices_.one_in(rare ? 2 : 6)) continue;
      set(in, field, value(field));
    }
    return in;
  }

  /// The fields filters and packets use.
  static constexpr std::array kFields = {
      model::FieldId::kIpRemoteAddress,  model::FieldId::kIpLocalAddress,
      model::FieldId::kIpRemotePort,     model::FieldId::kIpLocalPort,
      model::FieldId::kIpProtocol,       model::FieldId::kFlags,
      model::FieldId::kInterfaceIndex,   model::FieldId::kCompartmentId,
      model::FieldId::kIpLocalInterface, model::FieldId::kInterfaceQuarantineEpoch,
      model::FieldId::kAleAppId,         model::FieldId::kAleUserId,
      model::FieldId::kAlePackageId,     model::FieldId::kIpLocalAddressType,
  };

 private:
  static void set(model::IncomingValues& in, model::FieldId field, model::Value value) {
    [[maybe_unused]] const bool accepted = in.set(field, std::move(value));
    // The generator's types are the catalog's: a refusal is a bug in this file.
    if (!accepted) std::abort();
  }

  model::Weight weight() {
    constexpr std::array<std::uint64_t, 6> kPool = {
        0, 1, 7, std::uint64_t{1} << 32, std::uint64_t{15} << 60, ~std::uint64_t{0}};
    switch (choices_.below(3)) {
      case 0:
        return {};  // FWP_EMPTY: generated from the conditions
      case 1:
        return {model::Weight::Kind::kUint8, choices_.below(16)};
      default:
        return {model::Weight::Kind::kUint64, choices_.pick(kPool)};
    }
  }

  // --- Values, per field.
  std::uint32_t address() {
    return choices_.one_in(5) ? choices_.any<std::uint32_t>() : choices_.pick(addresses_);
  }
  std::uint16_t port() {
    constexpr std::array<std::uint16_t, 8> kWellKnown = {0, 22, 53, 80, 443, 1024, 8080, 65535};
    if (choices_.one_in(6)) return choices_.any<std::uint16_t>();
    return choices_.one_in(3) ? choices_.pick(ports_) : choices_.pick(kWellKnown);
  }
  std::uint8_t protocol() {
    constexpr std::array<std::uint8_t, 6> kPool = {0, 1, 6, 17, 58, 255};
    return choices_.one_in(8) ? choices_.any<std::uint8_t>() : choices_.pick(kPool);
  }
  std::uint32_t flags() {
    constexpr std::array<std::uint32_t, 9> kPool = {0,    0x1,    0x2,    0x4,       0x40,
                                                    0x41, 0x1000, 0x1043, 0xffffffff};
    return choices_.one_in(8) ? choices_.any<std::uint32_t>() : choices_.pick(kPool);
  }
  std::uint32_t small_id() { return static_cast<std::uint32_t>(choices_.below(6)); }
  std::uint64_t wide() {
    if (choices_.one_in(4)) return choices_.below(4);
    return choices_.one_in(6) ? choices_.any<std::uint64_t>() : choices_.pick(wide_);
  }
  static model::ByteBlob blob(std::string_view text) {
    return {std::vector<std::uint8_t>(text.begin(), text.end())};
  }
  model::ByteBlob app_id() {
    constexpr std::array<std::string_view, 6> kPool = {
        "\\device\\harddiskvolume3\\windows\\system32\\svchost.exe",
        "\\device\\harddiskvolume3\\windows\\system32\\curl.exe",
        "\\device\\harddiskvolume3\\program files\\app\\curl.exe",
        "\\device\\harddiskvolume2\\tools\\ssh.exe",
        "svchost.exe",
        "",
    };
    return blob(choices_.pick(kPool));
  }
  // A tail of an app id (what FWP_MATCH_PREFIX tests: "ends with").
  model::ByteBlob app_suffix() {
    auto id = app_id();
    const auto keep = choices_.below(id.bytes.size() + 1);
    id.bytes.erase(id.bytes.begin(),
                   id.bytes.begin() + static_cast<std::ptrdiff_t>(id.bytes.size() - keep));
    return id;
  }
  model::Sid sid() {
    constexpr std::array<std::string_view, 4> kPool = {"S-1-5-18", "S-1-5-21-1000-1001",
                                                       "S-1-5-21-1000-1002", "S-1-5-19"};
    return {std::string(choices_.pick(kPool))};
  }
  model::SecurityDescriptor security_descriptor() {
    constexpr std::array<std::string_view, 6> kPool = {
        "D:(A;;CC;;;S-1-5-21-1000-1001)",
        "D:(A;;CC;;;S-1-5-18)(A;;CC;;;S-1-5-21-1000-1002)",
        "D:(D;;CC;;;S-1-5-21-1000-1001)(A;;CC;;;WD)",
        "D:(A;;CC;;;WD)",
        "D:NO_ACCESS_CONTROL",
        "D:",
    };
    return {std::string(choices_.pick(kPool))};
  }

  // An unsigned value of type T for `field` (pooled values for the field's kind).
  template <class T>
  T number(model::FieldId field) {
    switch (field) {
      case model::FieldId::kIpRemoteAddress:
      case model::FieldId::kIpLocalAddress:
        return static_cast<T>(address());
      case model::FieldId::kIpRemotePort:
      case model::FieldId::kIpLocalPort:
        return static_cast<T>(port());
      case model::FieldId::kIpProtocol:
        return static_cast<T>(protocol());
      case model::FieldId::kFlags:
        return static_cast<T>(flags());
      case model::FieldId::kIpLocalInterface:
      case model::FieldId::kInterfaceQuarantineEpoch:
        return static_cast<T>(wide());
      default:
        return static_cast<T>(small_id());
    }
  }

  // The incoming value of `field`.
  model::Value value(model::FieldId field) {
    switch (model::incoming_type(kLayer, field)) {
      case model::DataType::kUint8:
        return number<std::uint8_t>(field);
      case model::DataType::kUint16:
        return number<std::uint16_t>(field);
      case model::DataType::kUint32:
        return number<std::uint32_t>(field);
      case model::DataType::kUint64:
        return number<std::uint64_t>(field);
      case model::DataType::kByteBlob:
        return app_id();
      default:  // kSid, and the token types whose incoming value is the user's Sid
        return sid();
    }
  }

  template <class T>
  model::Condition numeric_condition(model::FieldId field) {
    using model::MatchType;
    // Flag tests mostly on FWPM_CONDITION_FLAGS, where they mean something.
    const bool flags_field = field == model::FieldId::kFlags;
    if (flags_field ? !choices_.one_in(3) : choices_.one_in(12)) {
      constexpr std::array kFlagTests = {MatchType::kFlagsAllSet, MatchType::kFlagsAnySet,
                                         MatchType::kFlagsNoneSet};
      return {field, choices_.pick(kFlagTests), number<T>(field)};
    }
    switch (choices_.below(8)) {
      case 0:
      case 1:
        return {field, MatchType::kEqual, number<T>(field)};
      case 2:
        return {field, MatchType::kNotEqual, number<T>(field)};
      case 3: {
        constexpr std::array kOrder = {MatchType::kGreater, MatchType::kLess,
                                       MatchType::kGreaterOrEqual, MatchType::kLessOrEqual};
        return {field, choices_.pick(kOrder), number<T>(field)};
      }
      default: {
        T low = number<T>(field);
        T high = number<T>(field);
        switch (choices_.below(4)) {
          case 0:
            low = 0;  // the full range
            high = std::numeric_limits<T>::max();
            break;
          case 1:
            high = low;  // a single point
            break;
          default:
            if (high < low) std::swap(low, high);
        }
        return {field, MatchType::kRange, model::Range{low, high}};
      }
    }
  }

  model::Condition address_condition(model::FieldId field) {
    using model::MatchType;
    if (choices_.one_in(2)) return numeric_condition<std::uint32_t>(field);
    Ipv4Prefix prefix;
    prefix.address = address();
    constexpr std::array<std::uint8_t, 7> kLengths = {0, 8, 16, 24, 31, 32, 32};
    prefix.length = choices_.one_in(3) ? static_cast<std::uint8_t>(choices_.below(33))
                                       : choices_.pick(kLengths);
    if (choices_.one_in(2)) {
      // A canonical prefix (host bits clear) as policies usually write it; otherwise the host
      // bits stay set, which WFP ignores.
      prefix.address &= prefix.length == 0 ? 0U : ~std::uint32_t{0} << (32U - prefix.length);
    }
    return {field, choices_.one_in(5) ? MatchType::kNotEqual : MatchType::kEqual, prefix};
  }

  model::Condition blob_condition(model::FieldId field) {
    using model::MatchType;
    switch (choices_.below(7)) {
      case 0:
      case 1:
        return {field, MatchType::kEqual, app_id()};
      case 2:
        return {field, MatchType::kNotEqual, app_id()};
      case 3:
        return {field, MatchType::kPrefix, app_suffix()};
      case 4:
        return {field, MatchType::kNotPrefix, app_suffix()};
      case 5: {
        constexpr std::array kOrder = {MatchType::kGreater, MatchType::kLess,
                                       MatchType::kGreaterOrEqual, MatchType::kLessOrEqual};
        return {field, choices_.pick(kOrder), app_id()};
      }
      default: {
        auto low = app_id();
        auto high = app_id();
        if (high.bytes < low.bytes) std::swap(low, high);
        return {field, MatchType::kRange, model::Range{std::move(low), std::move(high)}};
      }
    }
  }

  model::Condition condition(model::FieldId field) {
    using model::MatchType;
    const auto match = choices_.one_in(4) ? MatchType::kNotEqual : MatchType::kEqual;
    switch (model::field_info(field).type) {
      case model::FieldType::kIpAddress:
        return address_condition(field);
      case model::FieldType::kUint8:
        return numeric_condition<std::uint8_t>(field);
      case model::FieldType::kUint16:
        return numeric_condition<std::uint16_t>(field);
      case model::FieldType::kUint32:
        return numeric_condition<std::uint32_t>(field);
      case model::FieldType::kUint64:
        return numeric_condition<std::uint64_t>(field);
      case model::FieldType::kAppId:
      case model::FieldType::kByteBlob:
        return blob_condition(field);
      case model::FieldType::kSecurityDescriptor:
        return {field, match, security_descriptor()};
      default:  // kSid
        return {field, match, sid()};
    }
  }

  Choices& choices_;
  std::vector<Guid> callouts_;
  std::vector<std::uint32_t> addresses_;
  std::vector<std::uint16_t> ports_;
  std::vector<std::uint64_t> wide_;
};

}  // namespace openfwp::testing
