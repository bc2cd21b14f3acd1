// The store contract (store/store.h), one suite for every backend. A backend joins by adding a
// factory to INSTANTIATE_TEST_SUITE_P at the bottom; the tests use only the store interface.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"
#include "store/tests/pg_test_server.h"
#include "store/tests/store_test_util.h"

namespace haetae::store {
namespace {

using testing::temp_dir;
using testing::wait_for;

// A backend under test: opens (or reopens) a store whose state lives under `dir`.
struct backend {
  std::string name;
  std::function<std::unique_ptr<store>(const std::string& dir)> open;
};

void PrintTo(const backend& b, std::ostream* os) { *os << b.name; }

std::unique_ptr<store> open_sqlite(const std::string& dir) {
  auto r = open_sqlite_store({.dir = dir});
  if (!r) {
    ADD_FAILURE() << r.err().text();
    return nullptr;
  }
  return std::move(*r);
}

// PostgreSQL: the process's test server, one database per test dir (a reopen finds the same
// database, so state survives it as a file does).
std::unique_ptr<store> open_pg(const std::string& dir) {
  static std::map<std::string, std::string> databases;
  auto server = testing::pg_test_server::get();
  if (!server) {
    ADD_FAILURE() << server.err().text();
    return nullptr;
  }
  auto it = databases.find(dir);
  if (it == databases.end()) {
    auto db = (*server)->create_database();
    if (!db) {
      ADD_FAILURE() << db.err().text();
      return nullptr;
    }
    it = databases.emplace(dir, *db).first;
  }
  // A lone test server: no synchronous standby to require.
  auto r =
      open_pg_store({.conninfo = (*server)->conninfo(it->second), .require_sync_standby = false});
  if (!r) {
    ADD_FAILURE() << r.err().text();
    return nullptr;
  }
  return std::move(*r);
}

// Blocks the writer thread inside a completion until released, so that the writes submitted
// meanwhile queue up and are committed together: group commit without any timing.
class writer_gate {
 public:
  // The returned completion blocks until open() is called.
  template <class T>
  completion<T> blocker() {
    return [this](result<T>) {
      std::unique_lock lock(mu_);
      entered_ = true;
      cv_.notify_all();
      cv_.wait_for(lock, testing::hang_timeout, [&] { return open_; });
    };
  }
  void wait_entered() {
    std::unique_lock lock(mu_);
    ASSERT_TRUE(cv_.wait_for(lock, testing::hang_timeout, [&] { return entered_; }));
  }
  void open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool entered_ = false;
  bool open_ = false;
};

// Counts completions; waits for all of them.
class latch {
 public:
  explicit latch(int n) : n_(n) {}
  void count_down() {
    std::lock_guard lock(mu_);
    if (--n_ == 0) cv_.notify_all();
  }
  bool wait() {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, testing::hang_timeout, [&] { return n_ == 0; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int n_;
};

class StoreContractTest : public ::testing::TestWithParam<backend> {
 protected:
  void SetUp() override {
    s_ = GetParam().open(dir_.path());
    ASSERT_TRUE(s_);
  }
  void reopen() {
    s_.reset();
    s_ = GetParam().open(dir_.path());
    ASSERT_TRUE(s_);
  }
  store& s() { return *s_; }

  result<user_record> try_user(const std::string& name) {
    return wait_for<user_record>(
        [&](auto done) { s().create_user(name, "Display " + name, "hash-" + name, done); });
  }
  user_id user(const std::string& name) {
    auto r = try_user(name);
    EXPECT_TRUE(r.ok()) << r.err().text();
    return r.ok() ? r->id : user_id();
  }
  result<room_change> direct(user_id a, user_id b) {
    return wait_for<room_change>([&](auto done) { s().open_direct_room(a, b, done); });
  }
  result<room_change> group(user_id creator, const std::string& client_id,
                            std::vector<user_id> members, const std::string& title = "title") {
    return wait_for<room_change>([&](auto done) {
      s().create_group_room({creator, client_id, title, std::move(members)}, done);
    });
  }
  room_id group_room(user_id creator, std::vector<user_id> members) {
    auto r = group(creator, "g" + std::to_string(++rooms_made_), std::move(members));
    EXPECT_TRUE(r.ok()) << r.err().text();
    return r.ok() ? r->room : room_id();
  }
  result<sent> send(user_id u, room_id room, const std::string& client_id,
                    const std::string& body = "hello") {
    return wait_for<sent>([&](auto done) { s().send({u, room, client_id, body}, done); });
  }
  seq_no send_ok(user_id u, room_id room, const std::string& client_id) {
    auto r = send(u, room, client_id);
    EXPECT_TRUE(r.ok()) << r.err().text();
    return r.ok() ? r->ack.seq : 0;
  }
  result<room_change> invite(user_id actor, room_id room, std::vector<user_id> members) {
    return wait_for<room_change>(
        [&](auto done) { s().invite(actor, room, std::move(members), done); });
  }
  result<room_change> leave(user_id u, room_id room) {
    return wait_for<room_change>([&](auto done) { s().leave(u, room, done); });
  }
  result<read_update> mark_read(user_id u, room_id room, seq_no seq) {
    return wait_for<read_update>([&](auto done) { s().mark_read(u, room, seq, done); });
  }
  result<friend_entry> add_friend(user_id u, user_id other) {
    return wait_for<friend_entry>([&](auto done) { s().add_friend(u, other, done); });
  }
  result<friend_entry> block(user_id u, user_id other) {
    return wait_for<friend_entry>([&](auto done) { s().block_user(u, other, done); });
  }

  // What an error must not change: the room's log, counter, members and change number.
  struct room_state {
    seq_no last_seq;
    change_no change;
    std::vector<std::pair<std::int64_t, seq_no>> members;  // id, read_seq
    std::size_t events;
    bool operator==(const room_state&) const = default;
  };
  room_state state_of(user_id viewer, room_id room) {
    auto r = s().room(viewer, room);
    EXPECT_TRUE(r.ok()) << r.err().text();
    if (!r) return {};
    room_state st{r->last_seq, r->change, {}, 0};
    for (auto& m : r->members) st.members.emplace_back(m.id.value, m.read_seq);
    auto p = s().sync(viewer, room, 0, 500);
    if (p) st.events = p->events.size();
    return st;
  }

  std::vector<room_event> all_events(user_id viewer, room_id room) {
    std::vector<room_event> out;
    seq_no after = 0;
    for (int i = 0; i < 10000; ++i) {
      auto p = s().sync(viewer, room, after, 500);
      EXPECT_TRUE(p.ok()) << p.err().text();
      if (!p) break;
      for (auto& e : p->events) out.push_back(e);
      if (!p->more) break;
      after = out.back().seq;
    }
    return out;
  }

  temp_dir dir_;
  std::unique_ptr<store> s_;
  int rooms_made_ = 0;
};

// --- users and sessions ---

TEST_P(StoreContractTest, CreateUserRejectsTakenNameAndKeepsTheOriginal) {
  auto a = user("minji");
  auto dup = wait_for<user_record>(
      [&](auto done) { s().create_user("minji", "Other", "other-hash", done); });
  EXPECT_EQ(dup.code(), errc::name_taken);
  auto r = s().user_by_name("minji");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->id, a);
  EXPECT_EQ(r->display_name, "Display minji");
  EXPECT_EQ(r->password_hash, "hash-minji");
}

TEST_P(StoreContractTest, UnknownUsersAreNotFound) {
  EXPECT_EQ(s().user_by_name("nobody").code(), errc::not_found);
  EXPECT_EQ(s().user_by_id(user_id(999)).code(), errc::not_found);
  auto r =
      wait_for<user_record>([&](auto done) { s().update_display_name(user_id(999), "x", done); });
  EXPECT_EQ(r.code(), errc::not_found);
}

TEST_P(StoreContractTest, UpdateDisplayNameIsVisibleToReads) {
  auto a = user("minji");
  auto r = wait_for<user_record>([&](auto done) { s().update_display_name(a, "민지", done); });
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->display_name, "민지");
  EXPECT_EQ(s().user_by_id(a)->display_name, "민지");
}

TEST_P(StoreContractTest, SessionsAreFoundByTokenHashUntilDeleted) {
  auto a = user("minji");
  auto created =
      wait_for<session_record>([&](auto done) { s().create_session(a, "th1", "phone", done); });
  ASSERT_TRUE(created.ok());
  EXPECT_TRUE(created->device.valid());
  auto second =
      wait_for<session_record>([&](auto done) { s().create_session(a, "th2", "pc", done); });
  ASSERT_TRUE(second.ok());
  EXPECT_NE(second->device, created->device);
  auto found = s().session_by_token_hash("th1");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->user, a);
  EXPECT_EQ(found->device, created->device);
  EXPECT_EQ(found->device_name, "phone");
  ASSERT_TRUE(wait_for<done>([&](auto d) { s().delete_session("th1", d); }).ok());
  EXPECT_EQ(s().session_by_token_hash("th1").code(), errc::not_found);
  EXPECT_TRUE(s().session_by_token_hash("th2").ok());
}

TEST_P(StoreContractTest, SessionForUnknownUserFailsAndStoresNothing) {
  auto r = wait_for<session_record>(
      [&](auto done) { s().create_session(user_id(42), "th", "phone", done); });
  EXPECT_EQ(r.code(), errc::not_found);
  EXPECT_EQ(s().session_by_token_hash("th").code(), errc::not_found);
}

// --- friends ---

TEST_P(StoreContractTest, AddFriendIsIdempotentAndUnblocks) {
  auto a = user("minji"), b = user("jun");
  ASSERT_TRUE(add_friend(a, b).ok());
  ASSERT_TRUE(add_friend(a, b).ok());
  auto list = s().friends(a);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].id, b);
  EXPECT_EQ((*list)[0].name, "jun");
  EXPECT_EQ((*list)[0].state, friend_state::friend_);
  ASSERT_EQ(block(a, b)->state, friend_state::blocked);
  EXPECT_EQ((*s().friends(a))[0].state, friend_state::blocked);
  ASSERT_EQ(add_friend(a, b)->state, friend_state::friend_);
  EXPECT_EQ((*s().friends(a))[0].state, friend_state::friend_);
  EXPECT_TRUE(s().friends(b)->empty());
}

TEST_P(StoreContractTest, AddFriendRejectsSelfAndUnknownAndChangesNothing) {
  auto a = user("minji");
  EXPECT_EQ(add_friend(a, a).code(), errc::invalid_field);
  EXPECT_EQ(add_friend(a, user_id(999)).code(), errc::not_found);
  EXPECT_EQ(block(a, user_id(999)).code(), errc::not_found);
  EXPECT_TRUE(s().friends(a)->empty());
}

TEST_P(StoreContractTest, BlockedUserCannotOpenDirectRoomOrSendToIt) {
  auto a = user("minji"), b = user("jun");
  auto room = direct(a, b);
  ASSERT_TRUE(room.ok());
  ASSERT_TRUE(block(a, b).ok());  // a blocks b
  EXPECT_EQ(direct(b, a).code(), errc::blocked);
  auto before = state_of(a, room->room);
  EXPECT_EQ(send(b, room->room, "c1").code(), errc::blocked);
  EXPECT_EQ(state_of(a, room->room), before);
  // The blocker can still write; un-blocking lets the other back in.
  EXPECT_TRUE(send(a, room->room, "c2").ok());
  ASSERT_TRUE(add_friend(a, b).ok());
  EXPECT_TRUE(send(b, room->room, "c3").ok());
  EXPECT_TRUE(direct(b, a).ok());
}

// --- rooms ---

TEST_P(StoreContractTest, DirectRoomIsUniqueUnderBothOrders) {
  auto a = user("minji"), b = user("jun");
  auto first = direct(a, b);
  ASSERT_TRUE(first.ok()) << first.err().text();
  ASSERT_EQ(first->events.size(), 3u);
  EXPECT_EQ(first->events[0].kind, event_kind::created);
  EXPECT_EQ(first->events[1].kind, event_kind::joined);
  EXPECT_EQ(first->events[1].subject, a);
  EXPECT_EQ(first->events[2].kind, event_kind::joined);
  EXPECT_EQ(first->events[2].subject, b);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(first->events[i].seq, i + 1);
  auto again = direct(b, a);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->room, first->room);
  EXPECT_TRUE(again->events.empty());
  std::set<user_id> recipients(again->recipients.begin(), again->recipients.end());
  EXPECT_EQ(recipients, (std::set<user_id>{a, b}));
  auto summary = s().room(b, first->room);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->kind, room_kind::direct);
  EXPECT_EQ(summary->members.size(), 2u);
  EXPECT_EQ(summary->last_seq, 3);
}

TEST_P(StoreContractTest, DirectRoomWithSelfOrUnknownUserFails) {
  auto a = user("minji");
  EXPECT_EQ(direct(a, a).code(), errc::invalid_field);
  EXPECT_EQ(direct(a, user_id(999)).code(), errc::not_found);
  EXPECT_TRUE(s().rooms(a)->empty());
}

TEST_P(StoreContractTest, GroupRoomIsIdempotentByCreatorAndClientId) {
  auto a = user("minji"), b = user("jun"), c = user("hana");
  auto first = group(a, "k1", {b, c, b, a}, "Friends");
  ASSERT_TRUE(first.ok()) << first.err().text();
  ASSERT_EQ(first->events.size(), 4u);  // created, joined a, b, c
  EXPECT_EQ(first->events[0].kind, event_kind::created);
  EXPECT_EQ(first->events[0].body, "Friends");
  EXPECT_EQ(first->events[0].client_id, "k1");
  EXPECT_EQ(first->events[3].subject, c);
  auto again = group(a, "k1", {b}, "Other");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->room, first->room);
  EXPECT_TRUE(again->events.empty());
  EXPECT_EQ(again->recipients.size(), 3u);
  auto other = group(b, "k1", {a});  // another creator's k1 is another room
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->room, first->room);
  auto summary = s().room(c, first->room);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->title, "Friends");
  EXPECT_EQ(summary->kind, room_kind::group);
  EXPECT_EQ(summary->members.size(), 3u);
}

TEST_P(StoreContractTest, GroupRoomWithUnknownMemberFailsAndCreatesNothing) {
  auto a = user("minji"), b = user("jun");
  EXPECT_EQ(group(a, "k1", {b, user_id(999)}).code(), errc::not_found);
  EXPECT_TRUE(s().rooms(a)->empty());
  EXPECT_TRUE(s().rooms(b)->empty());
  // The client id was not consumed.
  auto r = group(a, "k1", {b});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->events.size(), 3u);
}

TEST_P(StoreContractTest, InviteAppendsJoinedEventsAndSkipsPresentMembers) {
  auto a = user("minji"), b = user("jun"), c = user("hana"), d = user("dami");
  auto room = group_room(a, {b});
  auto r = invite(b, room, {a, c, d, c});
  ASSERT_TRUE(r.ok()) << r.err().text();
  ASSERT_EQ(r->events.size(), 2u);
  EXPECT_EQ(r->events[0].kind, event_kind::joined);
  EXPECT_EQ(r->events[0].sender, b);
  EXPECT_EQ(r->events[0].subject, c);
  EXPECT_EQ(r->events[1].subject, d);
  EXPECT_EQ(r->recipients.size(), 4u);
  auto again = invite(a, room, {c, d});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->events.empty());
  EXPECT_EQ(s().room(a, room)->members.size(), 4u);
}

TEST_P(StoreContractTest, InviteErrorsChangeNothing) {
  auto a = user("minji"), b = user("jun"), c = user("hana");
  auto room = group_room(a, {b});
  auto before = state_of(a, room);
  EXPECT_EQ(invite(c, room, {c}).code(), errc::not_room_member);
  EXPECT_EQ(invite(a, room, {c, user_id(999)}).code(), errc::not_found);
  EXPECT_EQ(invite(a, room_id(999), {c}).code(), errc::not_found);
  EXPECT_EQ(state_of(a, room), before);
  auto dm = direct(a, b);
  ASSERT_TRUE(dm.ok());
  EXPECT_EQ(invite(a, dm->room, {c}).code(), errc::invalid_field);
  EXPECT_EQ(s().room(a, dm->room)->members.size(), 2u);
}

TEST_P(StoreContractTest, LeaveAppendsLeftEventThatReachesTheLeaver) {
  auto a = user("minji"), b = user("jun"), c = user("hana");
  auto room = group_room(a, {b, c});
  auto r = leave(c, room);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->events.size(), 1u);
  EXPECT_EQ(r->events[0].kind, event_kind::left);
  EXPECT_EQ(r->events[0].subject, c);
  std::set<user_id> recipients(r->recipients.begin(), r->recipients.end());
  EXPECT_EQ(recipients, (std::set<user_id>{a, b, c}));
  auto again = leave(c, room);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->events.empty());
  EXPECT_EQ(s().room(a, room)->members.size(), 2u);
  EXPECT_TRUE(s().rooms(c)->empty());
  // Never a member: not_room_member; no room: not_found.
  auto d = user("dami");
  EXPECT_EQ(leave(d, room).code(), errc::not_room_member);
  EXPECT_EQ(leave(d, room_id(999)).code(), errc::not_found);
}

TEST_P(StoreContractTest, LeftMemberCannotActOrReadAndChangesNothing) {
  auto a = user("minji"), b = user("jun");
  auto room = group_room(a, {b});
  ASSERT_TRUE(leave(b, room).ok());
  auto before = state_of(a, room);
  EXPECT_EQ(send(b, room, "c1").code(), errc::not_room_member);
  EXPECT_EQ(mark_read(b, room, 1).code(), errc::not_room_member);
  EXPECT_EQ(invite(b, room, {b}).code(), errc::not_room_member);
  EXPECT_EQ(s().history(b, room, 0, 10).code(), errc::not_room_member);
  EXPECT_EQ(s().sync(b, room, 0, 10).code(), errc::not_room_member);
  EXPECT_EQ(s().room(b, room).code(), errc::not_room_member);
  EXPECT_EQ(state_of(a, room), before);
}

TEST_P(StoreContractTest, RoomsListsCurrentRoomsNewestActivityFirst) {
  auto a = user("minji"), b = user("jun"), c = user("hana");
  auto r1 = group_room(a, {b});
  auto r2 = group_room(a, {c});
  auto r3 = group_room(b, {c});
  send_ok(a, r1, "c1");  // r1 is the newest now
  auto list = s().rooms(a);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, r1);
  EXPECT_EQ((*list)[1].id, r2);
  ASSERT_TRUE((*list)[0].last_message.has_value());
  EXPECT_EQ((*list)[0].last_message->client_id, "c1");
  EXPECT_FALSE((*list)[1].last_message.has_value());
  (void)r3;
}

// --- send ---

TEST_P(StoreContractTest, SendAssignsTheNextSeqAndAdvancesTheSendersMarker) {
  auto a = user("minji"), b = user("jun");
  auto room = group_room(a, {b});  // seqs 1..3
  auto r = send(a, room, "c1", "안녕");
  ASSERT_TRUE(r.ok()) << r.err().text();
  EXPECT_EQ(r->ack.room, room);
  EXPECT_EQ(r->ack.seq, 4);
  EXPECT_FALSE(r->ack.duplicate);
  EXPECT_GT(r->ack.time_ms, 0);
  ASSERT_EQ(r->change.events.size(), 1u);
  const auto& e = r->change.events[0];
  EXPECT_EQ(e.kind, event_kind::message);
  EXPECT_EQ(e.body, "안녕");
  EXPECT_EQ(e.sender, a);
  EXPECT_EQ(e.unread, 1);
  std::set<user_id> recipients(r->change.recipients.begin(), r->change.recipients.end());
  EXPECT_EQ(recipients, (std::set<user_id>{a, b}));
  EXPECT_EQ(send_ok(b, room, "c2"), 5);
  auto summary = s().room(a, room);
  ASSERT_TRUE(summary.ok());
  for (auto& m : summary->members) {
    if (m.id == a) {
      EXPECT_EQ(m.read_seq, 4);
    }
    if (m.id == b) {
      EXPECT_EQ(m.read_seq, 5);
    }
  }
}

TEST_P(StoreContractTest, ResendWithSameClientIdReturnsOriginalSeqAndConsumesNone) {
  auto a = user("minji"), b = user("jun");
  auto room = group_room(a, {b});
  auto first = send(a, room, "c1", "hi");
  ASSERT_TRUE(first.ok());
  auto before = state_of(a, room);
  auto again = send(a, room, "c1", "hi");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->ack.duplicate);
  EXPECT_EQ(again->ack.seq, first->ack.seq);
  EXPECT_EQ(again->ack.room, room);
  EXPECT_EQ(again->ack.time_ms, first->ack.time_ms);
  EXPECT_TRUE(again->change.events.empty());
  EXPECT_EQ(state_of(a, room), before);
  // The next message gets the very next seq; another sender's c1 is another message.
  EXPECT_EQ(send_ok(b, room, "c1"), first->ack.seq + 1);
}

TEST_P(StoreContractTest, ResendIntoAnotherRoomReturnsTheOriginalAck) {
  auto a = user("minji"), b = user("jun");
  auto r1 = group_room(a, {b});
  auto r2 = group_room(a, {b});
  auto first = send(a, r1, "c1");
  ASSERT_TRUE(first.ok());
  auto before = state_of(a, r2);
  auto again = send(a, r2, "c1");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->ack.duplicate);
  EXPECT_EQ(again->ack.room, r1);
  EXPECT_EQ(again->ack.seq, first->ack.seq);
  EXPECT_EQ(state_of(a, r2), before);
}

TEST_P(StoreContractTest, NonMemberCannotSendOrReadAndChangesNothing) {
  auto a = user("minji"), b = user("jun"), eve = user("eve");
  auto room = group_room(a, {b});
  send_ok(a, room, "c1");
  auto before = state_of(a, room);
  EXPECT_EQ(send(eve, room, "e1").code(), errc::not_room_member);
  EXPECT_EQ(mark_read(eve, room, 1).code(), errc::not_room_member);
  EXPECT_EQ(s().history(eve, room, 0, 10).code(), errc::not_room_member);
  EXPECT_EQ(s().sync(eve, room, 0, 10).code(), errc::not_room_member);
  EXPECT_EQ(s().room(eve, room).code(), errc::not_room_member);
  EXPECT_EQ(state_of(a, room), before);
  // The refused client id was not stored: once a member, eve can use it.
  ASSERT_TRUE(invite(a, room, {eve}).ok());
  auto r = send(eve, room, "e1");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->ack.duplicate);
}

TEST_P(StoreContractTest, SendToMissingRoomIsNotFound) {
  auto a = user("minji");
  EXPECT_EQ(send(a, room_id(999), "c1").code(), errc::not_found);
}

TEST_P(StoreContractTest, ConcurrentSendsGetGapFreeUniqueSeqs) {
  constexpr int threads = 8, per_thread = 200;
  auto a = user("minji");
  std::vector<user_id> members;
  for (int t = 0; t < threads; ++t) members.push_back(user("u" + std::to_string(t)));
  auto room = group_room(a, members);
  seq_no base = s().room(a, room)->last_seq;
  std::mutex mu;
  std::map<std::string, seq_no> acked;
  std::vector<error> errors;
  latch all(threads * per_thread);
  std::vector<std::thread> senders;
  for (int t = 0; t < threads; ++t) {
    senders.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        std::string cid = "t" + std::to_string(t) + "-" + std::to_string(i);
        s().send({members[t], room, cid, "m"}, [&, cid](result<sent> r) {
          {
            std::lock_guard lock(mu);
            if (r) {
              acked[cid] = r->ack.seq;
            } else {
              errors.push_back(r.err());
            }
          }
          all.count_down();
        });
      }
    });
  }
  for (auto& t : senders) t.join();
  ASSERT_TRUE(all.wait());
  ASSERT_TRUE(errors.empty()) << errors[0].text();
  ASSERT_EQ(acked.size(), static_cast<std::size_t>(threads * per_thread));
  std::set<seq_no> seqs;
  for (auto& [cid, seq] : acked) seqs.insert(seq);
  ASSERT_EQ(seqs.size(), acked.size());  // no duplicate seq
  EXPECT_EQ(*seqs.begin(), base + 1);
  EXPECT_EQ(*seqs.rbegin(), base + threads * per_thread);  // hence no gap
  auto events = all_events(a, room);
  ASSERT_EQ(events.size(), static_cast<std::size_t>(base + threads * per_thread));
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].seq, static_cast<seq_no>(i + 1));
    if (events[i].kind == event_kind::message) {
      EXPECT_EQ(acked[events[i].client_id], events[i].seq);
    }
  }
}

TEST_P(StoreContractTest, ConcurrentWritesAreGroupCommitted) {
  auto a = user("minji"), b = user("jun");
  auto room = group_room(a, {b});
  auto before = s().stats();
  // Hold the writer in a completion while 8 threads queue 50 sends each.
  writer_gate gate;
  s().send({a, room, "gate", "m"}, gate.blocker<sent>());
  gate.wait_entered();
  latch all(8 * 50);
  std::atomic<int> failures{0};
  std::vector<std::thread> senders;
  for (int t = 0; t < 8; ++t) {
    senders.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        s().send({t % 2 ? a : b, room, "c" + std::to_string(t) + "-" + std::to_string(i), "m"},
                 [&](result<sent> r) {
                   if (!r) failures++;
                   all.count_down();
                 });
      }
    });
  }
  for (auto& t : senders) t.join();
  gate.open();
  ASSERT_TRUE(all.wait());
  EXPECT_EQ(failures.load(), 0);
  auto after = s().stats();
  EXPECT_EQ(after.writes - before.writes, 401u);
  EXPECT_LT(after.commits - before.commits, after.writes - before.writes);
  EXPECT_GE(after.largest_batch, 2u);
}

TEST_P(StoreContractTest, FailingWriteInABatchFailsAloneAndOthersCommit) {
  auto a = user("minji"), b = user("jun"), eve = user("eve");
  auto room = group_room(a, {b});
  writer_gate gate;
  s().send({a, room, "gate", "m"}, gate.blocker<sent>());
  gate.wait_entered();
  latch all(3);
  result<sent> r1 = errc::internal, r2 = errc::internal, r3 = errc::internal;
  s().send({a, room, "ok1", "m"}, [&](result<sent> r) {
    r1 = std::move(r);
    all.count_down();
  });
  s().send({eve, room, "bad", "m"}, [&](result<sent> r) {
    r2 = std::move(r);
    all.count_down();
  });
  s().send({b, room, "ok2", "m"}, [&](result<sent> r) {
    r3 = std::move(r);
    all.count_down();
  });
  gate.open();
  ASSERT_TRUE(all.wait());
  ASSERT_TRUE(r1.ok());
  EXPECT_EQ(r2.code(), errc::not_room_member);
  ASSERT_TRUE(r3.ok());
  EXPECT_EQ(r3->ack.seq, r1->ack.seq + 1);
}

// --- history, sync, visibility ---

TEST_P(StoreContractTest, HistoryPagesBackwardsWithMore) {
  auto a = user("minji"), b = user("jun");
  auto room = group_room(a, {b});                                         // 1..3
  for (int i = 0; i < 7; ++i) send_ok(a, room, "c" + std::to_string(i));  // 4..10
  auto p = s().history(b, room, 0, 4);
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->events.size(), 4u);
  EXPECT_EQ(p->events.front().seq, 7);
  EXPECT_EQ(p->events.back().seq, 10);
  EXPECT_TRUE(p->more);
  p = s().history(b, room, 7, 4);
  ASSERT_EQ(p->events.size(), 4u);
  EXPECT_EQ(p->events.front().seq, 3);
  EXPECT_TRUE(p->more);
  p = s().history(b, room, 3, 4);
  ASSERT_EQ(p->events.size(), 2u);
  EXPECT_EQ(p->events.front().seq, 1);
  EXPECT_FALSE(p->more);
}

TEST_P(StoreContractTest, SyncPagesForwardWithMore) {
  auto a = user("minji"), b = user("jun");
  auto room = group_room(a, {b});
  for (int i = 0; i < 7; ++i) send_ok(a, room, "c" + std::to_string(i));
  auto p = s().sync(b, room, 0, 6);
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->events.size(), 6u);
  EXPECT_EQ(p->events.front().seq, 1);
  EXPECT_TRUE(p->more);
  p = s().sync(b, room, 6, 6);
  ASSERT_EQ(p->events.size(), 4u);
  EXPECT_EQ(p->events.back().seq, 10);
  EXPECT_FALSE(p->more);
  p = s().sync(b, room, 10, 6);
  EXPECT_TRUE(p->events.empty());
  EXPECT_FALSE(p->more);
}

TEST_P(StoreContractTest, PagingRejectsBadArguments) {
  auto a = user("minji"), b = user("jun");
  auto room = group_room(a, {b});
  EXPECT_EQ(s().history(a, room, 0, 0).code(), errc::invalid_field);
  EXPECT_EQ(s().history(a, room, 0, 501).code(), errc::invalid_field);
  EXPECT_EQ(s().history(a, room, -1, 10).code(), errc::invalid_field);
  EXPECT_EQ(s().sync(a, room, 0, 0).code(), errc::invalid_field);
  EXPECT_EQ(s().sync(a, room, -1, 10).code(), errc::invalid_field);
  EXPECT_EQ(s().changes(a, 0, 0).code(), errc::invalid_field);
  EXPECT_EQ(s().changes(a, -1, 10).code(), errc::invalid_field);
  EXPECT_EQ(s().history(a, room_id(999), 0, 10).code(), errc::not_found);
  EXPECT_EQ(s().sync(a, room_id(999), 0, 10).code(), errc::not_found);
  EXPECT_EQ(s().room(a, room_id(999)).code(), errc::not_found);
}

TEST_P(StoreContractTest, LateJoinerSeesNothingBeforeTheirJoin) {
  auto a = user("minji"), b = user("jun"), c = user("hana");
  auto room = group_room(a, {b});   // 1..3
  send_ok(a, room, "before");       // 4
  auto inv = invite(a, room, {c});  // 5
  ASSERT_TRUE(inv.ok());
  seq_no joined = inv->events[0].seq;
  send_ok(b, room, "after");  // 6
  auto sync = s().sync(c, room, 0, 100);
  ASSERT_TRUE(sync.ok());
  ASSERT_EQ(sync->events.size(), 2u);
  EXPECT_EQ(sync->events[0].seq, joined);
  EXPECT_EQ(sync->events[0].kind, event_kind::joined);
  EXPECT_EQ(sync->events[1].client_id, "after");
  auto hist = s().history(c, room, 0, 100);
  ASSERT_TRUE(hist.ok());
  ASSERT_EQ(hist->events.size(), 2u);
  EXPECT_EQ(hist->events[0].seq, joined);
  EXPECT_FALSE(hist->more);
  auto summary = s().room(c, room);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(summary->unread, 1);  // "after" only
  for (auto& m : summary->members) {
    if (m.id == c) {
      EXPECT_EQ(m.joined_seq, joined);
    }
  }
}

// --- read markers and unread counts ---

TEST_P(StoreContractTest, ReadMarkersNeverMoveBackAndStopAtLastSeq) {
  auto a = user("minji"), b = user("jun");
  auto room = group_room(a, {b});
  for (int i = 0; i < 5; ++i) send_ok(a, room, "c" + std::to_string(i));  // 4..8
  auto r = mark_read(b, room, 6);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->read_seq, 6);
  EXPECT_EQ(r->reader, b);
  EXPECT_EQ(r->recipients.size(), 2u);
  auto change_before = s().room(a, room)->change;
  r = mark_read(b, room, 5);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->read_seq, 6);
  EXPECT_EQ(s().room(a, room)->change, change_before);  // nothing moved, nothing changed
  r = mark_read(b, room, 1000);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->read_seq, 8);
  EXPECT_EQ(mark_read(b, room, -1).code(), errc::invalid_field);
  EXPECT_EQ(mark_read(b, room_id(999), 1).code(), errc::not_found);
  auto final_room = s().room(a, room);
  ASSERT_TRUE(final_room.ok());
  for (auto& m : final_room->members) {
    if (m.id == b) {
      EXPECT_EQ(m.read_seq, 8);
    }
  }
}

TEST_P(StoreContractTest, UnreadCountsFollowReadMarkers) {
  auto a = user("minji"), b = user("jun"), c = user("hana");
  auto room = group_room(a, {b, c});        // 1..4
  send_ok(a, room, "m1");                   // 5
  send_ok(a, room, "m2");                   // 6
  send_ok(b, room, "m3");                   // 7
  EXPECT_EQ(s().room(a, room)->unread, 1);  // m3
  EXPECT_EQ(s().room(b, room)->unread, 0);  // sending m3 moved b's marker to 7
  EXPECT_EQ(s().room(c, room)->unread, 3);
  auto unread_of = [&](seq_no seq) {
    auto p = s().sync(a, room, seq - 1, 1);
    return p->events.at(0).unread;
  };
  EXPECT_EQ(unread_of(5), 1);  // c (b's marker is at 7)
  EXPECT_EQ(unread_of(7), 2);  // a (marker 6) and c
  ASSERT_TRUE(mark_read(c, room, 5).ok());
  EXPECT_EQ(unread_of(5), 0);
  EXPECT_EQ(unread_of(6), 1);  // c
  EXPECT_EQ(s().room(c, room)->unread, 2);
  auto last = s().room(c, room)->last_message;
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->client_id, "m3");
  EXPECT_EQ(last->unread, 2);  // a (marker 6) and c (marker 5)
}

// --- changes ---

TEST_P(StoreContractTest, ChangesReturnsOnlyChangedRoomsAndPages) {
  auto a = user("minji"), b = user("jun"), c = user("hana");
  auto r1 = group_room(a, {b});
  auto r2 = group_room(a, {c});
  auto r3 = group_room(a, {b, c});
  send_ok(a, r2, "x");  // r2 is the latest change; c has not read it
  auto all = s().changes(a, 0, 100);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->rooms.size(), 3u);
  EXPECT_EQ(all->rooms[0].id, r1);
  EXPECT_EQ(all->rooms[1].id, r3);
  EXPECT_EQ(all->rooms[2].id, r2);
  EXPECT_FALSE(all->more);
  change_no cursor = all->next;
  EXPECT_TRUE(s().changes(a, cursor, 100)->rooms.empty());
  EXPECT_EQ(s().changes(a, cursor, 100)->next, cursor);
  send_ok(b, r1, "m1");
  ASSERT_TRUE(mark_read(c, r2, 100).ok());
  auto some = s().changes(a, cursor, 100);
  ASSERT_EQ(some->rooms.size(), 2u);
  EXPECT_EQ(some->rooms[0].id, r1);
  EXPECT_EQ(some->rooms[1].id, r2);
  EXPECT_LT(some->rooms[0].change, some->rooms[1].change);
  // b sees only its own rooms.
  auto for_b = s().changes(b, cursor, 100);
  ASSERT_EQ(for_b->rooms.size(), 1u);
  EXPECT_EQ(for_b->rooms[0].id, r1);
  // Paging.
  auto p1 = s().changes(a, 0, 2);
  ASSERT_EQ(p1->rooms.size(), 2u);
  EXPECT_TRUE(p1->more);
  auto p2 = s().changes(a, p1->next, 2);
  ASSERT_EQ(p2->rooms.size(), 1u);
  EXPECT_FALSE(p2->more);
  EXPECT_EQ(p2->rooms[0].id, r2);
}

TEST_P(StoreContractTest, ChangesIncludesRoomsTheUserLeft) {
  auto a = user("minji"), b = user("jun");
  auto room = group_room(a, {b});
  change_no cursor = s().changes(b, 0, 100)->next;
  ASSERT_TRUE(leave(b, room).ok());
  auto c = s().changes(b, cursor, 100);
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->rooms.size(), 1u);
  EXPECT_EQ(c->rooms[0].id, room);
  EXPECT_TRUE(c->rooms[0].left);
  EXPECT_FALSE(s().changes(a, cursor, 100)->rooms[0].left);
}

// --- restarts: nothing lives outside the store ---

TEST_P(StoreContractTest, EverythingSurvivesAReopen) {
  auto a = user("minji"), b = user("jun");
  auto room = group_room(a, {b});
  auto first = send(a, room, "c1");
  ASSERT_TRUE(first.ok());
  change_no cursor = s().changes(a, 0, 100)->next;
  reopen();
  auto again = send(a, room, "c1");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->ack.duplicate);
  EXPECT_EQ(again->ack.seq, first->ack.seq);
  EXPECT_EQ(send_ok(b, room, "c2"), first->ack.seq + 1);
  auto c = s().changes(a, cursor, 100);
  ASSERT_EQ(c->rooms.size(), 1u);  // the change counter continued past the old cursor
  EXPECT_GT(c->next, cursor);
  EXPECT_EQ(s().user_by_name("jun")->id, b);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContractTest,
                         ::testing::Values(backend{"sqlite", open_sqlite},
                                           backend{"postgres", open_pg}),
                         [](const ::testing::TestParamInfo<backend>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace haetae::store
