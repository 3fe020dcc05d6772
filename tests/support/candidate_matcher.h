// SPDX-License-Identifier: Apache-2.0
// The matcher the contract and differential tests check against LinearMatcher, in one place so
// that swapping it is one line.
#pragma once

#include "classify/indexed_matcher.h"

namespace openfwp::testing {

using CandidateMatcher = classify::IndexedMatcher;

}  // namespace openfwp::testing
