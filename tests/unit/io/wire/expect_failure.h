// SPDX-License-Identifier: Apache-2.0
// The assertion every decoder test makes about a frame that must not decode: which anomaly, and
// at which byte offset.
#pragma once

#include "io/wire/decode.h"

#include <gtest/gtest.h>

#include <cstddef>

namespace openfwp::io::wire {

inline void expect_failure(const DecodeResult& r, Anomaly anomaly, std::size_t offset) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(anomaly_name(r.failure->anomaly), anomaly_name(anomaly));
  EXPECT_EQ(r.failure->offset, offset);
}

}  // namespace openfwp::io::wire
