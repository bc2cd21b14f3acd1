#pragma once
// Defence in depth against an HA layer that lets an old primary come back (issue 8): a PostgreSQL
// timeline only grows, so a server on a lower timeline than one this node has already committed
// through is a primary that a failover replaced (a frozen DC that resumed before Patroni demoted
// it, or a bug in the HA layer). The node never writes to it: it refuses, says why in /readyz,
// and reconnects along the host list, so a bug shows as a stall and a log line, never as a
// silent loss.
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace haetae::store::pg {

// "00000003" (the first eight hex digits of a WAL file's name) -> 3; nothing if malformed.
std::optional<std::uint32_t> parse_timeline(std::string_view hex);

// Thread-safe: the writer records, readers may check.
class timeline_fence {
 public:
  // Empty if a server on `timeline` may be used; otherwise why not.
  std::string refuse(std::uint32_t timeline) const;
  // A commit on `timeline` returned replicated: never go below it again.
  void committed_through(std::uint32_t timeline);
  std::uint32_t highest() const { return highest_.load(); }

 private:
  std::atomic<std::uint32_t> highest_{0};
};

}  // namespace haetae::store::pg
