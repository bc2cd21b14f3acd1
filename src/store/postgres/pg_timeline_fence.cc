#include "store/postgres/pg_timeline_fence.h"

#include <fmt/format.h>

namespace haetae::store::pg {

std::optional<std::uint32_t> parse_timeline(std::string_view hex) {
  if (hex.size() != 8) return std::nullopt;
  std::uint32_t v = 0;
  for (char c : hex) {
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                   : -1;
    if (d < 0) return std::nullopt;
    v = v * 16 + static_cast<std::uint32_t>(d);
  }
  if (v == 0) return std::nullopt;  // timelines start at 1
  return v;
}

std::string timeline_fence::refuse(std::uint32_t timeline) const {
  const std::uint32_t h = highest_.load();
  if (timeline >= h) return {};
  return fmt::format(
      "refusing a primary on timeline {}: this node has committed through timeline {} (a "
      "replaced primary that came back; the HA layer must demote it)",
      timeline, h);
}

void timeline_fence::committed_through(std::uint32_t timeline) {
  std::uint32_t h = highest_.load();
  while (timeline > h && !highest_.compare_exchange_weak(h, timeline)) {
  }
}

}  // namespace haetae::store::pg
