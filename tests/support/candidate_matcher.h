// SPDX-License-Identifier: Apache-2.0
// The matcher the contract and differential tests check against LinearMatcher, in one place so
// that swapping it is one line.
#pragma once

#include "classify/linear_matcher.h"

namespace openfwp::testing {

// TODO(#6): classify::IndexedMatcher once classify/indexed_matcher.h is on main; until then the
// reference stands in, so the tests run (and can only fail on harness bugs).
using CandidateMatcher = classify::LinearMatcher;

}  // namespace openfwp::testing
