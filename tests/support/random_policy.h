// SPDX-License-Identifier: Apache-2.0
// Random filters and packets for differential tests of the matchers and the engine: one
// generator, fed either by a seeded PRNG (property tests) or by fuzz bytes (libFuzzer targets),
// so both explore the same space. Only filters model::validate_filter accepts are generated.
//
// The space (issue #6): a layer with many field types (ALE_AUTH_CONNECT_V4 by default) —
// addresses with exact values and prefixes of every length (/0 and /32 included, host bits set
// or not), ports with exact values and ranges (single-point and full range), the protocol,
// FWPM_CONDITION_FLAGS with the three flag tests, uint32/uint64 interface and compartment ids,
// ALE_APP_ID blobs with equal / prefix (a suffix test in WFP) / not-prefix / order, ALE_USER_ID
// security descriptors, SIDs; every numeric match type; several conditions on one field
// (OR'ed); fields a packet leaves empty; weights drawn from small pools so many effective
// weights tie. Packets reuse the values filters were built from, so most filters match some
// packets.
//
// At IPv6 layers (ALE_AUTH_CONNECT_V6, OUTBOUND_IPPACKET_V6, …) addresses are FWP_BYTE_ARRAY16:
// pooled ones that share long prefixes (differing in bit 63, 64, 65 or the last only), ::, all
// ones, 2001:db8::1; conditions EQUAL / NOT_EQUAL with a plain address or an
// FWP_V6_ADDR_AND_MASK of any length 0–128 (0, 1, 63, 64, 65, 96, 127, 128 often; host bits
// set or clear), RANGE (full, single point, a prefix as a range, any pair) and the four
// orders. A layer without some of the fields (the IP packet layers) uses the others.
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

/// Generates filters and packets for one layer from a pool of values drawn once per instance.
class RandomPolicy {
 public:
  /// The layer of the original space (issue #6); its seeds name the cases they always named.
  static constexpr model::LayerId kDefaultLayer = model::LayerId::kAleAuthConnectV4;
  /// The layers the differential tests cover: ALE connect for both families (IPv4 addresses
  /// are FWP_UINT32 there, IPv6 ones FWP_BYTE_ARRAY16) and an IP packet layer, whose few
  /// fields make filters on 128-bit addresses alone common.
  static constexpr std::array kLayers = {model::LayerId::kAleAuthConnectV4,
                                         model::LayerId::kAleAuthConnectV6,
                                         model::LayerId::kOutboundIppacketV6};

  /// `layer`: any layer with at least one of kFields. `callouts`: keys of callouts at `layer`
  /// that filters may name (none: no callout filters).
  explicit RandomPolicy(Choices& choices, model::LayerId layer = kDefaultLayer,
                        std::vector<Guid> callouts = {})
      : choices_(choices), layer_(layer), callouts_(std::move(callouts)) {
    for (const auto field : kFields) {
      if (model::field_index(layer_, field)) fields_.push_back(field);
    }
    if (fields_.empty()) std::abort();  // a layer this generator knows nothing of
    for (int i = 0; i < 6; ++i) addresses_.push_back(choices_.any<std::uint32_t>());
    addresses_.push_back(0x0a000001);  // 10.0.0.1
    addresses_.push_back(0x0a000002);
    addresses_.push_back(0xc6120001);  // 198.18.0.1
    addresses_.push_back(0xffffffff);
    addresses_.push_back(0);
    for (int i = 0; i < 3; ++i) ports_.push_back(choices_.any<std::uint16_t>());
    for (int i = 0; i < 3; ++i) wide_.push_back(choices_.any<std::uint64_t>());
    // Drawn after the pools above, and only at IPv6 layers: at kDefaultLayer a seed makes the
    // same choices as before IPv6 was added.
    if (model::layer_info(layer_).family == model::Family::kV6) draw_v6_pool();
  }

  model::LayerId layer() const { return layer_; }
  /// The fields of kFields that `layer()` has: the ones filters and packets use.
  const std::vector<model::FieldId>& fields() const { return fields_; }

  /// A valid filter at layer() with a random action, flags, weight and 0–6 conditions. The
  /// sublayer, key and id are left for the caller.
  model::Filter filter(std::string name) {
    model::Filter f;
    f.name = std::move(name);
    f.layer = layer_;
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
                                       : choices_.pick(fields_);
      f.conditions.push_back(condition(field));
    }
    return f;
  }

  /// Incoming values at layer(): each field empty with some probability, else a pooled value
  /// (usually) or a fresh one.
  model::IncomingValues packet() {
    model::IncomingValues in(layer_);
    for (const auto field : fields_) {
      // Some fields are rarely set, so conditions on them mostly see FWP_EMPTY.
      const bool rare = field == model::FieldId::kInterfaceQuarantineEpoch ||
                        field == model::FieldId::kAlePackageId;
      if (choices_.one_in(rare ? 2 : 6)) continue;
      set(in, field, value(field));
    }
    return in;
  }

  /// The fields filters and packets use, where the layer has them.
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
    switch (model::incoming_type(layer_, field)) {
      case model::DataType::kUint8:
        return number<std::uint8_t>(field);
      case model::DataType::kUint16:
        return number<std::uint16_t>(field);
      case model::DataType::kUint32:
        return number<std::uint32_t>(field);
      case model::DataType::kUint64:
        return number<std::uint64_t>(field);
      case model::DataType::kByteArray16:
        return address6();
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

  // --- IPv6 addresses: FWP_BYTE_ARRAY16 in network order, so byte 0 holds the top bits; the
  // matchers treat one as a 128-bit big-endian number. "Bit k" counts from the top (bit 0 is
  // the most significant, bit 127 the last).
  static model::ByteArray16 v6(std::uint64_t high, std::uint64_t low) {
    model::ByteArray16 a{};
    for (std::size_t i = 0; i < 8; ++i) {
      a[i] = static_cast<std::uint8_t>(high >> (56U - 8U * i));
      a[8 + i] = static_cast<std::uint8_t>(low >> (56U - 8U * i));
    }
    return a;
  }
  static model::ByteArray16 flip(model::ByteArray16 a, std::uint64_t bit) {
    a[static_cast<std::size_t>(bit / 8)] ^= static_cast<std::uint8_t>(0x80U >> (bit % 8));
    return a;
  }
  // The mask of byte `i` that keeps the top `length` bits of an address.
  static std::uint8_t keep_mask(std::size_t i, unsigned length) {
    const unsigned start = 8U * static_cast<unsigned>(i);
    const unsigned keep = length >= start + 8 ? 8U : length > start ? length - start : 0U;
    return static_cast<std::uint8_t>(0xff00U >> keep);
  }
  // The first and the last address of the /length prefix `a` is in.
  static model::ByteArray16 first_of(model::ByteArray16 a, unsigned length) {
    for (std::size_t i = 0; i < a.size(); ++i) a[i] &= keep_mask(i, length);
    return a;
  }
  static model::ByteArray16 last_of(model::ByteArray16 a, unsigned length) {
    for (std::size_t i = 0; i < a.size(); ++i) {
      a[i] |= static_cast<std::uint8_t>(~keep_mask(i, length));
    }
    return a;
  }

  // Random addresses; some that share a long prefix with another pooled one (they differ in
  // bit 62, 63, 64, 65 or 127 only: the lengths around the 64-bit halves of the index's
  // 128-bit numbers); a pair across the carry from the low half into the high one; ::, all
  // ones, documentation, loopback, v4-mapped and link-local ones.
  void draw_v6_pool() {
    for (int i = 0; i < 4; ++i) {
      const auto high = choices_.any<std::uint64_t>();
      addresses6_.push_back(v6(high, choices_.any<std::uint64_t>()));
    }
    const auto base = addresses6_[0];
    for (const std::uint64_t bit : {62U, 63U, 64U, 65U, 127U}) {
      addresses6_.push_back(flip(base, bit));
    }
    addresses6_.push_back(flip(addresses6_[1], 0));
    const auto high = choices_.any<std::uint64_t>() >> 1U;  // room for the carry
    addresses6_.push_back(v6(high, ~std::uint64_t{0}));     // x:ffff:ffff:ffff:ffff
    addresses6_.push_back(v6(high + 1, 0));                 // the next address
    addresses6_.push_back(v6(0, 0));                        // ::
    addresses6_.push_back(v6(~std::uint64_t{0}, ~std::uint64_t{0}));
    addresses6_.push_back(v6(0x20010db800000000U, 1));  // 2001:db8::1
    addresses6_.push_back(v6(0x20010db800000000U, 0));  // 2001:db8::
    addresses6_.push_back(v6(0, 1));                    // ::1
    addresses6_.push_back(v6(0, 0x0000ffff0a000001U));  // ::ffff:10.0.0.1
    addresses6_.push_back(v6(0xfe80000000000000U, 1));  // fe80::1
  }
  // A pooled address (usually), one next to it (one bit flipped, mostly at a boundary the
  // index cares about) or a fresh one.
  model::ByteArray16 address6() {
    if (choices_.one_in(5)) {
      const auto high = choices_.any<std::uint64_t>();
      return v6(high, choices_.any<std::uint64_t>());
    }
    auto a = choices_.pick(addresses6_);
    if (choices_.one_in(6)) {
      constexpr std::array<std::uint64_t, 10> kBits = {0, 1, 62, 63, 64, 65, 95, 96, 126, 127};
      a = flip(a, choices_.one_in(3) ? choices_.below(128) : choices_.pick(kBits));
    }
    return a;
  }
  std::uint8_t prefix6_length() {
    constexpr std::array<std::uint8_t, 12> kLengths = {0,   1,   63,  64, 65, 96,
                                                       127, 128, 128, 32, 48, 56};
    return choices_.one_in(3) ? static_cast<std::uint8_t>(choices_.below(129))
                              : choices_.pick(kLengths);
  }

  // FWP_BYTE_ARRAY16 takes EQUAL, NOT_EQUAL, the four orders and RANGE (no flag tests:
  // model::validate_condition); FWP_V6_ADDR_AND_MASK takes EQUAL and NOT_EQUAL.
  model::Condition address6_condition(model::FieldId field) {
    using model::MatchType;
    if (choices_.one_in(2)) {
      switch (choices_.below(8)) {
        case 0:
        case 1:
          return {field, MatchType::kEqual, address6()};
        case 2:
          return {field, MatchType::kNotEqual, address6()};
        case 3: {
          constexpr std::array kOrder = {MatchType::kGreater, MatchType::kLess,
                                         MatchType::kGreaterOrEqual, MatchType::kLessOrEqual};
          return {field, choices_.pick(kOrder), address6()};
        }
        default: {
          auto low = address6();
          auto high = address6();
          switch (choices_.below(5)) {
            case 0:
              low = v6(0, 0);  // the full range
              high = v6(~std::uint64_t{0}, ~std::uint64_t{0});
              break;
            case 1:
              high = low;  // a single point
              break;
            case 2: {
              // A prefix written as a range.
              const unsigned length = prefix6_length();
              high = last_of(low, length);
              low = first_of(low, length);
              break;
            }
            default:
              if (high < low) std::swap(low, high);  // byte order = numeric order
          }
          return {field, MatchType::kRange, model::Range{low, high}};
        }
      }
    }
    Ipv6Prefix prefix;
    prefix.address = address6();
    prefix.length = prefix6_length();
    // Canonical (host bits clear) or not, as for IPv4.
    if (choices_.one_in(2)) prefix.address = first_of(prefix.address, prefix.length);
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
        return model::incoming_type(layer_, field) == model::DataType::kByteArray16
                   ? address6_condition(field)
                   : address_condition(field);
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
  model::LayerId layer_;
  std::vector<Guid> callouts_;
  std::vector<model::FieldId> fields_;
  std::vector<std::uint32_t> addresses_;
  std::vector<std::uint16_t> ports_;
  std::vector<std::uint64_t> wide_;
  std::vector<model::ByteArray16> addresses6_;
};

}  // namespace openfwp::testing
