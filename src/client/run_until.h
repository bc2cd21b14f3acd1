#pragma once
// Drives an io_context on the calling thread until a condition holds or a time limit passes:
// how the one-thread load generators (`haetae bench`, `haetae drill`) wait for their sessions.
// `done` is checked between short slices of work, so it may read any state the handlers touch.
#include <boost/asio/io_context.hpp>
#include <chrono>

namespace haetae::client {

// True if `done()` held before `limit` passed.
template <class F>
bool run_until(boost::asio::io_context& io, std::chrono::steady_clock::duration limit, F done) {
  using namespace std::chrono_literals;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    if (io.stopped()) io.restart();
    io.run_for(5ms);
  }
  return true;
}

}  // namespace haetae::client
