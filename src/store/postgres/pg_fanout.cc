#include "store/postgres/pg_fanout.h"

#include <poll.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "store/postgres/pg_rows.h"
#include "store/room_rows.h"

namespace haetae::store::pg {
namespace {

// A room that fell this far behind gets only its latest events; clients sync the rest.
constexpr seq_no max_pushed_per_wake = 100;
constexpr std::int64_t digest_page = 500;

}  // namespace

fanout::fanout(std::string conninfo, std::string node_tag, other_nodes_watch watch,
               std::chrono::milliseconds digest_every)
    : node_tag_(std::move(node_tag)), watch_(std::move(watch)), digest_every_(digest_every) {
  std::string why;
  db_ = pg_conn::open_or_later(conninfo, why);
  db_->set_query_timeout(std::chrono::milliseconds(3000));  // a frozen primary: reconnect
  thread_ = std::thread([this] { run(); });
}

fanout::~fanout() {
  stopping_ = true;
  thread_.join();
}

bool fanout::listen() {
  try {
    db_->exec(std::string("LISTEN ") + wake_channel);
    if (applied_change_ < 0) {
      // Start from now: what was published before this node came up is for sync to fetch.
      applied_change_ = db_->exec("SELECT COALESCE(max(change), 0) FROM room_visible").i64(0, 0);
    }
    listening_ = true;
    spdlog::info("fan-out: listening for other nodes' wake-ups");
    return true;
  } catch (const pg_error& e) {
    spdlog::warn("fan-out: cannot listen: {}", e.what());
    return false;
  }
}

void fanout::run() {
  auto last_digest = std::chrono::steady_clock::now();
  auto pause = [this] {
    for (int i = 0; i < 5 && !stopping_; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  };
  while (!stopping_) {
    if (!listening_ || !db_->connected()) {
      listening_ = false;
      if ((!db_->connected() && !db_->reset()) || !listen()) {
        pause();
        continue;
      }
      digest();  // whatever was published while not listening
      last_digest = std::chrono::steady_clock::now();
    }
    pollfd p{PQsocket(db_->raw()), POLLIN, 0};
    if (::poll(&p, 1, 250) < 0 && errno != EINTR) {
      listening_ = false;
      continue;
    }
    if (PQconsumeInput(db_->raw()) == 0) {
      spdlog::warn("fan-out: the listening connection broke: {}", db_->last_error());
      listening_ = false;
      continue;
    }
    while (PGnotify* n = PQnotifies(db_->raw())) {
      auto w = parse_wake_payload(n->extra ? n->extra : "");
      PQfreemem(n);
      if (w) on_wake(*w);
    }
    if (std::chrono::steady_clock::now() - last_digest >= digest_every_) {
      digest();
      last_digest = std::chrono::steady_clock::now();
    }
  }
}

void fanout::on_wake(const wake_up& w) {
  // Publication numbers have no gaps: a jump means wake-ups were lost (or a promotion moved the
  // counter ahead); the digest finds what they named.
  if (w.first_change > applied_change_ + 1) digest();
  for (const auto& r : w.rooms) {
    if (w.node_tag == node_tag_) {
      // This node pushed its own events when it acknowledged them.
      seq_no& seen = seen_[r.room];
      seen = std::max(seen, r.hi);
    } else if (r.lo > r.hi) {
      push_read_markers(r.room);
    } else {
      push_range(r.room, r.lo, r.hi);
    }
  }
  applied_change_ =
      std::max(applied_change_, w.first_change + static_cast<std::int64_t>(w.rooms.size()) - 1);
}

void fanout::digest() {
  try {
    for (;;) {
      auto r = db_->exec(
          "SELECT room_id, seq, change FROM room_visible WHERE change > $1 ORDER BY change "
          "LIMIT $2",
          {applied_change_, digest_page});
      for (int i = 0; i < r.rows(); ++i) {
        room_id room(r.i64(i, 0));
        seq_no seq = r.i64(i, 1);
        auto it = seen_.find(room);
        if (it == seen_.end() || seq > it->second) push_range(room, seq, seq);
        applied_change_ = std::max(applied_change_, r.i64(i, 2));
      }
      if (r.rows() < digest_page) return;
    }
  } catch (const pg_error& e) {
    spdlog::warn("fan-out: digest failed: {}", e.what());
    if (e.connection_lost()) listening_ = false;
  }
}

void fanout::push_range(room_id room, seq_no lo, seq_no hi) {
  auto it = seen_.find(room);
  seq_no from = it == seen_.end() ? lo : it->second + 1;
  if (from > hi) return;
  from = std::max(from, hi - max_pushed_per_wake + 1);
  try {
    db_->exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    auto r = db_->exec(
        "SELECT room_id, seq, kind, sender, subject, client_id, body, time_ms FROM events "
        "WHERE room_id = $1 AND seq >= $2 AND seq <= $3 "
        "AND seq <= (SELECT seq FROM room_visible WHERE room_id = $1) ORDER BY seq",
        {room, from, hi});
    auto members = load_members(*db_, room);
    db_->exec("COMMIT");
    for (int i = 0; i < r.rows(); ++i) {
      room_event e = event_from(r, i);
      e.unread = event_unread(members, e);
      room_change change;
      change.room = room;
      change.recipients = who_may_see(members, e);
      change.events.push_back(std::move(e));
      if (!stopping_ && watch_.on_change) watch_.on_change(change);
    }
    seq_no& seen = seen_[room];
    seen = std::max(seen, hi);
  } catch (const pg_error& e) {
    spdlog::warn("fan-out: reading room {} failed: {}", room.value, e.what());
    if (db_->connected() && db_->in_transaction()) (void)db_->try_exec("ROLLBACK");
    if (e.connection_lost()) listening_ = false;
  }
}

void fanout::push_read_markers(room_id room) {
  if (!watch_.on_read) return;
  try {
    db_->exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    auto members = load_members(*db_, room);
    db_->exec("COMMIT");
    auto present = present_ids(members);
    for (const auto& m : members) {
      if (m.present() && !stopping_) watch_.on_read({room, m.id, m.read_seq, present});
    }
  } catch (const pg_error& e) {
    spdlog::warn("fan-out: reading room {}'s markers failed: {}", room.value, e.what());
    if (db_->connected() && db_->in_transaction()) (void)db_->try_exec("ROLLBACK");
    if (e.connection_lost()) listening_ = false;
  }
}

}  // namespace haetae::store::pg
