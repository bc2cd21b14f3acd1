#pragma once
// After a promotion (a new timeline), two things published on the old primary may have been
// taken back with its unreplicated tail: change numbers (a client's `changes` cursor may point
// past the new primary's counter) and publications (a room's events committed and replicated
// but never published, because the node that wrote them died before it could). The first
// writer to connect to a new timeline moves the counter far ahead and republishes every room up
// to what the promoted server holds, reading it before a replicated commit so it is all
// replicated.
#include <cstdint>
#include <string>

#include "base/result.h"
#include "store/postgres/pg_conn.h"

namespace haetae::store::pg {

// Where the counter jumps after a promotion: beyond any number the old primary could have
// handed out in the seconds before it was cut off.
inline constexpr std::int64_t epoch_change_gap = 1'000'000'000;

// The primary's current timeline (from its current WAL file's name).
result<std::uint32_t> server_timeline(pg_conn& db);

// `server_tl` is server_timeline(db). Does nothing when the stored timeline is the server's own.
status settle_epoch(pg_conn& db, std::uint32_t server_tl, const std::string& node_tag);

}  // namespace haetae::store::pg
