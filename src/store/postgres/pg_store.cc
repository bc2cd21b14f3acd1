#include "store/postgres/pg_store.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <random>

#include "store/postgres/pg_fanout.h"
#include "store/postgres/pg_group_commit.h"
#include "store/postgres/pg_read_pool.h"
#include "store/postgres/pg_reads.h"

namespace haetae::store {
namespace {

using pg::lock_plan;
using pg::pg_conn;
using pg::write_context;

class pg_store final : public store {
 public:
  pg_store(std::unique_ptr<pg::group_committer> writer, std::unique_ptr<pg::read_pool> readers,
           std::string conninfo, std::string node_tag)
      : readers_(std::move(readers)),
        writer_(std::move(writer)),
        conninfo_(std::move(conninfo)),
        node_tag_(std::move(node_tag)) {}

  ~pg_store() override {
    fanout_.reset();
    writer_.reset();  // drains the queue: every write gets its completion
    readers_.reset();
  }

  template <class T>
  void submit(completion<T> done, std::function<void(lock_plan&)> plan,
              std::function<result<T>(write_context&)> fn) {
    writer_->submit(
        std::make_unique<pg::typed_write_op<T>>(std::move(plan), std::move(fn), std::move(done)));
  }
  static std::function<void(lock_plan&)> room_lock(room_id room) {
    return [room](lock_plan& p) { p.rooms.push_back(room); };
  }

  // --- writes ---
  void create_user(std::string name, std::string display_name, std::string password_hash,
                   completion<user_record> done) override {
    submit<user_record>(std::move(done), {}, [=](write_context& w) {
      return pg::do_create_user(w, name, display_name, password_hash);
    });
  }
  void create_session(user_id user, std::string token_hash, std::string device_name,
                      completion<session_record> done) override {
    submit<session_record>(std::move(done), {}, [=](write_context& w) {
      return pg::do_create_session(w, user, token_hash, device_name);
    });
  }
  void delete_session(std::string token_hash, completion<haetae::done> done) override {
    submit<haetae::done>(std::move(done), {},
                         [=](write_context& w) { return pg::do_delete_session(w, token_hash); });
  }
  void update_display_name(user_id user, std::string display_name,
                           completion<user_record> done) override {
    submit<user_record>(std::move(done), {}, [=](write_context& w) {
      return pg::do_update_display_name(w, user, display_name);
    });
  }
  void add_friend(user_id user, user_id other, completion<friend_entry> done) override {
    submit<friend_entry>(std::move(done), {}, [=](write_context& w) {
      return pg::do_set_friend(w, user, other, friend_state::friend_);
    });
  }
  void block_user(user_id user, user_id other, completion<friend_entry> done) override {
    submit<friend_entry>(std::move(done), {}, [=](write_context& w) {
      return pg::do_set_friend(w, user, other, friend_state::blocked);
    });
  }
  void open_direct_room(user_id user, user_id other, completion<room_change> done) override {
    submit<room_change>(
        std::move(done),
        [=](lock_plan& p) {
          p.direct_pairs.emplace_back(std::min(user, other), std::max(user, other));
        },
        [=](write_context& w) { return pg::do_open_direct_room(w, user, other); });
  }
  void create_group_room(group_request request, completion<room_change> done) override {
    submit<room_change>(std::move(done), {}, [r = std::move(request)](write_context& w) {
      return pg::do_create_group_room(w, r);
    });
  }
  void invite(user_id actor, room_id room, std::vector<user_id> members,
              completion<room_change> done) override {
    submit<room_change>(
        std::move(done), room_lock(room),
        [=, m = std::move(members)](write_context& w) { return pg::do_invite(w, actor, room, m); });
  }
  void leave(user_id user, room_id room, completion<room_change> done) override {
    submit<room_change>(std::move(done), room_lock(room),
                        [=](write_context& w) { return pg::do_leave(w, user, room); });
  }
  void send(send_request request, completion<sent> done) override {
    room_id room = request.room;
    submit<sent>(std::move(done), room_lock(room),
                 [r = std::move(request)](write_context& w) { return pg::do_send(w, r); });
  }
  void mark_read(user_id user, room_id room, seq_no seq, completion<read_update> done) override {
    submit<read_update>(std::move(done), room_lock(room),
                        [=](write_context& w) { return pg::do_mark_read(w, user, room, seq); });
  }

  // --- reads ---
  result<user_record> user_by_name(std::string_view name) override {
    return readers_->with([&](pg_conn& db) { return pg::read_user_by_name(db, name); });
  }
  result<user_record> user_by_id(user_id id) override {
    return readers_->with([&](pg_conn& db) { return pg::read_user_by_id(db, id); });
  }
  result<session_record> session_by_token_hash(std::string_view token_hash) override {
    return readers_->with([&](pg_conn& db) { return pg::read_session(db, token_hash); });
  }
  result<std::vector<friend_entry>> friends(user_id user) override {
    return readers_->with([&](pg_conn& db) { return pg::read_friends(db, user); });
  }
  result<std::vector<room_summary>> rooms(user_id user) override {
    return readers_->with([&](pg_conn& db) { return pg::read_rooms(db, user); });
  }
  result<room_summary> room(user_id viewer, room_id room) override {
    return readers_->with([&](pg_conn& db) { return pg::read_room(db, viewer, room); });
  }
  result<page> history(user_id viewer, room_id room, seq_no before_seq, int limit) override {
    return readers_->with(
        [&](pg_conn& db) { return pg::read_history(db, viewer, room, before_seq, limit); });
  }
  result<page> sync(user_id viewer, room_id room, seq_no after_seq, int limit) override {
    return readers_->with(
        [&](pg_conn& db) { return pg::read_sync(db, viewer, room, after_seq, limit); });
  }
  result<changes_page> changes(user_id user, change_no since, int limit) override {
    return readers_->with([&](pg_conn& db) { return pg::read_changes(db, user, since, limit); });
  }

  store_stats stats() const override { return writer_->stats(); }
  store_health health() const override {
    store_health h = writer_->health();
    if (!readers_->readable()) {
      h.reads = false;
      std::string why = "reads fail: neither the primary nor this data center's server answers";
      h.not_ready = h.not_ready.empty() ? why : h.not_ready + "; " + why;
    }
    return h;
  }

  void watch_other_nodes(other_nodes_watch watch) override {
    fanout_.reset();
    if (watch) fanout_ = std::make_unique<pg::fanout>(conninfo_, node_tag_, std::move(watch));
  }

 private:
  // Destroyed explicitly in the destructor's order: fan-out, writer, readers.
  std::unique_ptr<pg::read_pool> readers_;
  std::unique_ptr<pg::group_committer> writer_;
  std::unique_ptr<pg::fanout> fanout_;
  const std::string conninfo_;
  const std::string node_tag_;
};

// Names this process in node_beats and wake-ups: unique enough across a cluster's lifetime.
std::string new_node_tag() {
  std::random_device rd;
  std::uint64_t v = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  return fmt::format("n{:016x}", v);
}

}  // namespace

result<std::unique_ptr<store>> open_pg_store(const pg_options& o) {
  if (o.conninfo.empty()) return make_error(errc::invalid_field, "pg store: no conninfo given");
  if (o.readers < 1) return make_error(errc::invalid_field, "pg store: readers must be >= 1");
  std::string why;
  auto writer = pg_conn::open_or_later(o.conninfo, why);
  const bool reachable = writer->connected();
  if (!reachable) spdlog::warn("store: {}; will keep trying", why);
  pg::committer_options co;
  co.node_tag = new_node_tag();
  co.require_sync_standby = o.require_sync_standby;
  co.stall_after = o.stall_after;
  co.max_queued = o.max_queued_writes;
  co.max_batch_retries = o.max_batch_retries;
  co.test_committed_timeline = o.test_committed_timeline;
  std::string tag = co.node_tag;
  // The committer checks the server, migrates and settles the timeline before its thread starts.
  auto committer = std::make_unique<pg::group_committer>(std::move(writer), std::move(co));
  // A server that answers but is set up wrongly is an operator's mistake: say so at once.
  if (auto h = committer->health(); reachable && !h.not_ready.empty()) {
    return make_error(errc::store_unavailable, h.not_ready);
  }
  // A read sent to a primary that went silent (a burnt data center) fails after this long, and
  // reads move to the local server: history stays readable within about a second.
  std::string read_conninfo = pg::with_option(o.conninfo, "tcp_user_timeout", "800");
  // And a read a server does not answer at all (a frozen process keeps TCP up) gives up here and
  // runs again on the local server: the goal is history readable again within 2 s (issue 8).
  // Reads are single-room pages and counters; a healthy server answers them in milliseconds.
  constexpr std::chrono::milliseconds read_timeout{1000};
  std::vector<std::unique_ptr<pg_conn>> primary, local;
  for (int i = 0; i < o.readers; ++i) {
    primary.push_back(pg_conn::open_or_later(read_conninfo, why));
    primary.back()->set_query_timeout(read_timeout);
    if (!o.local_conninfo.empty()) {
      local.push_back(pg_conn::open_or_later(o.local_conninfo, why));
      local.back()->set_query_timeout(read_timeout);
    }
  }
  auto readers = std::make_unique<pg::read_pool>(std::move(primary), std::move(local),
                                                 read_conninfo, o.local_conninfo);
  return std::unique_ptr<store>(
      new pg_store(std::move(committer), std::move(readers), o.conninfo, std::move(tag)));
}

}  // namespace haetae::store
