#include "store/postgres/pg_epoch.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "store/postgres/pg_commit.h"
#include "store/postgres/pg_publish.h"
#include "store/postgres/pg_timeline_fence.h"

namespace haetae::store::pg {

result<std::uint32_t> server_timeline(pg_conn& db) {
  try {
    auto hex = db.exec("SELECT substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)").text(0, 0);
    if (auto t = parse_timeline(hex)) return *t;
    return make_error(errc::store_unavailable, "the server reports a malformed timeline: " + hex);
  } catch (const pg_error& e) {
    return make_error(errc::store_unavailable, fmt::format("reading the timeline: {}", e.what()));
  }
}

status settle_epoch(pg_conn& db, std::uint32_t server_tl, const std::string& node_tag) {
  // Stored as the WAL file name spells it: eight upper-case hex digits.
  const std::string timeline = fmt::format("{:08X}", server_tl);
  try {
    if (db.exec("SELECT timeline FROM cluster_epoch WHERE id = 1").text(0, 0) == timeline) {
      return ok_status();
    }
    // Read before the barrier below: its replicated commit covers everything read here.
    auto rooms = db.exec("SELECT id, last_seq FROM rooms");
    db.exec("BEGIN");
    bool first = db.exec("SELECT timeline FROM cluster_epoch WHERE id = 1 FOR UPDATE").text(0, 0) !=
                 timeline;
    if (first) {
      db.exec("UPDATE change_counter SET last = last + $1 WHERE id = 1", {epoch_change_gap});
      db.exec("UPDATE cluster_epoch SET timeline = $1 WHERE id = 1", {timeline});
    }
    db.exec(
        "INSERT INTO node_beats (node, beats) VALUES ($1, 1) ON CONFLICT (node) DO UPDATE "
        "SET beats = node_beats.beats + 1",
        {node_tag});
    std::string why;
    if (!commit_replicated(db, why)) {
      return make_error(errc::store_unavailable, "after a promotion: " + why);
    }
    std::vector<exposure> all;
    for (int i = 0; i < rooms.rows(); ++i) {
      seq_no last = rooms.i64(i, 1);
      all.push_back({room_id(rooms.i64(i, 0)), last + 1, last});
      if (all.size() == 1000 || i + 1 == rooms.rows()) {
        if (!publish(db, node_tag, all, why)) {
          return make_error(errc::store_unavailable, "republishing after a promotion: " + why);
        }
        all.clear();
      }
    }
    spdlog::info("store: timeline {}{}: {} rooms republished", timeline,
                 first ? " is new (change numbers moved ahead)" : "", rooms.rows());
    return ok_status();
  } catch (const pg_error& e) {
    if (db.connected() && db.in_transaction()) (void)db.try_exec("ROLLBACK");
    return make_error(errc::store_unavailable, fmt::format("checking the timeline: {}", e.what()));
  }
}

}  // namespace haetae::store::pg
