// SPDX-License-Identifier: Apache-2.0
// FunctionRef: calls the referenced callable with its state, forwards arguments and results.
#include "common/function_ref.h"

#include <gtest/gtest.h>

#include <string>

namespace openfwp {
namespace {

int apply(FunctionRef<int(int)> f, int value) { return f(value); }

TEST(FunctionRef, CallsALambdaWithItsCaptures) {
  int offset = 10;
  EXPECT_EQ(apply([&](int v) { return v + offset; }, 5), 15);
  offset = 20;
  EXPECT_EQ(apply([&](int v) { return v + offset; }, 5), 25);
}

TEST(FunctionRef, SeesStateChangesOfTheReferencedCallable) {
  int calls = 0;
  auto counter = [&calls](int v) {
    ++calls;
    return v;
  };
  FunctionRef<int(int)> ref(counter);
  ref(1);
  ref(2);
  EXPECT_EQ(calls, 2);
}

TEST(FunctionRef, PassesReferenceArgumentsThrough) {
  auto append = [](std::string& s) { s += "!"; };
  FunctionRef<void(std::string&)> ref(append);
  std::string text = "hi";
  ref(text);
  EXPECT_EQ(text, "hi!");
}

TEST(FunctionRef, CallsAPlainFunction) {
  struct Local {
    static int twice(int v) { return 2 * v; }
  };
  EXPECT_EQ(apply(Local::twice, 21), 42);
}

}  // namespace
}  // namespace openfwp
