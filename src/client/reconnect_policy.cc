#include "client/reconnect_policy.h"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace haetae::client {

reconnect_policy::reconnect_policy(std::vector<std::string> nodes, reconnect_options options,
                                   std::uint64_t seed)
    : nodes_(std::move(nodes)), options_(options), rng_(seed) {
  assert(!nodes_.empty());
  // Spread clients over the nodes from the start.
  index_ = static_cast<std::size_t>(rng_() % nodes_.size());
}

std::chrono::milliseconds reconnect_policy::on_failure() {
  index_ = (index_ + 1) % nodes_.size();
  double base = static_cast<double>(options_.initial.count()) *
                std::pow(options_.multiplier, std::min(failures_, 30));
  base = std::min(base, static_cast<double>(options_.max.count()));
  ++failures_;
  std::uniform_real_distribution<double> jitter(0.5, 1.0);
  return std::chrono::milliseconds(static_cast<std::int64_t>(base * jitter(rng_)));
}

void reconnect_policy::on_success() { failures_ = 0; }

}  // namespace haetae::client
