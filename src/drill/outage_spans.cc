#include "drill/outage_spans.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace haetae::drill {

namespace {

enum class mark { want, served, failed };

struct moment {
  steady::time_point at;
  mark what;
};

// Sorted by time; at one instant a want comes before what serves it.
void sort_moments(std::vector<moment>& m) {
  std::stable_sort(m.begin(), m.end(), [](const moment& a, const moment& b) {
    if (a.at != b.at) return a.at < b.at;
    return a.what == mark::want && b.what != mark::want;
  });
}

// The part of [start, end] after `from`.
steady::duration clipped(steady::time_point start, steady::time_point end,
                         steady::time_point from) {
  start = std::max(start, from);
  return end > start ? end - start : steady::duration::zero();
}

}  // namespace

steady::duration longest_write_stall(const client_log& c, steady::time_point from,
                                     steady::time_point until) {
  std::unordered_map<std::string, steady::time_point> acked;
  for (const ack_record& a : c.acks) acked.emplace(a.client_id, a.at);
  std::vector<moment> m;
  for (const send_record& s : c.sends) {
    if (s.queued > until) continue;
    m.push_back({s.queued, mark::want});
    auto it = acked.find(s.client_id);
    if (it != acked.end() && it->second <= until) m.push_back({it->second, mark::served});
  }
  sort_moments(m);
  steady::duration longest{};
  long long pending = 0;
  steady::time_point since{};
  for (const moment& x : m) {
    if (x.what == mark::want) {
      if (pending++ == 0) since = x.at;
      continue;
    }
    longest = std::max(longest, clipped(since, x.at, from));
    --pending;
    since = x.at;  // still pending ones wait from this ack on
  }
  if (pending > 0) longest = std::max(longest, clipped(since, until, from));
  return longest;
}

steady::duration longest_read_stall(const client_log& c, steady::time_point from,
                                    steady::time_point until) {
  std::vector<moment> m;
  for (const read_probe_record& r : c.reads) {
    if (r.started > until) continue;
    m.push_back({r.started, mark::want});
    if (r.finished != steady::time_point{} && r.finished <= until) {
      m.push_back({r.finished, r.ok ? mark::served : mark::failed});
    }
  }
  sort_moments(m);
  steady::duration longest{};
  bool wanting = false;
  steady::time_point since{};
  for (const moment& x : m) {
    if (x.what == mark::want && !wanting) {
      wanting = true;
      since = x.at;
    } else if (x.what == mark::served && wanting) {
      longest = std::max(longest, clipped(since, x.at, from));
      wanting = false;
    }
  }
  if (wanting) longest = std::max(longest, clipped(since, until, from));
  return longest;
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double rank = std::ceil(p * static_cast<double>(values.size()));
  const auto k = static_cast<std::size_t>(std::max(1.0, rank)) - 1;
  return values[std::min(k, values.size() - 1)];
}

}  // namespace haetae::drill
