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
  if (auto st = check_synchronous_commit(db); !st) return st;
  if (auto st = db.try_exec("SET statement_timeout = 0"); !st) return st;
  return db.try_exec("SET idle_in_transaction_session_timeout = 0");
}

status check_replication(pg_conn&) { return ok_status(); }

}  // namespace haetae::store::pg
