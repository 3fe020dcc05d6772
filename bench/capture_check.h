// SPDX-License-Identifier: Apache-2.0
// gen_capture --check: reads a capture back with openfwp's own reader (io/pcap, io/wire) and
// checks what the generator promises, so a broken generator cannot feed the benchmark quietly.
#pragma once

#include <string>

namespace openfwp::bench {

/// Checks `path`: Ethernet link type; every frame decodes with no anomaly and no bad checksum;
/// TCP, UDP or ICMP only, always to or from the local host; timestamps never go back; ICMP
/// errors quote a datagram of the conversation they answer; no TCP segment acks bytes its peer
/// has not sent, and every sequence gap (a segment ahead of the stream) is matched by a late
/// segment. Prints a summary (or the first failure) and returns the exit status: 0 or 1.
int check_capture(const std::string& path, bool quiet);

}  // namespace openfwp::bench
