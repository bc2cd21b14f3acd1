#include "client/client_id.h"

namespace haetae::client {

client_id_generator::client_id_generator()
    : rng_((static_cast<std::uint64_t>(std::random_device{}()) << 32) ^ std::random_device{}()) {}

client_id_generator::client_id_generator(std::uint64_t seed) : rng_(seed) {}

std::string client_id_generator::next() {
  static constexpr char digits[] = "0123456789abcdef";
  std::string id(32, '0');
  for (int half = 0; half < 2; ++half) {
    std::uint64_t bits = rng_();
    for (int i = 0; i < 16; ++i) {
      id[half * 16 + i] = digits[bits & 0xf];
      bits >>= 4;
    }
  }
  return id;
}

}  // namespace haetae::client
