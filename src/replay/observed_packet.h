// SPDX-License-Identifier: Apache-2.0
// A decoded frame (io/wire) as the replay host's ObservedPacket (stack/replay_types.h).
#pragma once

#include "io/wire/decode.h"
#include "stack/replay_types.h"

namespace openfwp::replay {

/// The fields WFP's layers classify on. `packet` must have an IP header; spans keep pointing
/// into the decoded frame's buffer.
stack::ObservedPacket observed_from(const io::wire::DecodedPacket& packet, std::uint64_t index,
                                    std::uint64_t time_us);

}  // namespace openfwp::replay
