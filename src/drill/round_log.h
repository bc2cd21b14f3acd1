#pragma once
// A round's progress lines for people: "drill: round 2   12.3s  freezing dr1", the time counted
// from the round's start. Flushed at once, so a drill under ctest shows where it stands.
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <utility>

namespace haetae::drill {

class round_log {
 public:
  explicit round_log(int round) : round_(round), start_(std::chrono::steady_clock::now()) {}

  template <class... A>
  void say(fmt::format_string<A...> f, A&&... a) {
    const double t =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    fmt::print("drill: round {} {:6.1f}s  {}\n", round_, t, fmt::format(f, std::forward<A>(a)...));
    std::fflush(stdout);
  }

 private:
  int round_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace haetae::drill
