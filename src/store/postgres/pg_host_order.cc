#include "store/postgres/pg_host_order.h"

#include <algorithm>
#include <numeric>

namespace haetae::store::pg {

std::vector<std::size_t> reconnect_order(const std::vector<std::string>& hosts,
                                         const host_history& history,
                                         std::chrono::steady_clock::time_point now) {
  auto silent_within = [&](const std::string& host, std::chrono::steady_clock::duration d) {
    auto it = history.timed_out.find(host);
    return it != history.timed_out.end() && now - it->second < d;
  };
  auto rank = [&](const std::string& host) {
    return (silent_within(host, silent_goes_last_for) ? 2 : 0) + (host == history.lost ? 1 : 0);
  };
  std::vector<std::size_t> order(hosts.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return rank(hosts[a]) < rank(hosts[b]); });
  auto left_out = [&](std::size_t i) { return silent_within(hosts[i], silent_left_out_for); };
  if (!std::all_of(order.begin(), order.end(), left_out)) {
    order.erase(std::remove_if(order.begin(), order.end(), left_out), order.end());
  }
  return order;
}

}  // namespace haetae::store::pg
