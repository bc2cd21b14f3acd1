#pragma once
// result<T>: a value or an error with a code and a message for people. Hand-rolled instead of
// Boost.Outcome because every error here carries a specific message ("name is longer than 32
// bytes") beside its code, and that is what reaches the client.
#include <cassert>
#include <string>
#include <utility>
#include <variant>

#include "base/errc.h"

namespace haetae {

struct error {
  errc code = errc::internal;
  std::string message;  // empty: use errc_message(code)

  std::string_view text() const { return message.empty() ? errc_message(code) : message; }
};

inline error make_error(errc code, std::string message = {}) { return {code, std::move(message)}; }

template <class T>
class [[nodiscard]] result {
 public:
  result(T value) : v_(std::move(value)) {}
  result(error e) : v_(std::move(e)) {}
  result(errc code) : v_(error{code, {}}) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const error& err() const {
    assert(!ok());
    return std::get<1>(v_);
  }
  errc code() const { return ok() ? errc::ok : err().code; }

 private:
  std::variant<T, error> v_;
};

// For operations with nothing to return.
struct done {};
using status = result<done>;
inline status ok_status() { return done{}; }

}  // namespace haetae
