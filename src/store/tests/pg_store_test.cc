// PostgreSQL-only behaviour of the store: the settings it refuses, its schema version, and
// several store instances ("nodes") writing the same rooms of one database.
#include "store/postgres/pg_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "store/postgres/pg_conn.h"
#include "store/postgres/pg_schema.h"
#include "store/tests/pg_test_server.h"
#include "store/tests/store_test_util.h"

namespace haetae::store {
namespace {

using testing::missing_standby;
using testing::pg_test_server;
using testing::wait_for;

class PgStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = pg_test_server::get();
    ASSERT_TRUE(s.ok()) << s.err().text();
    server_ = *s;
    auto db = server_->create_database();
    ASSERT_TRUE(db.ok()) << db.err().text();
    db_ = *db;
  }

  // The test server is a lone PostgreSQL: no synchronous standby to require.
  pg_options options() const {
    return {.conninfo = server_->conninfo(db_), .require_sync_standby = false};
  }

  // A store ("node") on the test's database.
  std::unique_ptr<store> node(pg_options o) {
    auto r = open_pg_store(o);
    EXPECT_TRUE(r.ok()) << r.err().text();
    return r.ok() ? std::move(*r) : nullptr;
  }
  std::unique_ptr<store> node() { return node(options()); }
  // A node whose writes count as stalled after `after` (its writer gives up at 1.5 times that).
  std::unique_ptr<store> node_stalling_after(std::chrono::milliseconds after) {
    auto o = options();
    o.stall_after = after;
    return node(o);
  }

  static user_id user(store& s, const std::string& name) {
    auto r =
        wait_for<user_record>([&](auto done) { s.create_user(name, name, "hash-" + name, done); });
    EXPECT_TRUE(r.ok()) << r.err().text();
    return r.ok() ? r->id : user_id();
  }
  // A group room "g1" of a and b, created through `s`.
  static result<room_change> group(store& s, user_id a, user_id b) {
    return wait_for<room_change>([&](auto done) {
      s.create_group_room({a, "g1", "title", {b}}, done);
    });
  }
  static result<sent> send(store& s, user_id u, room_id room, const std::string& client_id) {
    return wait_for<sent>([&](auto done) { s.send({u, room, client_id, "m"}, done); });
  }

  pg_test_server* server_ = nullptr;
  std::string db_;
};

TEST_F(PgStoreTest, OpenRefusesSynchronousCommitOffInTheDatabase) {
  ASSERT_TRUE(server_->admin("ALTER DATABASE " + db_ + " SET synchronous_commit = off").ok());
  auto r = open_pg_store(options());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), errc::store_unavailable);
  EXPECT_NE(r.err().text().find("synchronous_commit = off"), std::string_view::npos)
      << r.err().text();
}

TEST_F(PgStoreTest, OpenRefusesSynchronousCommitLoweredByTheConnection) {
  for (const char* level : {"off", "local", "remote_write"}) {
    auto o = options();
    o.conninfo += std::string(" options='-c synchronous_commit=") + level + "'";
    auto r = open_pg_store(o);
    ASSERT_FALSE(r.ok()) << level;
    EXPECT_EQ(r.code(), errc::store_unavailable);
    EXPECT_NE(r.err().text().find(level), std::string_view::npos) << r.err().text();
  }
}

// A statement_timeout default (database or role) must not reach the commit path: it could cancel
// the wait for a synchronous standby after the local commit.
TEST_F(PgStoreTest, WriterIgnoresAStatementTimeoutDefault) {
  ASSERT_TRUE(server_->admin("ALTER DATABASE " + db_ + " SET statement_timeout = '1ms'").ok());
  auto n = node();
  ASSERT_TRUE(n);
  auto a = user(*n, "minji"), b = user(*n, "jun");
  auto g = group(*n, a, b);
  ASSERT_TRUE(g.ok()) << g.err().text();
  for (int i = 0; i < 20; ++i) {
    auto r = send(*n, a, g->room, "c" + std::to_string(i));
    ASSERT_TRUE(r.ok()) << r.err().text();
  }
}

// A node may start before its database (or during a failover): it opens, says why it is not
// ready, and refuses writes until the store answers.
TEST_F(PgStoreTest, AnUnreachableServerOpensNotReadyAndRefusesWrites) {
  auto r = open_pg_store({.conninfo = "host=/nonexistent-haetae-dir port=5432 dbname=x"});
  ASSERT_TRUE(r.ok()) << r.err().text();
  auto& s = **r;
  EXPECT_NE(s.health().not_ready.find("cannot reach PostgreSQL"), std::string::npos)
      << s.health().not_ready;
  auto u = wait_for<user_record>([&](auto done) { s.create_user("minji", "m", "h", done); });
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.code(), errc::store_unavailable);
  EXPECT_EQ(s.user_by_name("minji").code(), errc::store_unavailable);
}

TEST_F(PgStoreTest, OpenRefusesAPrimaryWithoutASynchronousStandby) {
  auto o = options();
  o.require_sync_standby = true;
  auto r = open_pg_store(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), errc::store_unavailable);
  EXPECT_NE(r.err().text().find("names no synchronous standby"), std::string_view::npos)
      << r.err().text();
}

// Issue 8, defence in depth: a primary on an older timeline than one the node has committed
// through is one a failover replaced. The node must not write to it (nor migrate or settle
// anything there), and must say why.
TEST_F(PgStoreTest, APrimaryOnAnOlderTimelineThanOneCommittedThroughIsRefused) {
  auto o = options();
  o.test_committed_timeline = 99;  // the test server is on timeline 1
  auto r = open_pg_store(o);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), errc::store_unavailable);
  EXPECT_NE(r.err().text().find("refusing a primary on timeline 1"), std::string_view::npos)
      << r.err().text();
  // Nothing was written there: not even the schema.
  auto c = pg::pg_conn::open(server_->conninfo(db_));
  ASSERT_TRUE(c.ok()) << c.err().text();
  EXPECT_EQ((*c)->exec("SELECT 1 FROM pg_tables WHERE tablename = 'schema_version'").rows(), 0);
  // The same server is used by a node that has not seen a newer timeline.
  o.test_committed_timeline = 1;
  auto same = open_pg_store(o);
  ASSERT_TRUE(same.ok()) << same.err().text();
}

TEST_F(PgStoreTest, OpenRecordsTheSchemaVersionAndRefusesANewerOne) {
  ASSERT_TRUE(node());  // creates the schema
  ASSERT_TRUE(node());  // a second open migrates nothing and succeeds
  auto c = pg::pg_conn::open(server_->conninfo(db_));
  ASSERT_TRUE(c.ok()) << c.err().text();
  auto v = (*c)->exec("SELECT version FROM schema_version");
  ASSERT_EQ(v.rows(), 1);
  EXPECT_EQ(v.i64(0, 0), pg::schema_version);
  (*c)->exec("UPDATE schema_version SET version = 99");
  auto r = open_pg_store(options());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), errc::store_unavailable);
  EXPECT_NE(r.err().text().find("upgrade haetae"), std::string_view::npos) << r.err().text();
}

TEST_F(PgStoreTest, ResendThroughTheOtherNodeReturnsTheOriginalSeq) {
  auto n1 = node(), n2 = node();
  ASSERT_TRUE(n1 && n2);
  auto a = user(*n1, "minji"), b = user(*n1, "jun");
  auto g = group(*n1, a, b);
  ASSERT_TRUE(g.ok()) << g.err().text();
  auto first = send(*n1, a, g->room, "c1");
  ASSERT_TRUE(first.ok()) << first.err().text();
  EXPECT_FALSE(first->ack.duplicate);
  auto again = send(*n2, a, g->room, "c1");
  ASSERT_TRUE(again.ok()) << again.err().text();
  EXPECT_TRUE(again->ack.duplicate);
  EXPECT_EQ(again->ack.seq, first->ack.seq);
  EXPECT_EQ(again->ack.time_ms, first->ack.time_ms);
  // The resend consumed no seq on either node.
  auto next = send(*n2, b, g->room, "c2");
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->ack.seq, first->ack.seq + 1);
}

TEST_F(PgStoreTest, SameNameThroughTwoNodesAtOnceIsTakenOnce) {
  auto n1 = node(), n2 = node();
  ASSERT_TRUE(n1 && n2);
  constexpr int names = 50;
  std::mutex mu;
  std::map<std::string, int> ok, taken;
  std::vector<error> errors;
  auto record = [&](const std::string& name) {
    return [&, name](result<user_record> r) {
      std::lock_guard lock(mu);
      if (r.ok()) {
        ok[name]++;
      } else if (r.code() == errc::name_taken) {
        taken[name]++;
      } else {
        errors.push_back(r.err());
      }
    };
  };
  for (int i = 0; i < names; ++i) {
    std::string name = "u" + std::to_string(i);
    n1->create_user(name, name, "h", record(name));
    n2->create_user(name, name, "h", record(name));
  }
  n1.reset();  // drains: every completion has run
  n2.reset();
  ASSERT_TRUE(errors.empty()) << errors[0].text();
  for (int i = 0; i < names; ++i) {
    std::string name = "u" + std::to_string(i);
    EXPECT_EQ(ok[name], 1) << name;
    EXPECT_EQ(taken[name], 1) << name;
  }
}

TEST_F(PgStoreTest, DirectRoomOpenedThroughTwoNodesAtOnceIsOneRoom) {
  auto n1 = node(), n2 = node();
  ASSERT_TRUE(n1 && n2);
  constexpr int pairs = 30;
  std::vector<user_id> users;
  for (int i = 0; i < 2 * pairs; ++i) users.push_back(user(*n1, "u" + std::to_string(i)));
  std::mutex mu;
  std::map<int, std::vector<room_id>> opened;
  std::vector<error> errors;
  for (int i = 0; i < pairs; ++i) {
    auto record = [&, i](result<room_change> r) {
      std::lock_guard lock(mu);
      if (r.ok()) {
        opened[i].push_back(r->room);
      } else {
        errors.push_back(r.err());
      }
    };
    n1->open_direct_room(users[2 * i], users[2 * i + 1], record);
    n2->open_direct_room(users[2 * i + 1], users[2 * i], record);
  }
  n1.reset();  // drains: every completion has run
  n2.reset();
  ASSERT_TRUE(errors.empty()) << errors[0].text();
  for (int i = 0; i < pairs; ++i) {
    ASSERT_EQ(opened[i].size(), 2u);
    EXPECT_EQ(opened[i][0], opened[i][1]) << "pair " << i;
  }
}

// Two nodes, each with several threads, send into the same rooms in random order, and every
// message is sent through both nodes (a client resending to another node). Batch retries are off,
// so a deadlock would fail writes instead of being retried away.
TEST_F(PgStoreTest, TwoNodesSendingToTheSameRoomsGetGapFreeSeqsWithoutDeadlock) {
  constexpr int rooms = 4, threads_per_node = 3, per_thread = 120;
  auto o = options();
  o.max_batch_retries = 0;
  std::unique_ptr<store> nodes[2] = {node(o), node(o)};
  ASSERT_TRUE(nodes[0] && nodes[1]);
  auto a = user(*nodes[0], "minji");
  std::vector<user_id> senders;
  for (int t = 0; t < threads_per_node; ++t)
    senders.push_back(user(*nodes[0], "u" + std::to_string(t)));
  std::vector<room_id> ids;
  std::map<room_id, seq_no> base;
  for (int r = 0; r < rooms; ++r) {
    auto g = wait_for<room_change>([&](auto done) {
      nodes[r % 2]->create_group_room({a, "g" + std::to_string(r), "t", senders}, done);
    });
    ASSERT_TRUE(g.ok()) << g.err().text();
    ids.push_back(g->room);
    base[g->room] = g->events.back().seq;
  }
  std::mutex mu;
  std::map<std::string, std::vector<send_ack>> acks;  // client id -> acks from both nodes
  std::vector<error> errors;
  int expected = 0;
  std::vector<std::thread> threads;
  for (int n = 0; n < 2; ++n) {
    for (int t = 0; t < threads_per_node; ++t) {
      threads.emplace_back([&, n, t] {
        // The same seed on both nodes: thread t of each node sends the same messages.
        std::mt19937 rng(static_cast<unsigned>(1000 + t));
        for (int i = 0; i < per_thread; ++i) {
          room_id room = ids[rng() % rooms];
          std::string cid = "t" + std::to_string(t) + "-" + std::to_string(i);
          nodes[n]->send({senders[t], room, cid, "m"}, [&, cid](result<sent> r) {
            std::lock_guard lock(mu);
            if (r.ok()) {
              acks[cid].push_back(r->ack);
            } else {
              errors.push_back(r.err());
            }
          });
        }
      });
    }
  }
  for (auto& t : threads) t.join();
  expected = threads_per_node * per_thread;
  nodes[0].reset();  // drains: every completion has run
  nodes[1].reset();
  ASSERT_TRUE(errors.empty()) << errors.size() << " failed, first: " << errors[0].text();
  ASSERT_EQ(acks.size(), static_cast<std::size_t>(expected));
  std::map<room_id, std::set<seq_no>> seqs;
  for (auto& [cid, list] : acks) {
    ASSERT_EQ(list.size(), 2u) << cid;
    EXPECT_EQ(list[0].room, list[1].room) << cid;
    EXPECT_EQ(list[0].seq, list[1].seq) << cid;  // both nodes report the one stored message
    EXPECT_NE(list[0].duplicate, list[1].duplicate) << cid;  // exactly one stored it
    EXPECT_TRUE(seqs[list[0].room].insert(list[0].seq).second) << "seq reused: " << cid;
  }
  // Per room: the messages took exactly base+1 .. base+n, so no gaps.
  std::size_t total = 0;
  for (auto& [room, s] : seqs) {
    EXPECT_EQ(*s.begin(), base[room] + 1);
    EXPECT_EQ(*s.rbegin(), base[room] + static_cast<seq_no>(s.size()));
    total += s.size();
  }
  EXPECT_EQ(total, static_cast<std::size_t>(expected));
  // And the log agrees, read through a fresh node.
  auto reader = node();
  ASSERT_TRUE(reader);
  for (auto room : ids) {
    auto p = reader->sync(a, room, 0, 500);
    ASSERT_TRUE(p.ok()) << p.err().text();
    ASSERT_FALSE(p->more);
    for (std::size_t i = 0; i < p->events.size(); ++i) {
      EXPECT_EQ(p->events[i].seq, static_cast<seq_no>(i + 1));
    }
    EXPECT_EQ(p->events.size(), base[room] + seqs[room].size());
  }
}

TEST_F(PgStoreTest, WriterReconnectsAfterItsConnectionIsKilled) {
  auto n = node();
  ASSERT_TRUE(n);
  auto a = user(*n, "minji"), b = user(*n, "jun");
  auto g = group(*n, a, b);
  ASSERT_TRUE(g.ok());
  auto first = send(*n, a, g->room, "c1");
  ASSERT_TRUE(first.ok());
  // An administrator (or a failover) ends every session of the database.
  ASSERT_TRUE(server_
                  ->admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = '" +
                          db_ + "'")
                  .ok());
  // The next write may find the connection dead: its outcome is then unknown
  // (store_unavailable), and a retry with the same client id settles it.
  auto r = send(*n, a, g->room, "c2");
  if (!r.ok()) {
    EXPECT_EQ(r.code(), errc::store_unavailable);
    r = send(*n, a, g->room, "c2");
  }
  ASSERT_TRUE(r.ok()) << r.err().text();
  EXPECT_EQ(r->ack.seq, first->ack.seq + 1);
  // Reads reconnect too (a read on a dead connection fails once, then works).
  auto p = n->sync(a, g->room, 0, 100);
  if (!p.ok()) p = n->sync(a, g->room, 0, 100);
  if (!p.ok()) p = n->sync(a, g->room, 0, 100);
  ASSERT_TRUE(p.ok()) << p.err().text();
  EXPECT_EQ(p->events.back().seq, r->ack.seq);
}

// DESIGN §2: a cancelled wait for the synchronous standby leaves the transaction committed
// locally but unreplicated, and PostgreSQL reports it as a successful COMMIT with a WARNING.
// The store must not acknowledge it: store_unavailable, and the client's resend settles it.
TEST_F(PgStoreTest, CommitWhoseStandbyWaitIsCancelledIsNotAcknowledged) {
  auto n = node();
  ASSERT_TRUE(n);
  auto a = user(*n, "minji"), b = user(*n, "jun");
  auto g = group(*n, a, b);
  ASSERT_TRUE(g.ok());
  result<sent> r = errc::internal;
  {
    missing_standby standby(*server_);
    ASSERT_TRUE(standby.ok());
    std::thread sender([&] { r = send(*n, a, g->room, "c1"); });
    // Cancel the writer's wait once it is waiting (bounded: only catches hangs).
    bool cancelled = false;
    for (int i = 0; i < 2400 && !cancelled; ++i) {
      auto c = pg::pg_conn::open(server_->conninfo("postgres"));
      ASSERT_TRUE(c.ok());
      auto w = (*c)->exec(
          "SELECT pg_cancel_backend(pid) FROM pg_stat_activity "
          "WHERE datname = $1 AND wait_event = 'SyncRep'",
          {db_});
      cancelled = w.rows() > 0 && w.text(0, 0) == "t";
      if (!cancelled) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    sender.join();
    ASSERT_TRUE(cancelled);
  }
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.code(), errc::store_unavailable);
  // Committed locally but never published: nobody is shown it (DESIGN §2).
  auto shown = n->sync(b, g->room, 0, 50);
  ASSERT_TRUE(shown.ok()) << shown.err().text();
  for (const auto& e : shown->events) EXPECT_NE(e.client_id, "c1");
  // It did commit locally: the resend finds it, and nothing was acknowledged twice.
  auto again = send(*n, a, g->room, "c1");
  ASSERT_TRUE(again.ok()) << again.err().text();
  EXPECT_TRUE(again->ack.duplicate);
}

// DESIGN §2: a row committed but not published (its standby wait was cancelled, or its node
// died before publishing) is seen by nobody: not by sync, history, the room list, changes or a
// read marker. A resend of it publishes it, with its original seq.
TEST_F(PgStoreTest, EventsBeyondThePublishedSeqAreShownToNobody) {
  auto n = node();
  ASSERT_TRUE(n);
  auto a = user(*n, "minji"), b = user(*n, "jun");
  auto g = group(*n, a, b);
  ASSERT_TRUE(g.ok()) << g.err().text();
  auto first = send(*n, a, g->room, "c1");
  ASSERT_TRUE(first.ok()) << first.err().text();
  auto before = n->changes(b, 0, 50);
  ASSERT_TRUE(before.ok());

  // The ghost: in the log and counted in rooms.last_seq, but never published.
  auto c = pg::pg_conn::open(server_->conninfo(db_));
  ASSERT_TRUE(c.ok()) << c.err().text();
  seq_no ghost = first->ack.seq + 1;
  (*c)->exec(
      "INSERT INTO events (room_id, seq, kind, sender, subject, client_id, body, time_ms) "
      "VALUES ($1, $2, 0, $3, 0, 'ghost', 'ghost', 1)",
      {g->room, ghost, a});
  (*c)->exec("UPDATE rooms SET last_seq = $2 WHERE id = $1", {g->room, ghost});

  auto synced = n->sync(b, g->room, 0, 50);
  ASSERT_TRUE(synced.ok());
  EXPECT_EQ(synced->events.back().seq, first->ack.seq);
  auto hist = n->history(b, g->room, 0, 50);
  ASSERT_TRUE(hist.ok());
  EXPECT_EQ(hist->events.back().seq, first->ack.seq);
  auto hist_above = n->history(b, g->room, ghost + 5, 50);
  ASSERT_TRUE(hist_above.ok());
  EXPECT_EQ(hist_above->events.back().seq, first->ack.seq);
  auto room = n->room(b, g->room);
  ASSERT_TRUE(room.ok());
  EXPECT_EQ(room->last_seq, first->ack.seq);
  EXPECT_EQ(room->last_message->client_id, "c1");
  EXPECT_EQ(room->unread, 1);
  auto after = n->changes(b, before->next, 50);
  ASSERT_TRUE(after.ok());
  for (const auto& r : after->rooms) EXPECT_EQ(r.last_seq, first->ack.seq);
  // A read marker stops at what the reader may see. (This write locks the room and commits after
  // the ghost, so its commit proves the ghost replicated: it may publish it, and does.)
  auto marked = wait_for<read_update>([&](auto done) { n->mark_read(b, g->room, ghost, done); });
  ASSERT_TRUE(marked.ok());
  EXPECT_EQ(marked->read_seq, first->ack.seq);

  // The sender's resend finds it, and publishes it with its seq.
  auto resent = send(*n, a, g->room, "ghost");
  ASSERT_TRUE(resent.ok()) << resent.err().text();
  EXPECT_TRUE(resent->ack.duplicate);
  EXPECT_EQ(resent->ack.seq, ghost);
  synced = n->sync(b, g->room, first->ack.seq, 50);
  ASSERT_TRUE(synced.ok());
  ASSERT_EQ(synced->events.size(), 1u);
  EXPECT_EQ(synced->events[0].client_id, "ghost");
  after = n->changes(b, before->next, 50);
  ASSERT_TRUE(after.ok());
  ASSERT_FALSE(after->rooms.empty());
  EXPECT_EQ(after->rooms.back().last_seq, ghost);
}

// Fan-out: a member served by one node gets, by push, what was sent through another.
TEST_F(PgStoreTest, AnotherNodeIsWokenWithTheEventAndWhoMaySeeIt) {
  auto n1 = node(), n2 = node();
  ASSERT_TRUE(n1 && n2);
  auto a = user(*n1, "minji"), b = user(*n1, "jun"), outsider = user(*n1, "sora");
  auto g = group(*n1, a, b);
  ASSERT_TRUE(g.ok()) << g.err().text();

  std::mutex mu;
  std::condition_variable cv;
  std::vector<room_change> got;
  n2->watch_other_nodes({.on_change =
                             [&](const room_change& c) {
                               std::lock_guard lock(mu);
                               got.push_back(c);
                               cv.notify_all();
                             },
                         .on_read = {}});
  // Sends until a wake-up arrives (the listener may start after the first one).
  std::unique_lock lock(mu);
  for (int i = 0; i < 50 && got.empty(); ++i) {
    lock.unlock();
    auto r = send(*n1, a, g->room, "c" + std::to_string(i));
    ASSERT_TRUE(r.ok()) << r.err().text();
    lock.lock();
    cv.wait_for(lock, std::chrono::milliseconds(200), [&] { return !got.empty(); });
  }
  ASSERT_FALSE(got.empty());
  const auto& c = got.front();
  EXPECT_EQ(c.room, g->room);
  ASSERT_EQ(c.events.size(), 1u);
  EXPECT_EQ(c.events[0].kind, event_kind::message);
  EXPECT_NE(std::find(c.recipients.begin(), c.recipients.end(), b), c.recipients.end());
  EXPECT_EQ(std::find(c.recipients.begin(), c.recipients.end(), outsider), c.recipients.end());
  lock.unlock();
  n2->watch_other_nodes({});
}

// A read marker moved through one node reaches the other node's members (unread counts).
TEST_F(PgStoreTest, AnotherNodeIsWokenWithAMovedReadMarker) {
  auto n1 = node(), n2 = node();
  ASSERT_TRUE(n1 && n2);
  auto a = user(*n1, "minji"), b = user(*n1, "jun");
  auto g = group(*n1, a, b);
  ASSERT_TRUE(g.ok()) << g.err().text();
  auto sent_ = send(*n1, a, g->room, "c1");
  ASSERT_TRUE(sent_.ok()) << sent_.err().text();

  std::mutex mu;
  std::condition_variable cv;
  std::vector<read_update> got;
  n2->watch_other_nodes({.on_change = {}, .on_read = [&](const read_update& u) {
                           std::lock_guard lock(mu);
                           got.push_back(u);
                           cv.notify_all();
                         }});
  auto reader_moved = [&] {
    return std::any_of(got.begin(), got.end(), [&](const read_update& u) {
      return u.reader == b && u.read_seq == sent_->ack.seq;
    });
  };
  std::unique_lock lock(mu);
  // Marks again until a wake-up arrives (the listener may start after the first one); a marker
  // that does not move changes nothing, so each round first sends one more message.
  for (int i = 0; i < 50 && !reader_moved(); ++i) {
    lock.unlock();
    if (i > 0) {
      sent_ = send(*n1, a, g->room, "more" + std::to_string(i));
      ASSERT_TRUE(sent_.ok());
    }
    auto marked =
        wait_for<read_update>([&](auto done) { n1->mark_read(b, g->room, sent_->ack.seq, done); });
    ASSERT_TRUE(marked.ok()) << marked.err().text();
    lock.lock();
    cv.wait_for(lock, std::chrono::milliseconds(200), reader_moved);
  }
  ASSERT_TRUE(reader_moved());
  for (const auto& u : got) {
    EXPECT_EQ(u.room, g->room);
    EXPECT_EQ(u.recipients.size(), 2u);
  }
  lock.unlock();
  n2->watch_other_nodes({});
}

// A cut-off or frozen primary never answers a commit: the store says it is stalled (the node
// then reports that it cannot write), then closes the connection (never cancels) after 1.5 times
// the stall time: store_unavailable, an unknown outcome that the resend settles.
TEST_F(PgStoreTest, ACommitThatDoesNotReturnStallsTheStoreThenItsConnectionIsClosed) {
  auto n = node_stalling_after(std::chrono::milliseconds(300));
  ASSERT_TRUE(n);
  auto a = user(*n, "minji"), b = user(*n, "jun");
  auto g = group(*n, a, b);
  ASSERT_TRUE(g.ok());
  EXPECT_FALSE(n->health().stalled);
  {
    missing_standby standby(*server_);
    ASSERT_TRUE(standby.ok());
    std::atomic<bool> finished = false;
    result<sent> r = errc::internal;
    std::thread sender([&] {
      r = send(*n, a, g->room, "c1");
      finished = true;
    });
    bool stalled = false;
    while (!finished && !stalled) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      stalled = n->health().stalled;
    }
    sender.join();
    EXPECT_TRUE(stalled);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.code(), errc::store_unavailable);
    EXPECT_NE(r.err().text().find("no answer from PostgreSQL"), std::string_view::npos)
        << r.err().text();
  }  // the standby requirement is lifted: the abandoned commit finishes on the server
  auto again = send(*n, a, g->room, "c1");
  ASSERT_TRUE(again.ok()) << again.err().text();
  auto shown = n->sync(b, g->room, 0, 50);
  ASSERT_TRUE(shown.ok());
  EXPECT_EQ(std::count_if(shown->events.begin(), shown->events.end(),
                          [](const room_event& e) { return e.client_id == "c1"; }),
            1);
  EXPECT_FALSE(n->health().stalled);
  EXPECT_TRUE(n->health().not_ready.empty());
}

// While a commit does not return (a failover under way), the node stays useful (issue 8, item 4):
// the writes waiting behind the stuck one and every new write are answered store_unavailable
// without waiting for it, so clients resend shortly, and reads are still served.
TEST_F(PgStoreTest, AStalledStoreRefusesWritesWithoutWaitingAndStillServesReads) {
  auto n = node_stalling_after(std::chrono::milliseconds(1000));
  ASSERT_TRUE(n);
  auto a = user(*n, "minji"), b = user(*n, "jun");
  auto g = group(*n, a, b);
  ASSERT_TRUE(g.ok());
  auto before = send(*n, a, g->room, "c0");
  ASSERT_TRUE(before.ok()) << before.err().text();
  {
    missing_standby standby(*server_);
    ASSERT_TRUE(standby.ok());
    result<sent> stuck = errc::internal, waiting = errc::internal;
    std::atomic<bool> stuck_done = false, waiting_done = false;
    std::thread first([&] {
      stuck = send(*n, a, g->room, "c1");
      stuck_done = true;
    });
    // Long enough for the writer to have taken c1 alone; well before the stall (1 s).
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    std::thread second([&] {
      waiting = send(*n, a, g->room, "c2");
      waiting_done = true;
    });
    while (!n->health().stalled && !stuck_done) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_TRUE(n->health().stalled);
    EXPECT_FALSE(n->health().writes);
    EXPECT_TRUE(n->health().reads);
    // A new write is refused on the caller's thread, before anything is queued.
    auto refused = send(*n, a, g->room, "c3");
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.code(), errc::store_unavailable);
    EXPECT_NE(refused.err().text().find("writes are refused for now"), std::string_view::npos)
        << refused.err().text();
    // Reads do not wait for the writer: c0 is there, nothing of the stuck batch is.
    auto shown = n->sync(b, g->room, 0, 50);
    ASSERT_TRUE(shown.ok()) << shown.err().text();
    EXPECT_EQ(shown->events.back().client_id, "c0");
    second.join();
    first.join();
    ASSERT_FALSE(waiting.ok());
    EXPECT_NE(waiting.err().text().find("writes are refused for now"), std::string_view::npos)
        << waiting.err().text();
    ASSERT_FALSE(stuck.ok());
    EXPECT_NE(stuck.err().text().find("no answer from PostgreSQL"), std::string_view::npos)
        << stuck.err().text();
  }
  // The resends: c1 was committed by the abandoned connection but never published; its resend
  // publishes it and hands its event out for pushes, as a first send would. c2 and c3 are
  // committed now. Each once.
  auto c1 = send(*n, a, g->room, "c1");
  ASSERT_TRUE(c1.ok()) << c1.err().text();
  EXPECT_TRUE(c1->ack.duplicate);
  ASSERT_EQ(c1->change.events.size(), 1u);
  EXPECT_EQ(c1->change.events[0].client_id, "c1");
  EXPECT_EQ(c1->change.recipients.size(), 2u);
  for (const char* id : {"c2", "c3"}) {
    auto again = send(*n, a, g->room, id);
    ASSERT_TRUE(again.ok()) << id << ": " << again.err().text();
    EXPECT_FALSE(again->ack.duplicate);
  }
  auto resent_again = send(*n, a, g->room, "c1");
  ASSERT_TRUE(resent_again.ok());
  EXPECT_TRUE(resent_again->change.events.empty());  // published already: nothing to push
  auto shown = n->sync(b, g->room, 0, 50);
  ASSERT_TRUE(shown.ok());
  for (const char* id : {"c0", "c1", "c2", "c3"}) {
    EXPECT_EQ(std::count_if(shown->events.begin(), shown->events.end(),
                            [&](const room_event& e) { return e.client_id == id; }),
              1)
        << id;
  }
  EXPECT_TRUE(n->health().writes);
}

}  // namespace
}  // namespace haetae::store
