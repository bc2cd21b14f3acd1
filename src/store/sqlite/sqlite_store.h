#pragma once
// The embedded SQLite backend of store::store (DESIGN §1): one file, WAL, synchronous=FULL,
// group commit by one writer thread, a pool of read connections and a checkpointer thread.
// See src/store/README.md and docs/store-schema.md.
#include <cstddef>
#include <memory>
#include <string>

#include "base/result.h"
#include "store/store.h"

namespace haetae::store {

struct sqlite_options {
  std::string dir = {};  // database file dir/haetae.db; the directory is created if missing
  std::string vfs = {};  // empty: the default VFS; tests pass the fault VFS's name
  int readers = 2;       // read connections
  std::size_t max_queued_writes = 100000;  // beyond: errc::overloaded at once
  // The writer rewinds the WAL once it holds this many frames (group_commit.h).
  int wal_restart_frames = 8192;
};

// Opens (creating or migrating) the store. Fails with errc::store_unavailable and a message
// when the file cannot be opened or SQLite does not confirm WAL and synchronous=FULL.
result<std::unique_ptr<store>> open_sqlite_store(const sqlite_options& options);

// The durability settings as SQLite reports them on the store's writer connection.
struct durability_settings {
  std::string journal_mode;  // "wal"
  int synchronous = 0;       // 2 = FULL
};
// `s` must come from open_sqlite_store (errc::invalid_field otherwise). Blocks until the writer
// thread has answered: never call it from a write completion.
result<durability_settings> read_durability_settings(store& s);

}  // namespace haetae::store
