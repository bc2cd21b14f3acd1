#include "store/postgres/pg_commit.h"

namespace haetae::store::pg {

bool commit_replicated(pg_conn& db, std::string& why) {
  std::uint64_t warnings = db.warnings();
  try {
    auto r = db.exec("COMMIT");
    if (std::string_view(PQcmdStatus(r.raw())) != "COMMIT") {
      why = "the transaction was rolled back at COMMIT";
      return false;
    }
  } catch (const pg_error& e) {
    why = e.what();
    return false;
  }
  if (db.warnings() != warnings) {
    why = "COMMIT returned a warning: the commit may not be replicated";
    return false;
  }
  return true;
}

}  // namespace haetae::store::pg
