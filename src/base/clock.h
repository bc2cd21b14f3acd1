#pragma once
#include <chrono>
#include <cstdint>

namespace haetae {

// Milliseconds since the Unix epoch: the time format of the store and the wire.
inline std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace haetae
