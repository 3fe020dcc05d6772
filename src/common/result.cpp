// SPDX-License-Identifier: Apache-2.0
// Names of error codes and the LLVM-style rendering of an Error.
#include "common/result.h"

namespace openfwp {

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kAlreadyExists:
      return "FWP_E_ALREADY_EXISTS";
    case ErrorCode::kFilterNotFound:
      return "FWP_E_FILTER_NOT_FOUND";
    case ErrorCode::kSublayerNotFound:
      return "FWP_E_SUBLAYER_NOT_FOUND";
    case ErrorCode::kProviderNotFound:
      return "FWP_E_PROVIDER_NOT_FOUND";
    case ErrorCode::kCalloutNotFound:
      return "FWP_E_CALLOUT_NOT_FOUND";
    case ErrorCode::kLayerNotFound:
      return "FWP_E_LAYER_NOT_FOUND";
    case ErrorCode::kIncompatibleLayer:
      return "FWP_E_INCOMPATIBLE_LAYER";
    case ErrorCode::kConditionNotFound:
      return "FWP_E_CONDITION_NOT_FOUND";
    case ErrorCode::kTypeMismatch:
      return "FWP_E_TYPE_MISMATCH";
    case ErrorCode::kInvalidWeight:
      return "FWP_E_INVALID_WEIGHT";
    case ErrorCode::kInvalidRange:
      return "FWP_E_INVALID_RANGE";
    case ErrorCode::kInvalidFlags:
      return "FWP_E_INVALID_FLAGS";
    case ErrorCode::kInvalidActionType:
      return "FWP_E_INVALID_ACTION_TYPE";
    case ErrorCode::kInvalidNetMask:
      return "FWP_E_INVALID_NET_MASK";
    case ErrorCode::kMatchTypeMismatch:
      return "FWP_E_MATCH_TYPE_MISMATCH";
    case ErrorCode::kInUse:
      return "FWP_E_IN_USE";
    case ErrorCode::kNoTxnInProgress:
      return "FWP_E_NO_TXN_IN_PROGRESS";
    case ErrorCode::kTxnInProgress:
      return "FWP_E_TXN_IN_PROGRESS";
    case ErrorCode::kNullPointer:
      return "FWP_E_NULL_POINTER";
    case ErrorCode::kParse:
      return "parse error";
    case ErrorCode::kIo:
      return "I/O error";
    case ErrorCode::kUsage:
      return "usage error";
    case ErrorCode::kInternal:
      return "internal error";
  }
  return "unknown error";
}

std::string Error::to_string() const {
  std::string out;
  if (!where.file.empty()) {
    out += where.file;
    if (where.line != 0) {
      out += ':' + std::to_string(where.line);
      if (where.column != 0) out += ':' + std::to_string(where.column);
    }
    out += ": ";
  }
  out += message;
  return out;
}

}  // namespace openfwp
