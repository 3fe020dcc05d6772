// SPDX-License-Identifier: Apache-2.0
// Error and Result: WFP spellings of error codes, the LLVM-style "file:line:col: message"
// rendering, and the OPENFWP_TRY propagation macros.
#include "common/result.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace openfwp {
namespace {

TEST(ErrorCodeName, EveryCodeHasItsWfpOrOwnSpelling) {
  const std::vector<std::pair<ErrorCode, std::string_view>> names = {
      {ErrorCode::kAlreadyExists, "FWP_E_ALREADY_EXISTS"},
      {ErrorCode::kFilterNotFound, "FWP_E_FILTER_NOT_FOUND"},
      {ErrorCode::kSublayerNotFound, "FWP_E_SUBLAYER_NOT_FOUND"},
      {ErrorCode::kProviderNotFound, "FWP_E_PROVIDER_NOT_FOUND"},
      {ErrorCode::kCalloutNotFound, "FWP_E_CALLOUT_NOT_FOUND"},
      {ErrorCode::kLayerNotFound, "FWP_E_LAYER_NOT_FOUND"},
      {ErrorCode::kIncompatibleLayer, "FWP_E_INCOMPATIBLE_LAYER"},
      {ErrorCode::kConditionNotFound, "FWP_E_CONDITION_NOT_FOUND"},
      {ErrorCode::kTypeMismatch, "FWP_E_TYPE_MISMATCH"},
      {ErrorCode::kInvalidWeight, "FWP_E_INVALID_WEIGHT"},
      {ErrorCode::kInvalidRange, "FWP_E_INVALID_RANGE"},
      {ErrorCode::kInvalidFlags, "FWP_E_INVALID_FLAGS"},
      {ErrorCode::kInvalidActionType, "FWP_E_INVALID_ACTION_TYPE"},
      {ErrorCode::kInvalidNetMask, "FWP_E_INVALID_NET_MASK"},
      {ErrorCode::kMatchTypeMismatch, "FWP_E_MATCH_TYPE_MISMATCH"},
      {ErrorCode::kInUse, "FWP_E_IN_USE"},
      {ErrorCode::kNoTxnInProgress, "FWP_E_NO_TXN_IN_PROGRESS"},
      {ErrorCode::kTxnInProgress, "FWP_E_TXN_IN_PROGRESS"},
      {ErrorCode::kNullPointer, "FWP_E_NULL_POINTER"},
      {ErrorCode::kParse, "parse error"},
      {ErrorCode::kIo, "I/O error"},
      {ErrorCode::kUsage, "usage error"},
      {ErrorCode::kInternal, "internal error"},
  };
  // Every enumerator up to kInternal is listed once.
  ASSERT_EQ(names.size(), static_cast<std::size_t>(ErrorCode::kInternal) + 1);
  for (const auto& [code, name] : names) {
    EXPECT_EQ(error_code_name(code), name) << static_cast<int>(code);
  }
}

TEST(ErrorCodeName, OutOfRangeCodeIsUnknownRatherThanACrash) {
  EXPECT_EQ(error_code_name(static_cast<ErrorCode>(200)), "unknown error");
}

TEST(ErrorToString, MessageAloneWhenLocationIsUnknown) {
  const Error error{ErrorCode::kParse, "filter \"x\": bad", {}};
  EXPECT_EQ(error.to_string(), "filter \"x\": bad");
}

TEST(ErrorToString, FileOnly) {
  const Error error{ErrorCode::kIo, "cannot open", {"policy.yaml", 0, 0}};
  EXPECT_EQ(error.to_string(), "policy.yaml: cannot open");
}

TEST(ErrorToString, FileAndLine) {
  const Error error{ErrorCode::kParse, "bad", {"policy.yaml", 14, 0}};
  EXPECT_EQ(error.to_string(), "policy.yaml:14: bad");
}

TEST(ErrorToString, FileLineAndColumnInLlvmStyle) {
  const Error error{ErrorCode::kTypeMismatch,
                    "filter \"block telnet\": field FWPM_CONDITION_IP_REMOTE_PORT expects "
                    "FWP_UINT16, got \"abc\"",
                    {"policy.yaml", 14, 7}};
  EXPECT_EQ(error.to_string(),
            "policy.yaml:14:7: filter \"block telnet\": field FWPM_CONDITION_IP_REMOTE_PORT "
            "expects FWP_UINT16, got \"abc\"");
}

TEST(ErrorToString, ColumnWithoutLineIsLeftOut) {
  const Error error{ErrorCode::kParse, "bad", {"policy.yaml", 0, 7}};
  EXPECT_EQ(error.to_string(), "policy.yaml: bad");
}

TEST(ErrorToString, LineWithoutFileIsLeftOut) {
  const Error error{ErrorCode::kParse, "bad", {"", 3, 4}};
  EXPECT_EQ(error.to_string(), "bad");
}

TEST(ErrorToString, HasNoErrorPrefix) {
  const Error error{ErrorCode::kInternal, "oops", {"f", 1, 1}};
  EXPECT_EQ(error.to_string().rfind("error", 0), std::string::npos);
}

TEST(Fail, BuildsTheErrorSideWithCodeMessageAndLocation) {
  Result<int> result = fail(ErrorCode::kInvalidRange, "empty", {"p.yaml", 2, 3});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidRange);
  EXPECT_EQ(result.error().message, "empty");
  EXPECT_EQ(result.error().where.file, "p.yaml");
  EXPECT_EQ(result.error().where.line, 2U);
  EXPECT_EQ(result.error().where.column, 3U);
}

Result<int> half(int value) {
  if (value % 2 != 0) {
    return fail(ErrorCode::kParse, "odd: " + std::to_string(value));
  }
  return value / 2;
}

Result<int> quarter(int value) {
  OPENFWP_TRY(const int h, half(value));
  OPENFWP_TRY(const int q, half(h));
  return q;
}

Result<void> check_even(int value) {
  OPENFWP_TRY_VOID(half(value));
  return {};
}

TEST(OpenfwpTry, UnwrapsValuesOnSuccess) {
  auto result = quarter(12);
  ASSERT_TRUE(result);
  EXPECT_EQ(*result, 3);
}

TEST(OpenfwpTry, PropagatesTheFirstErrorUnchanged) {
  auto result = quarter(6);  // 6 -> 3 -> odd
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kParse);
  EXPECT_EQ(result.error().message, "odd: 3");
}

TEST(OpenfwpTry, VoidFormPropagatesErrorsAndPassesSuccess) {
  EXPECT_TRUE(check_even(4));
  auto bad = check_even(5);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "odd: 5");
}

}  // namespace
}  // namespace openfwp
