// SPDX-License-Identifier: Apache-2.0
// Runs a Scenario on a fresh Network and returns the trace. Each step runs, then the network
// runs until it is quiet (every packet delivered, every timer fired or cancelled).
#pragma once

#include "stack/scenario.h"
#include "stack/trace.h"

namespace openfwp::stack {

/// Errors are the scenario's (a step naming an unknown host or connection), located at the
/// step; what applications see (a refused connect) is in the trace, not an error.
/// With `explain`, every classification record carries its explanation (Network::explain).
Result<Trace> simulate(const Scenario& scenario, bool explain = false);

}  // namespace openfwp::stack
