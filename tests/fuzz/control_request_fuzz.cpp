// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: a control-socket request line → parse_control_request → (if it parsed)
// format → parse again. Properties beyond "no crash": every error says something, and a parsed
// request formats to one line that parses back to the same request.
#include "live/control_protocol.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  auto request = openfwp::live::parse_control_request(line);
  if (!request) {
    if (request.error().message.empty()) std::abort();
    return 0;
  }
  const std::string text = openfwp::live::format_control_request(*request);
  if (text.find('\n') != std::string::npos) {
    std::fprintf(stderr, "formatted request spans lines: %s\n", text.c_str());
    std::abort();
  }
  auto again = openfwp::live::parse_control_request(text);
  if (!again) {
    std::fprintf(stderr, "formatted request does not parse: %s\n%s\n", text.c_str(),
                 again.error().to_string().c_str());
    std::abort();
  }
  if (!(*again == *request)) {
    std::fprintf(stderr, "round trip changed the request: %s\n", text.c_str());
    std::abort();
  }
  return 0;
}
