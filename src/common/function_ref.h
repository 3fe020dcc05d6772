// SPDX-License-Identifier: Apache-2.0
// FunctionRef: a non-owning, non-allocating reference to a callable (LLVM's function_ref), for
// visitor parameters on hot paths where std::function would allocate.
#pragma once

#include <cstdint>
#include <type_traits>
#include <utility>

namespace openfwp {

template <class Signature>
class FunctionRef;

template <class Ret, class... Args>
class FunctionRef<Ret(Args...)> {
 public:
  /// The callable must outlive the FunctionRef (pass temporaries only as call arguments).
  template <class Callable,
            class = std::enable_if_t<!std::is_same_v<std::decay_t<Callable>, FunctionRef>>>
  FunctionRef(Callable&& callable)  // NOLINT(google-explicit-constructor): by design
      : object_(reinterpret_cast<std::intptr_t>(&callable)),
        call_([](std::intptr_t object, Args... args) -> Ret {
          return (*reinterpret_cast<std::remove_reference_t<Callable>*>(object))(
              std::forward<Args>(args)...);
        }) {}

  Ret operator()(Args... args) const { return call_(object_, std::forward<Args>(args)...); }

 private:
  std::intptr_t object_;
  Ret (*call_)(std::intptr_t, Args...);
};

}  // namespace openfwp
