// SQLite-specific guarantees: the durability settings are in force, the write queue is bounded,
// and the schema version guards against files from a newer haetae.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "store/sqlite/fault_vfs.h"
#include "store/sqlite/sqlite_store.h"
#include "store/tests/store_test_util.h"

namespace haetae::store {
namespace {

using testing::temp_dir;
using testing::wait_for;

std::string db_path(const temp_dir& d) { return d.path() + "/haetae.db"; }

// Runs one statement on a private connection to the file and returns the first column.
std::string query_file(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
    auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    out = p ? p : "";
  }
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

TEST(SqliteDurabilityTest, WriterRunsInWalModeWithSynchronousFull) {
  temp_dir dir;
  auto s = open_sqlite_store({.dir = dir.path(), .vfs = {}});
  ASSERT_TRUE(s.ok()) << s.err().text();
  auto d = read_durability_settings(**s);
  ASSERT_TRUE(d.ok()) << d.err().text();
  EXPECT_EQ(d->journal_mode, "wal");
  EXPECT_EQ(d->synchronous, 2);  // FULL
  // WAL is a property of the file: any connection sees it.
  EXPECT_EQ(query_file(db_path(dir), "PRAGMA journal_mode"), "wal");
}

TEST(SqliteDurabilityTest, OpenCreatesTheDirectoryAndSchemaVersion) {
  temp_dir dir;
  std::string nested = dir.path() + "/a/b";
  {
    auto s = open_sqlite_store({.dir = nested, .vfs = {}});
    ASSERT_TRUE(s.ok()) << s.err().text();
  }
  EXPECT_TRUE(std::filesystem::exists(nested + "/haetae.db"));
  EXPECT_EQ(query_file(nested + "/haetae.db", "PRAGMA user_version"), "1");
}

TEST(SqliteDurabilityTest, OpenRefusesADatabaseFromANewerVersion) {
  temp_dir dir;
  {
    auto s = open_sqlite_store({.dir = dir.path(), .vfs = {}});
    ASSERT_TRUE(s.ok());
  }
  query_file(db_path(dir), "PRAGMA user_version = 99");
  auto s = open_sqlite_store({.dir = dir.path(), .vfs = {}});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), errc::store_unavailable);
  EXPECT_NE(s.err().message.find("99"), std::string::npos) << s.err().text();
  EXPECT_EQ(query_file(db_path(dir), "PRAGMA user_version"), "99");
}

TEST(SqliteDurabilityTest, OpenRefusesToRunWithoutWal) {
  temp_dir dir;
  sqlite::fault_vfs no_shm("haetae-no-shm", sqlite::shared_memory::off);
  auto s = open_sqlite_store({.dir = dir.path(), .vfs = no_shm.name()});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), errc::store_unavailable);
  EXPECT_NE(s.err().message.find("WAL"), std::string::npos) << s.err().text();
}

TEST(SqliteDurabilityTest, OpenFailsClearlyOnAnUnknownVfs) {
  temp_dir dir;
  auto s = open_sqlite_store({.dir = dir.path(), .vfs = "no-such-vfs"});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), errc::store_unavailable);
}

TEST(SqliteDurabilityTest, FullWriteQueueRefusesWithOverloadedAtOnce) {
  temp_dir dir;
  auto opened =
      open_sqlite_store({.dir = dir.path(), .vfs = {}, .readers = 1, .max_queued_writes = 3});
  ASSERT_TRUE(opened.ok());
  auto& s = **opened;
  // Hold the writer in the first write's completion so the queue cannot drain.
  std::mutex mu;
  std::condition_variable cv;
  bool entered = false, release = false;
  s.create_user("gate", "g", "h", [&](result<user_record>) {
    std::unique_lock lock(mu);
    entered = true;
    cv.notify_all();
    cv.wait_for(lock, testing::hang_timeout, [&] { return release; });
  });
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, testing::hang_timeout, [&] { return entered; }));
  }
  std::vector<errc> codes(4, errc::internal);
  std::mutex codes_mu;
  int completed = 0;
  std::condition_variable all_done;
  for (int i = 0; i < 4; ++i) {
    s.create_user("u" + std::to_string(i), "d", "h", [&, i](result<user_record> r) {
      std::lock_guard lock(codes_mu);
      codes[i] = r.code();
      ++completed;
      all_done.notify_all();
    });
  }
  {
    std::lock_guard lock(codes_mu);
    EXPECT_EQ(completed, 1);  // only the 4th, refused without waiting for the writer
    EXPECT_EQ(codes[3], errc::overloaded);
  }
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  std::unique_lock lock(codes_mu);
  ASSERT_TRUE(all_done.wait_for(lock, testing::hang_timeout, [&] { return completed == 4; }));
  EXPECT_EQ(codes[0], errc::ok);
  EXPECT_EQ(codes[1], errc::ok);
  EXPECT_EQ(codes[2], errc::ok);
  lock.unlock();
  EXPECT_EQ(s.user_by_name("u3").code(), errc::not_found);
}

TEST(SqliteDurabilityTest, ClosingDrainsQueuedWrites) {
  temp_dir dir;
  std::mutex mu;
  int ok = 0;
  {
    auto s = open_sqlite_store({.dir = dir.path(), .vfs = {}});
    ASSERT_TRUE(s.ok());
    for (int i = 0; i < 200; ++i) {
      (*s)->create_user("u" + std::to_string(i), "d", "h", [&](result<user_record> r) {
        std::lock_guard lock(mu);
        if (r) ++ok;
      });
    }
  }  // destroyed with writes queued
  EXPECT_EQ(ok, 200);
  auto s = open_sqlite_store({.dir = dir.path(), .vfs = {}});
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE((*s)->user_by_name("u199").ok());
}

TEST(SqliteDurabilityTest, IdleStoreCheckpointsAndTruncatesTheWal) {
  temp_dir dir;
  auto s = open_sqlite_store({.dir = dir.path()});
  ASSERT_TRUE(s.ok());
  for (int i = 0; i < 20; ++i) {
    auto r = wait_for<user_record>(
        [&](auto d) { (*s)->create_user("u" + std::to_string(i), "d", "h", d); });
    ASSERT_TRUE(r.ok());
  }
  std::string wal = db_path(dir) + "-wal";
  ASSERT_GT(std::filesystem::file_size(wal), 0u);  // commits leave the WAL to the checkpointer
  // The checkpointer truncates the WAL once the store is idle; the bound only catches a hang.
  auto deadline = std::chrono::steady_clock::now() + testing::hang_timeout;
  while (std::filesystem::file_size(wal) > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(std::filesystem::file_size(wal), 0u);
  // Everything is still there, now in the main file.
  EXPECT_TRUE((*s)->user_by_name("u19").ok());
  EXPECT_EQ(query_file(db_path(dir), "SELECT count(*) FROM users"), "20");
}

TEST(SqliteDurabilityTest, BusyWriterRewindsTheWalInsteadOfGrowingIt) {
  temp_dir dir;
  constexpr int restart_frames = 64;
  constexpr int commits = 400;
  auto s = open_sqlite_store({.dir = dir.path(), .wal_restart_frames = restart_frames});
  ASSERT_TRUE(s.ok());
  // One write per commit, back to back: the store never looks idle, so only the writer's own
  // rewind keeps the WAL small. Without it these commits append well over 1,000 frames.
  for (int i = 0; i < commits; ++i) {
    auto r = wait_for<user_record>(
        [&](auto d) { (*s)->create_user("u" + std::to_string(i), "d", "h", d); });
    ASSERT_TRUE(r.ok());
  }
  std::string wal = db_path(dir) + "-wal";
  // The file keeps its high-water mark; a rewinding WAL never gets far past the threshold.
  constexpr std::uintmax_t frame_bytes = 4096 + 24;
  EXPECT_LT(std::filesystem::file_size(wal), 4 * restart_frames * frame_bytes);
  EXPECT_EQ(query_file(db_path(dir), "SELECT count(*) FROM users"), std::to_string(commits));
}

}  // namespace
}  // namespace haetae::store
