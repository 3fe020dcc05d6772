// SPDX-License-Identifier: Apache-2.0
// Error and Result: the one way fallible code reports failure (design.md, error-handling policy).
// Codes are named after WFP's FWP_E_* where one applies, so users see familiar names.
#pragma once

#include <tl/expected.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace openfwp {

/// What went wrong, as a category. FWP_E_* names mirror fwpmu.h; the rest are ours.
enum class ErrorCode : std::uint8_t {
  // Engine management (FWP_E_*).
  kAlreadyExists,      ///< FWP_E_ALREADY_EXISTS
  kFilterNotFound,     ///< FWP_E_FILTER_NOT_FOUND
  kSublayerNotFound,   ///< FWP_E_SUBLAYER_NOT_FOUND
  kProviderNotFound,   ///< FWP_E_PROVIDER_NOT_FOUND
  kCalloutNotFound,    ///< FWP_E_CALLOUT_NOT_FOUND
  kLayerNotFound,      ///< FWP_E_LAYER_NOT_FOUND
  kIncompatibleLayer,  ///< FWP_E_INCOMPATIBLE_LAYER (callout for another layer)
  kConditionNotFound,  ///< FWP_E_CONDITION_NOT_FOUND (field not available at the layer)
  kTypeMismatch,       ///< FWP_E_TYPE_MISMATCH
  kInvalidWeight,      ///< FWP_E_INVALID_WEIGHT
  kInvalidRange,       ///< FWP_E_INVALID_RANGE
  kInvalidFlags,       ///< FWP_E_INVALID_FLAGS
  kInvalidActionType,  ///< FWP_E_INVALID_ACTION_TYPE
  kInvalidNetMask,     ///< FWP_E_INVALID_NET_MASK
  kMatchTypeMismatch,  ///< FWP_E_MATCH_TYPE_MISMATCH
  kInUse,              ///< FWP_E_IN_USE (e.g. deleting a sublayer that still has filters)
  kNoTxnInProgress,    ///< FWP_E_NO_TXN_IN_PROGRESS
  kTxnInProgress,      ///< FWP_E_TXN_IN_PROGRESS
  kNullPointer,        ///< FWP_E_NULL_POINTER (a required member is missing)
  // Input and environment.
  kParse,     ///< malformed input text (YAML, JSON, XML, a value)
  kIo,        ///< file could not be read or written
  kUsage,     ///< command line misuse
  kInternal,  ///< a bug in openfwp
};

/// WFP's spelling of `code` ("FWP_E_TYPE_MISMATCH"), or our own name for non-WFP codes.
std::string_view error_code_name(ErrorCode code);

/// Where in the input an error is, LLVM style: file:line:column (1-based; 0 = unknown).
struct SourceLocation {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

/// A failure with a human message. `message` is complete on its own ("filter \"x\": …").
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  SourceLocation where;

  /// "file:line:col: message" (parts that are unknown are left out), without the "error: "
  /// prefix that the CLI adds.
  std::string to_string() const;
};

template <class T>
using Result = tl::expected<T, Error>;

/// Builds the error side of a Result: `return fail(ErrorCode::kTypeMismatch, "…");`.
inline tl::unexpected<Error> fail(ErrorCode code, std::string message, SourceLocation where = {}) {
  return tl::unexpected<Error>(Error{code, std::move(message), std::move(where)});
}

}  // namespace openfwp

/// Propagates an error: `OPENFWP_TRY(auto v, parse(x));` or `OPENFWP_TRY_VOID(check(x));`.
#define OPENFWP_CONCAT_INNER(a, b) a##b
#define OPENFWP_CONCAT(a, b) OPENFWP_CONCAT_INNER(a, b)
#define OPENFWP_TRY_IMPL(tmp, decl, expr)                           \
  auto tmp = (expr);                                                \
  if (!tmp) return ::tl::unexpected<::openfwp::Error>(tmp.error()); \
  decl = std::move(*tmp)
#define OPENFWP_TRY(decl, expr) OPENFWP_TRY_IMPL(OPENFWP_CONCAT(try_tmp_, __LINE__), decl, expr)
// __COUNTER__ keeps the temporary's name unique when a TRY_VOID argument (a lambda) holds
// another TRY_VOID.
#define OPENFWP_TRY_VOID_IMPL(tmp, expr)                              \
  do {                                                                \
    auto tmp = (expr);                                                \
    if (!tmp) return ::tl::unexpected<::openfwp::Error>(tmp.error()); \
  } while (false)
#define OPENFWP_TRY_VOID(expr) \
  OPENFWP_TRY_VOID_IMPL(OPENFWP_CONCAT(try_void_tmp_, __COUNTER__), expr)
