#include "store/sqlite/sqlite_db.h"

#include <fmt/format.h>

#include <mutex>

namespace haetae::store::sqlite {

void throw_db_error(sqlite3* db, int rc, std::string_view what) {
  throw db_error(rc, fmt::format("sqlite: {}: {} ({})", what, db ? sqlite3_errmsg(db) : "",
                                 sqlite3_errstr(rc)));
}

stmt& stmt::bind(int i, std::int64_t v) {
  int rc = sqlite3_bind_int64(s_, i, v);
  if (rc != SQLITE_OK) throw_db_error(db_, rc, "bind");
  return *this;
}

stmt& stmt::bind(int i, std::string_view v) {
  int rc = sqlite3_bind_text64(s_, i, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) throw_db_error(db_, rc, "bind");
  return *this;
}

stmt& stmt::bind_null(int i) {
  int rc = sqlite3_bind_null(s_, i);
  if (rc != SQLITE_OK) throw_db_error(db_, rc, "bind");
  return *this;
}

bool stmt::step() {
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw_db_error(db_, rc, sqlite3_sql(s_));
}

void stmt::run() {
  while (step()) {
  }
}

std::string stmt::text(int col) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, col));
  if (!p) return {};
  return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s_, col)));
}

result<std::unique_ptr<connection>> connection::open(const std::string& path,
                                                     const std::string& vfs, open_mode mode) {
  static std::once_flag configured;
  std::call_once(configured, [] {
    // No global allocation statistics: they put a mutex around every sqlite3_malloc. Refused
    // (SQLITE_MISUSE) if SQLite was already initialised in this process; then it stays on.
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  });
  // NOMUTEX: a connection is used by one thread at a time (sqlite_db.h), so SQLite's
  // per-call connection mutex is pure overhead on the writer's hot path.
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW;
  if (mode == open_mode::read_write_create) flags |= SQLITE_OPEN_CREATE;
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, vfs.empty() ? nullptr : vfs.c_str());
  if (rc != SQLITE_OK) {
    std::string msg =
        fmt::format("cannot open {}: {}", path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close_v2(db);
    return make_error(errc::store_unavailable, msg);
  }
  sqlite3_extended_result_codes(db, 1);
  return std::unique_ptr<connection>(new connection(db));
}

connection::~connection() {
  for (auto& [sql, s] : cache_) sqlite3_finalize(s);
  sqlite3_close_v2(db_);
}

stmt connection::prepare(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* s = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &s, nullptr);
    if (rc != SQLITE_OK) throw_db_error(db_, rc, fmt::format("prepare {}", sql));
    it = cache_.emplace(sql, s).first;
  }
  return stmt(db_, it->second);
}

void connection::exec(const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw db_error(rc, fmt::format("sqlite: {}: {}", sql, msg));
  }
}

status connection::try_exec(const char* sql) {
  try {
    exec(sql);
    return ok_status();
  } catch (const db_error& e) {
    return make_error(errc::store_unavailable, e.what());
  }
}

std::string connection::pragma_text(const char* sql) {
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql, -1, &s, nullptr);
  if (rc != SQLITE_OK) throw_db_error(db_, rc, sql);
  std::string out;
  rc = sqlite3_step(s);
  if (rc == SQLITE_ROW) {
    auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    out = p ? p : "";
  } else if (rc != SQLITE_DONE) {
    sqlite3_finalize(s);
    throw_db_error(db_, rc, sql);
  }
  sqlite3_finalize(s);
  return out;
}

}  // namespace haetae::store::sqlite
