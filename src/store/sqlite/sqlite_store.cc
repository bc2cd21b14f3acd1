#include "store/sqlite/sqlite_store.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <future>

#include "store/sqlite/checkpointer.h"
#include "store/sqlite/group_commit.h"
#include "store/sqlite/read_pool.h"
#include "store/sqlite/sqlite_reads.h"
#include "store/sqlite/sqlite_schema.h"
#include "store/sqlite/sqlite_writes.h"

namespace haetae::store {
namespace {

using sqlite::connection;
using sqlite::write_context;

class sqlite_store final : public store {
 public:
  sqlite_store(std::unique_ptr<sqlite::group_committer> writer,
               std::unique_ptr<sqlite::read_pool> readers,
               std::unique_ptr<connection> checkpoint_db, std::string wal_path)
      : readers_(std::move(readers)), writer_(std::move(writer)) {
    checkpointer_ = std::make_unique<sqlite::checkpointer>(
        std::move(checkpoint_db), std::move(wal_path),
        sqlite::writer_progress{[w = writer_.get()] { return w->stats().commits; },
                                [w = writer_.get()] { return w->wal_frames(); }});
  }

  ~sqlite_store() override {
    checkpointer_.reset();
    writer_.reset();  // drains the queue: every write gets its completion
    readers_.reset();
  }

  template <class T>
  void submit(completion<T> done, std::function<result<T>(write_context&)> fn) {
    writer_->submit(std::make_unique<sqlite::typed_write_op<T>>(std::move(fn), std::move(done)));
  }

  // --- writes ---
  void create_user(std::string name, std::string display_name, std::string password_hash,
                   completion<user_record> done) override {
    submit<user_record>(std::move(done), [=](write_context& w) {
      return sqlite::do_create_user(w, name, display_name, password_hash);
    });
  }
  void create_session(user_id user, std::string token_hash, std::string device_name,
                      completion<session_record> done) override {
    submit<session_record>(std::move(done), [=](write_context& w) {
      return sqlite::do_create_session(w, user, token_hash, device_name);
    });
  }
  void delete_session(std::string token_hash, completion<haetae::done> done) override {
    submit<haetae::done>(std::move(done), [=](write_context& w) {
      return sqlite::do_delete_session(w, token_hash);
    });
  }
  void update_display_name(user_id user, std::string display_name,
                           completion<user_record> done) override {
    submit<user_record>(std::move(done), [=](write_context& w) {
      return sqlite::do_update_display_name(w, user, display_name);
    });
  }
  void add_friend(user_id user, user_id other, completion<friend_entry> done) override {
    submit<friend_entry>(std::move(done), [=](write_context& w) {
      return sqlite::do_set_friend(w, user, other, friend_state::friend_);
    });
  }
  void block_user(user_id user, user_id other, completion<friend_entry> done) override {
    submit<friend_entry>(std::move(done), [=](write_context& w) {
      return sqlite::do_set_friend(w, user, other, friend_state::blocked);
    });
  }
  void open_direct_room(user_id user, user_id other, completion<room_change> done) override {
    submit<room_change>(std::move(done), [=](write_context& w) {
      return sqlite::do_open_direct_room(w, user, other);
    });
  }
  void create_group_room(group_request request, completion<room_change> done) override {
    submit<room_change>(std::move(done), [r = std::move(request)](write_context& w) {
      return sqlite::do_create_group_room(w, r);
    });
  }
  void invite(user_id actor, room_id room, std::vector<user_id> members,
              completion<room_change> done) override {
    submit<room_change>(std::move(done), [=, m = std::move(members)](write_context& w) {
      return sqlite::do_invite(w, actor, room, m);
    });
  }
  void leave(user_id user, room_id room, completion<room_change> done) override {
    submit<room_change>(std::move(done),
                        [=](write_context& w) { return sqlite::do_leave(w, user, room); });
  }
  void send(send_request request, completion<sent> done) override {
    submit<sent>(std::move(done),
                 [r = std::move(request)](write_context& w) { return sqlite::do_send(w, r); });
  }
  void mark_read(user_id user, room_id room, seq_no seq, completion<read_update> done) override {
    submit<read_update>(std::move(done),
                        [=](write_context& w) { return sqlite::do_mark_read(w, user, room, seq); });
  }

  // --- reads ---
  result<user_record> user_by_name(std::string_view name) override {
    return readers_->with([&](connection& db) { return sqlite::read_user_by_name(db, name); });
  }
  result<user_record> user_by_id(user_id id) override {
    return readers_->with([&](connection& db) { return sqlite::read_user_by_id(db, id); });
  }
  result<session_record> session_by_token_hash(std::string_view token_hash) override {
    return readers_->with([&](connection& db) { return sqlite::read_session(db, token_hash); });
  }
  result<std::vector<friend_entry>> friends(user_id user) override {
    return readers_->with([&](connection& db) { return sqlite::read_friends(db, user); });
  }
  result<std::vector<room_summary>> rooms(user_id user) override {
    return readers_->with([&](connection& db) { return sqlite::read_rooms(db, user); });
  }
  result<room_summary> room(user_id viewer, room_id room) override {
    return readers_->with([&](connection& db) { return sqlite::read_room(db, viewer, room); });
  }
  result<page> history(user_id viewer, room_id room, seq_no before_seq, int limit) override {
    return readers_->with(
        [&](connection& db) { return sqlite::read_history(db, viewer, room, before_seq, limit); });
  }
  result<page> sync(user_id viewer, room_id room, seq_no after_seq, int limit) override {
    return readers_->with(
        [&](connection& db) { return sqlite::read_sync(db, viewer, room, after_seq, limit); });
  }
  result<changes_page> changes(user_id user, change_no since, int limit) override {
    return readers_->with(
        [&](connection& db) { return sqlite::read_changes(db, user, since, limit); });
  }

  store_stats stats() const override { return writer_->stats(); }

  result<durability_settings> durability() {
    std::promise<result<durability_settings>> p;
    auto f = p.get_future();
    submit<durability_settings>([&p](result<durability_settings> r) { p.set_value(std::move(r)); },
                                [](write_context& w) -> result<durability_settings> {
                                  durability_settings d;
                                  d.journal_mode = w.db.pragma_text("PRAGMA journal_mode");
                                  d.synchronous = std::stoi(w.db.pragma_text("PRAGMA synchronous"));
                                  return d;
                                });
    return f.get();
  }

 private:
  // Destroyed explicitly in the destructor's order: checkpointer, writer, readers.
  std::unique_ptr<sqlite::read_pool> readers_;
  std::unique_ptr<sqlite::group_committer> writer_;
  std::unique_ptr<sqlite::checkpointer> checkpointer_;
};

constexpr int busy_timeout_ms = 10000;

void sync_dir(const std::filesystem::path& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

result<std::unique_ptr<connection>> open_conn(const std::string& path, const sqlite_options& o,
                                              sqlite::open_mode mode) {
  auto c = connection::open(path, o.vfs, mode);
  if (!c) return c.err();
  sqlite3_busy_timeout((*c)->raw(), busy_timeout_ms);
  return c;
}

// The writer's pragmas, each read back: the store refuses to run with weaker durability.
status configure_writer(connection& db) {
  std::string mode = db.pragma_text("PRAGMA journal_mode = WAL");
  if (mode != "wal") {
    return make_error(errc::store_unavailable,
                      fmt::format("SQLite refused WAL mode (journal_mode is {})", mode));
  }
  db.exec("PRAGMA synchronous = FULL");
  db.exec("PRAGMA foreign_keys = ON");
  db.exec("PRAGMA wal_autocheckpoint = 0");  // checkpoints run on the checkpointer thread
  // The hot pages of every busy room stay in memory: fewer preads on the commit path.
  db.exec("PRAGMA cache_size = -16384");
  if (auto s = db.pragma_text("PRAGMA synchronous"); s != "2") {
    return make_error(errc::store_unavailable,
                      fmt::format("SQLite refused synchronous=FULL (synchronous is {})", s));
  }
  if (auto f = db.pragma_text("PRAGMA foreign_keys"); f != "1") {
    return make_error(errc::store_unavailable, "SQLite refused foreign_keys=ON");
  }
  return ok_status();
}

}  // namespace

result<std::unique_ptr<store>> open_sqlite_store(const sqlite_options& o) {
  if (o.dir.empty()) return make_error(errc::invalid_field, "sqlite store: no directory given");
  if (o.readers < 1) return make_error(errc::invalid_field, "sqlite store: readers must be >= 1");
  std::error_code ec;
  if (std::filesystem::create_directories(o.dir, ec)) {
    // Make the new directory's own entry durable; SQLite syncs the entries inside it.
    sync_dir(std::filesystem::absolute(o.dir).parent_path());
  }
  if (ec) {
    return make_error(errc::store_unavailable,
                      fmt::format("cannot create {}: {}", o.dir, ec.message()));
  }
  std::string path = (std::filesystem::path(o.dir) / "haetae.db").string();
  try {
    auto writer = open_conn(path, o, sqlite::open_mode::read_write_create);
    if (!writer) return writer.err();
    if (auto st = configure_writer(**writer); !st) return st.err();
    if (auto st = sqlite::migrate(**writer); !st) return st.err();
    change_no last_change = 0;
    {
      auto s = (*writer)->prepare("SELECT coalesce(max(change), 0) FROM rooms");
      if (s.step()) last_change = s.i64(0);
    }
    std::vector<std::unique_ptr<connection>> readers;
    for (int i = 0; i < o.readers; ++i) {
      auto r = open_conn(path, o, sqlite::open_mode::read_write);
      if (!r) return r.err();
      (*r)->exec("PRAGMA query_only = ON");
      (*r)->exec("PRAGMA wal_autocheckpoint = 0");
      readers.push_back(std::move(*r));
    }
    auto cp = open_conn(path, o, sqlite::open_mode::read_write);
    if (!cp) return cp.err();
    (*cp)->exec("PRAGMA wal_autocheckpoint = 0");
    // A TRUNCATE checkpoint holds the writer lock while it waits for readers: give up quickly
    // rather than stall commits (the next idle tick tries again).
    sqlite3_busy_timeout((*cp)->raw(), 100);
    auto committer = std::make_unique<sqlite::group_committer>(
        std::move(*writer), last_change, o.max_queued_writes, o.wal_restart_frames);
    return std::unique_ptr<store>(new sqlite_store(
        std::move(committer), std::make_unique<sqlite::read_pool>(std::move(readers)),
        std::move(*cp), path + "-wal"));
  } catch (const sqlite::db_error& e) {
    return make_error(errc::store_unavailable, fmt::format("cannot open {}: {}", path, e.what()));
  }
}

result<durability_settings> read_durability_settings(store& s) {
  auto* impl = dynamic_cast<sqlite_store*>(&s);
  if (!impl) return make_error(errc::invalid_field, "not a SQLite store");
  return impl->durability();
}

}  // namespace haetae::store
