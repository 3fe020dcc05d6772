// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: dump bytes → import_netsh → (if it imported) print → parse → print → apply.
// Properties checked beyond "no crash": every error says something, and an error in text that
// decodes (malformed XML, a bad element or value) names a line; an imported policy prints to
// text that parses again and prints identically (the canonical form is a fixed point); applying
// it to an engine either succeeds or fails with an error, never aborts.
#include "engine/engine.h"
#include "io/netsh/netsh_import.h"
#include "io/netsh/text_decoding.h"
#include "io/policy/policy.h"

#include "policy_properties.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto imported = openfwp::io::netsh::import_netsh(bytes, "fuzz.xml");
  if (!imported) {
    const auto& error = imported.error();
    if (error.message.empty()) std::abort();
    // Decoding errors (odd UTF-16 length, …) may concern the whole file; anything found after
    // decoding is at an element, so it has a line.
    if (openfwp::io::netsh::decode_dump_text(bytes, "fuzz.xml") && error.where.line == 0) {
      std::fprintf(stderr, "error without a line: %s\n", error.to_string().c_str());
      std::abort();
    }
    return 0;
  }
  openfwp::fuzz::check_policy_properties(imported->policy);
  return 0;
}
