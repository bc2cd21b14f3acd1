#pragma once
// A thin RAII layer over one sqlite3 connection: cached prepared statements and typed binding.
//
// SQLite failures below this layer throw db_error, caught at the operation boundary
// (sqlite_store) and turned into errc::store_unavailable: an I/O or corruption error is the one
// truly exceptional case here, and a throw keeps every query free of boilerplate. Expected
// outcomes (not found, not a member) never throw; they are result<T> values.
//
// A connection is used by one thread at a time (the writer, the checkpointer, or a reader that
// borrowed it from the pool).
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/result.h"

namespace haetae::store::sqlite {

class db_error : public std::runtime_error {
 public:
  db_error(int rc, const std::string& what) : std::runtime_error(what), rc_(rc) {}
  int rc() const { return rc_; }

 private:
  int rc_;
};

// A borrowed cached statement; resets itself (and its bindings) when it goes out of scope.
class stmt {
 public:
  stmt(sqlite3* db, sqlite3_stmt* s) : db_(db), s_(s) {}
  ~stmt() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  stmt(const stmt&) = delete;
  stmt& operator=(const stmt&) = delete;

  stmt& bind(int i, std::int64_t v);
  stmt& bind(int i, std::string_view v);
  stmt& bind_null(int i);

  // True while there is a row; false when done. Throws db_error on failure.
  bool step();
  // Runs to completion, ignoring rows.
  void run();

  std::int64_t i64(int col) const { return sqlite3_column_int64(s_, col); }
  std::string text(int col) const;
  bool is_null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }

 private:
  sqlite3* db_;
  sqlite3_stmt* s_;
};

enum class open_mode { read_write_create, read_write };

class connection {
 public:
  // `vfs` empty: the default VFS.
  static result<std::unique_ptr<connection>> open(const std::string& path, const std::string& vfs,
                                                  open_mode mode);
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  sqlite3* raw() const { return db_; }

  // `sql` must be a string literal: its address and text key the statement cache.
  stmt prepare(std::string_view sql);
  // Runs statements without results (pragmas, DDL, BEGIN/COMMIT). Throws db_error.
  void exec(const char* sql);
  // Like exec, but returns the error instead of throwing (COMMIT, ROLLBACK).
  status try_exec(const char* sql);
  // The single text value of a one-row pragma, e.g. "wal" for "PRAGMA journal_mode".
  std::string pragma_text(const char* sql);
  bool in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

 private:
  explicit connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<std::string_view, sqlite3_stmt*> cache_;
};

[[noreturn]] void throw_db_error(sqlite3* db, int rc, std::string_view what);

}  // namespace haetae::store::sqlite
