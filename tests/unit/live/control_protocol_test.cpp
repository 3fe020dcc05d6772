// SPDX-License-Identifier: Apache-2.0
// The control socket's wire form: every verb round-trips, and every malformed request is a
// kParse error that names what is wrong.
#include "live/control_protocol.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace openfwp::live {
namespace {

ControlRequest verb_only(ControlVerb verb) {
  ControlRequest request;
  request.verb = verb;
  return request;
}

std::vector<ControlRequest> every_form() {
  ControlRequest add = verb_only(ControlVerb::kFilterAdd);
  add.policy = "filters:\n  - {name: \"block telnet\", layer: FWPM_LAYER_ALE_AUTH_CONNECT_V4}\n";
  ControlRequest by_id = verb_only(ControlVerb::kFilterDelete);
  by_id.filter_id = 12;
  ControlRequest by_big_id = verb_only(ControlVerb::kFilterDelete);
  by_big_id.filter_id = 18446744073709551615ULL;
  ControlRequest by_key = verb_only(ControlVerb::kFilterDelete);
  by_key.filter_key = "{6e1c3b52-3f39-4d4b-9b6a-0c0c5a5d1a2b}";
  return {add,
          by_id,
          by_big_id,
          by_key,
          verb_only(ControlVerb::kFilterList),
          verb_only(ControlVerb::kFlows),
          verb_only(ControlVerb::kEvents),
          verb_only(ControlVerb::kReload),
          verb_only(ControlVerb::kStats)};
}

TEST(ControlProtocol, EveryVerbRoundTrips) {
  for (const ControlRequest& request : every_form()) {
    const std::string line = format_control_request(request);
    SCOPED_TRACE(line);
    EXPECT_EQ(line.find('\n'), std::string::npos);
    auto parsed = parse_control_request(line);
    ASSERT_TRUE(parsed) << parsed.error().to_string();
    EXPECT_EQ(*parsed, request);
  }
}

TEST(ControlProtocol, ParsesTheDocumentedWireForms) {
  auto add = parse_control_request(R"({"verb":"filter add","policy":"filters: []"})");
  ASSERT_TRUE(add) << add.error().to_string();
  EXPECT_EQ(add->verb, ControlVerb::kFilterAdd);
  EXPECT_EQ(add->policy, "filters: []");

  auto by_id = parse_control_request(R"({"verb":"filter delete","id":12})");
  ASSERT_TRUE(by_id) << by_id.error().to_string();
  EXPECT_EQ(by_id->filter_id, 12U);
  EXPECT_TRUE(by_id->filter_key.empty());

  auto by_key = parse_control_request(R"( { "key" : "block telnet", "verb" : "filter delete" } )");
  ASSERT_TRUE(by_key) << by_key.error().to_string();
  EXPECT_FALSE(by_key->filter_id);
  EXPECT_EQ(by_key->filter_key, "block telnet");

  auto events = parse_control_request(R"({"verb":"events"})");
  ASSERT_TRUE(events);
  EXPECT_EQ(events->verb, ControlVerb::kEvents);
}

struct Malformed {
  std::string line;
  std::string names;  // what the message must mention
};

TEST(ControlProtocol, MalformedRequestsNameTheProblem) {
  const std::vector<Malformed> cases = {
      {"", "not JSON"},
      {"verb filter list", "not JSON"},
      {R"({"verb":"stats")", "not JSON"},
      {R"(["verb","stats"])", "expected a JSON object, got array"},
      {"42", "expected a JSON object, got number"},
      {R"({"verb":"filter delete","id":1E666})", "not JSON: number overflow parsing '1E666'"},
      {"6E666", "not JSON: number overflow"},
      {R"({})", "member \"verb\" is missing"},
      {R"({"policy":"x"})", "member \"verb\" is missing"},
      {R"({"verb":7})", "member \"verb\" must be a string"},
      {R"({"verb":"filter remove"})", "unknown verb \"filter remove\""},
      {R"({"verb":"STATS"})", "unknown verb"},
      {R"({"verb":"filter delete","id":-1})", "member \"id\" must be an unsigned integer, got -1"},
      {R"({"verb":"filter delete","id":1.5})", "member \"id\" must be an unsigned integer"},
      {R"({"verb":"filter delete","id":"12"})", "member \"id\" must be an unsigned integer"},
      {R"({"verb":"filter delete","id":18446744073709551616})",
       "member \"id\" must be an unsigned integer"},
      {R"({"verb":"filter delete","id":1,"key":"x"})", "\"id\" and \"key\" are both given"},
      {R"({"verb":"filter delete"})", "member \"id\" or \"key\" is missing"},
      {R"({"verb":"filter delete","key":""})", "member \"key\" must not be empty"},
      {R"({"verb":"filter delete","key":5})", "member \"key\" must be a string"},
      {R"({"verb":"filter add"})", "member \"policy\" is missing"},
      {R"({"verb":"filter add","policy":{"filters":[]}})", "member \"policy\" must be a string"},
      {R"({"verb":"stats","verbose":true})", "unknown member \"verbose\" for verb \"stats\""},
      {R"({"verb":"flows","id":3})", "unknown member \"id\" for verb \"flows\""},
      {R"({"verb":"filter add","policy":"x","key":"y"})", "unknown member \"key\""},
  };
  for (const Malformed& c : cases) {
    SCOPED_TRACE(c.line);
    auto parsed = parse_control_request(c.line);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().code, ErrorCode::kParse);
    EXPECT_NE(parsed.error().message.find("control request: "), std::string::npos);
    EXPECT_NE(parsed.error().message.find(c.names), std::string::npos) << parsed.error().message;
  }
}

TEST(ControlProtocol, RejectsLinesAboveOneMebibyte) {
  const std::string filler(kMaxControlLine, 'a');
  const std::string line = R"({"verb":"filter add","policy":")" + filler + R"("})";
  auto parsed = parse_control_request(line);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().code, ErrorCode::kParse);
  EXPECT_NE(parsed.error().message.find("limit of 1048576 bytes"), std::string::npos)
      << parsed.error().message;

  // Just under the limit is fine.
  const std::string fits(kMaxControlLine - 40, 'a');
  EXPECT_TRUE(parse_control_request(R"({"verb":"filter add","policy":")" + fits + R"("})"));
}

TEST(ControlProtocol, OkResponseMergesTheBody) {
  auto doc = nlohmann::json::parse(ok_response());
  EXPECT_EQ(doc, nlohmann::json::parse(R"({"ok":true})"));
  doc = nlohmann::json::parse(ok_response({{"filters", nlohmann::json::array({1, 2})}}));
  EXPECT_EQ(doc, nlohmann::json::parse(R"({"ok":true,"filters":[1,2]})"));
  doc = nlohmann::json::parse(ok_response(nlohmann::json::array({3})));
  EXPECT_EQ(doc, nlohmann::json::parse(R"({"ok":true,"result":[3]})"));
  EXPECT_EQ(ok_response().find('\n'), std::string::npos);
}

TEST(ControlProtocol, ErrorResponseCarriesTheWfpCodeName) {
  const Error error{ErrorCode::kFilterNotFound, "filter 12 does not exist", {}};
  const auto doc = nlohmann::json::parse(error_response(error));
  EXPECT_EQ(doc["ok"], false);
  EXPECT_EQ(doc["error"]["code"], "FWP_E_FILTER_NOT_FOUND");
  EXPECT_EQ(doc["error"]["message"], "filter 12 does not exist");
  EXPECT_EQ(error_response(error).find('\n'), std::string::npos);
}

}  // namespace
}  // namespace openfwp::live
