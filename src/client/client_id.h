#pragma once
// Client message ids (docs/protocol.md §1): a random 128-bit value as 32 hex digits. Seeded for
// reproducible runs (tests, benchmarks print the seed), random otherwise.
#include <cstdint>
#include <random>
#include <string>

namespace haetae::client {

class client_id_generator {
 public:
  client_id_generator();                             // seeded from std::random_device
  explicit client_id_generator(std::uint64_t seed);  // reproducible
  std::string next();

 private:
  std::mt19937_64 rng_;
};

}  // namespace haetae::client
