#include "store/postgres/pg_settings.h"

#include <fmt/format.h>

namespace haetae::store::pg {

status check_synchronous_commit(pg_conn& db) {
  try {
    auto r = db.exec("SHOW synchronous_commit");
    std::string v = r.empty() ? "" : r.text(0, 0);
    if (v == "on" || v == "remote_apply") return ok_status();
    return make_error(errc::store_unavailable,
                      fmt::format("PostgreSQL has synchronous_commit = {}; haetae needs it on "
                                  "(a commit must be durable before it is acknowledged)",
                                  v));
  } catch (const pg_error& e) {
    return make_error(errc::store_unavailable,
                      fmt::format("cannot read synchronous_commit: {}", e.what()));
  }
}

status prepare_writer(pg_conn& db) {
  // First, so that a tiny database default cannot cancel the check itself.
  if (auto st = db.try_exec("SET statement_timeout = 0"); !st) return st;
  // idle_in_transaction_session_timeout stays the server's: it never fires during COMMIT (the
  // session is not idle then), and it ends a writer cut off or frozen in the middle of a batch,
  // whose room locks would otherwise stop every other node's writes (issue 8).
  return check_synchronous_commit(db);
}

status check_replication(pg_conn& db, bool require_standby) {
  if (!require_standby) return ok_status();
  try {
    auto r = db.exec("SELECT current_setting('synchronous_standby_names'), pg_is_in_recovery()");
    if (r.text(0, 1) == "t") {
      return make_error(errc::store_unavailable,
                        "the PostgreSQL server is a standby; writes need the primary "
                        "(target_session_attrs=read-write)");
    }
    if (r.text(0, 0).empty()) {
      return make_error(errc::store_unavailable,
                        "the PostgreSQL primary names no synchronous standby "
                        "(synchronous_standby_names is empty): a failover could lose "
                        "acknowledged messages, so haetae will not acknowledge any "
                        "(use Patroni's synchronous_mode_strict; --postgres-without-standby "
                        "is for tests)");
    }
    return ok_status();
  } catch (const pg_error& e) {
    return make_error(errc::store_unavailable,
                      fmt::format("cannot read synchronous_standby_names: {}", e.what()));
  }
}

}  // namespace haetae::store::pg
