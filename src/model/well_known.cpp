// SPDX-License-Identifier: Apache-2.0
// Lookups over the generated well_known.def rows and the built-in sublayer weights.
#include "model/well_known.h"

#include "common/assert.h"
#include "common/strings.h"

#include <array>
#include <vector>

namespace openfwp::model {
namespace {

struct Row {
  WellKnownKind kind;
  std::string_view name;
  Guid key;
};

const std::vector<Row>& rows() {
  static const std::vector<Row> kRows = [] {
    std::vector<Row> out;
    using enum WellKnownKind;
#define OPENFWP_WELL_KNOWN(kind, name, guid)                                   \
  {                                                                            \
    const auto key = Guid::parse(guid);                                        \
    OPENFWP_CHECK(key.has_value(), "well_known.def row has a malformed GUID"); \
    out.push_back(Row{kind, name, *key});                                      \
  }
#include "model/well_known.def"
#undef OPENFWP_WELL_KNOWN
    return out;
  }();
  return kRows;
}

struct SublayerWeight {
  std::string_view name;
  std::uint16_t weight;
};

// FWPM_SUBLAYER0::weight of Windows' built-in sublayers, as five `netsh wfp show state` dumps
// of Windows 10 and 11 machines (shared/data/netsh-dumps/*_wfpstate.xml) all record them.
constexpr std::array<SublayerWeight, 18> kBuiltinSublayerWeights{{
    {"FWPM_SUBLAYER_RPC_AUDIT", 49152},
    {"FWPM_SUBLAYER_IPSEC_TUNNEL", 40960},
    {"FWPM_SUBLAYER_IPSEC_FORWARD_OUTBOUND_TUNNEL", 36864},
    {"FWPM_SUBLAYER_IPSEC_DOSP", 34816},
    {"FWPM_SUBLAYER_UNIVERSAL", 32768},
    {"FWPM_SUBLAYER_LIPS", 32767},
    {"FWPM_SUBLAYER_SECURE_SOCKET", 16384},
    {"FWPM_SUBLAYER_IPSEC_SECURITY_REALM", 12288},
    {"FWPM_SUBLAYER_TCP_TEMPLATES", 8704},
    {"FWPM_SUBLAYER_TCP_CHIMNEY_OFFLOAD", 8192},
    {"FWPM_SUBLAYER_MPSSVC_APP_ISOLATION", 7},
    {"FWPM_SUBLAYER_MPSSVC_TENANT_RESTRICTIONS", 6},
    {"FWPM_SUBLAYER_MPSSVC_EDP", 5},
    {"FWPM_SUBLAYER_MPSSVC_QUARANTINE", 4},
    {"FWPM_SUBLAYER_MPSSVC_WSH", 3},
    {"FWPM_SUBLAYER_MPSSVC_WF", 2},
    {"FWPM_SUBLAYER_TEREDO", 1},
    {"FWPM_SUBLAYER_INSPECTION", 0},
}};

}  // namespace

std::optional<Guid> find_well_known(WellKnownKind kind, std::string_view name) {
  for (const auto& row : rows()) {
    if (row.kind == kind && ascii_iequals(row.name, name)) return row.key;
  }
  return std::nullopt;
}

std::string_view well_known_name(WellKnownKind kind, const Guid& key) {
  for (const auto& row : rows()) {
    if (row.kind == kind && row.key == key) return row.name;
  }
  return {};
}

std::optional<std::uint16_t> builtin_sublayer_weight(const Guid& key) {
  const std::string_view name = well_known_name(WellKnownKind::kSublayer, key);
  if (name.empty()) return std::nullopt;
  for (const auto& row : kBuiltinSublayerWeights) {
    if (row.name == name) return row.weight;
  }
  return std::nullopt;
}

}  // namespace openfwp::model
