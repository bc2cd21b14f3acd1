#pragma once
// Which node to try next and how long to wait first: jittered exponential back-off over a list
// of node URLs. A failure moves on to the next node, so a dead data center is left behind.
#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace haetae::client {

struct reconnect_options {
  std::chrono::milliseconds initial{100};
  std::chrono::milliseconds max{5000};
  double multiplier = 2.0;
};

class reconnect_policy {
 public:
  // `nodes` must not be empty.
  reconnect_policy(std::vector<std::string> nodes, reconnect_options options, std::uint64_t seed);

  const std::string& current() const { return nodes_[index_]; }
  // A connection attempt failed or a live connection dropped: move to the next node and return
  // how long to wait before trying it, drawn from [base/2, base] (base grows per failure).
  std::chrono::milliseconds on_failure();
  // Connected and authenticated: the next failure starts the back-off afresh.
  void on_success();
  int failures() const { return failures_; }

 private:
  std::vector<std::string> nodes_;
  reconnect_options options_;
  std::mt19937_64 rng_;
  std::size_t index_ = 0;
  int failures_ = 0;
};

}  // namespace haetae::client
