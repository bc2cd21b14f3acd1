// The client library against a real `haetae serve`: delivery to every device once and in order,
// and resends that store once.
#include "client/session.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <thread>

#include "client/account.h"
#include "client/local_server.h"
#include "client/ws_connection.h"
#include "proto/decode.h"

namespace haetae::client {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;

// Bounded: returns false if `done` is still false after `limit` (a hang, not a timing claim).
template <class F>
bool run_until(asio::io_context& io, std::chrono::steady_clock::duration limit, F done) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    io.run_for(5ms);
  }
  return true;
}

// What one device saw.
struct device_log {
  std::map<room_id, std::vector<store::room_event>> events;
  int disconnects = 0;
};

class SessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = local_server::start(HAETAE_BINARY);
    ASSERT_TRUE(s) << s.err().text();
    server_.emplace(std::move(*s));
    node_ = *node_url::parse(server_->url());
  }

  login_result account(const std::string& name) {
    auto u = signup(node_, name, "password123");
    EXPECT_TRUE(u || u.code() == errc::name_taken) << (u ? "" : u.err().text());
    auto in = login(node_, name, "password123");
    EXPECT_TRUE(in) << (in ? "" : in.err().text());
    return in ? *in : login_result{};
  }

  std::unique_ptr<session> device(const login_result& who, device_log& log,
                                  session_handlers extra = {}) {
    session_options o;
    o.nodes = {server_->url()};
    o.token = who.token;
    o.seed = ++seed_;
    session_handlers h = std::move(extra);
    h.on_event = [&log](const store::room_event& e) { log.events[e.room].push_back(e); };
    h.on_disconnected = [&log, also = std::move(h.on_disconnected)](const error& e) {
      ++log.disconnects;
      if (also) also(e);
    };
    auto s = std::make_unique<session>(io_, std::move(o), std::move(h));
    s->start();
    return s;
  }

  room_id direct_room(const login_result& a, const std::string& other) {
    auto r = http_call(node_, "rooms.direct", {{"name", other}}, a.token);
    EXPECT_TRUE(r) << (r ? "" : r.err().text());
    if (!r) return room_id();
    return proto::decode_room(r->at("room"))->id;
  }

  std::vector<store::room_event> sync_all(const login_result& who, room_id room) {
    std::vector<store::room_event> out;
    seq_no after = 0;
    for (int page = 0; page < 100; ++page) {
      auto r = http_call(node_, "sync", {{"room_id", room.value}, {"after", after}}, who.token);
      EXPECT_TRUE(r) << (r ? "" : r.err().text());
      if (!r) break;
      auto p = proto::decode_page(*r);
      EXPECT_TRUE(p);
      if (!p) break;
      for (auto& e : p->events) {
        after = e.seq;
        out.push_back(std::move(e));
      }
      if (!p->more) break;
    }
    return out;
  }

  std::optional<local_server> server_;
  node_url node_;
  asio::io_context io_;
  std::uint64_t seed_ = 0;
};

// Seqs strictly consecutive from the first one shown, each once.
void expect_gap_free(const std::vector<store::room_event>& events, const std::string& who) {
  for (std::size_t i = 1; i < events.size(); ++i) {
    EXPECT_EQ(events[i].seq, events[i - 1].seq + 1) << who << " at " << i;
  }
}

TEST_F(SessionTest, EveryDeviceOfEveryMemberGetsEachMessageOnceInSeqOrder) {
  auto minji = account("minji");
  auto jun = account("jun");
  auto minji2 = login(node_, "minji", "password123");
  ASSERT_TRUE(minji2);
  const room_id room = direct_room(minji, "jun");
  ASSERT_TRUE(room.valid());

  device_log phone, pc, jun_phone;
  auto a1 = device(minji, phone);
  auto a2 = device(*minji2, pc);
  auto b1 = device(jun, jun_phone);
  ASSERT_TRUE(
      run_until(io_, 30s, [&] { return a1->caught_up() && a2->caught_up() && b1->caught_up(); }));

  constexpr int per_sender = 25;
  std::set<std::string> sent_ids;
  for (int i = 0; i < per_sender; ++i) {
    sent_ids.insert(a1->send(room, "from minji " + std::to_string(i)));
    sent_ids.insert(b1->send(room, "from jun " + std::to_string(i)));
    if (i % 5 == 0) sent_ids.insert(a2->send(room, "from minji's pc " + std::to_string(i)));
  }
  auto messages_in = [&](const device_log& log) {
    auto it = log.events.find(room);
    if (it == log.events.end()) return 0;
    int n = 0;
    for (const auto& e : it->second) n += e.kind == store::event_kind::message;
    return n;
  };
  const int total = static_cast<int>(sent_ids.size());
  ASSERT_TRUE(run_until(io_, 60s,
                        [&] {
                          return messages_in(phone) == total && messages_in(pc) == total &&
                                 messages_in(jun_phone) == total;
                        }))
      << messages_in(phone) << " " << messages_in(pc) << " " << messages_in(jun_phone) << " of "
      << total;
  // An ack may come after the pushes of its message: wait for the outboxes to empty.
  EXPECT_TRUE(run_until(
      io_, 30s, [&] { return a1->outbox_size() + a2->outbox_size() + b1->outbox_size() == 0; }));

  const auto stored = sync_all(minji, room);
  for (const device_log* log : {&phone, &pc, &jun_phone}) {
    const auto& seen = log->events.at(room);
    expect_gap_free(seen, "device");
    std::multiset<std::string> ids;
    for (const auto& e : seen) {
      if (e.kind == store::event_kind::message) ids.insert(e.client_id);
    }
    EXPECT_EQ(ids.size(), sent_ids.size());
    for (const auto& id : sent_ids) EXPECT_EQ(ids.count(id), 1u) << id;
    // Same order as the store's log.
    ASSERT_LE(seen.size(), stored.size());
    for (std::size_t i = 0; i < seen.size(); ++i) {
      const auto& s = stored[stored.size() - seen.size() + i];
      EXPECT_EQ(seen[i].seq, s.seq);
      EXPECT_EQ(seen[i].client_id, s.client_id);
    }
  }
}

TEST_F(SessionTest, ResendOnNewConnectionWithSameClientIdStoresOnce) {
  auto minji = account("minji");
  account("jun");
  const room_id room = direct_room(minji, "jun");

  auto send_once = [&](const std::string& client_id) -> result<store::send_ack> {
    std::optional<result<store::send_ack>> out;
    auto conn = ws_connection::create(io_, {});
    std::optional<result<auth_info>> opened;
    conn->open(node_, minji.token, 10s, [&](result<auth_info> r) { opened.emplace(std::move(r)); });
    if (!run_until(io_, 20s, [&] { return opened.has_value(); }) || !*opened) {
      return make_error(errc::store_unavailable, "no connection");
    }
    conn->request("send", {{"room_id", room.value}, {"client_id", client_id}, {"body", "once"}},
                  [&](result<json::object> r) {
                    out.emplace(r ? proto::decode_send_ack(*r) : result<store::send_ack>(r.err()));
                  });
    if (!run_until(io_, 20s, [&] { return out.has_value(); })) {
      return make_error(errc::store_unavailable, "no reply");
    }
    conn->close();  // dropped, as after a network fault
    io_.run_for(20ms);
    return std::move(*out);
  };

  auto first = send_once("resend-me-1");
  ASSERT_TRUE(first) << first.err().text();
  EXPECT_FALSE(first->duplicate);
  auto second = send_once("resend-me-1");
  ASSERT_TRUE(second) << second.err().text();
  EXPECT_TRUE(second->duplicate);
  EXPECT_EQ(second->seq, first->seq);
  EXPECT_EQ(second->room, first->room);

  int stored = 0;
  for (const auto& e : sync_all(minji, room)) stored += e.client_id == "resend-me-1";
  EXPECT_EQ(stored, 1);
}

TEST_F(SessionTest, OutboxResendsAfterDroppedConnectionAndTheMessageIsStoredOnce) {
  auto minji = account("minji");
  auto jun = account("jun");
  const room_id room = direct_room(minji, "jun");
  device_log log, jun_log;
  std::vector<store::send_ack> acks;
  session_handlers h;
  h.on_ack = [&](const outbox_entry&, const store::send_ack& a) { acks.push_back(a); };
  auto s = device(minji, log, h);
  auto receiver = device(jun, jun_log);
  ASSERT_TRUE(run_until(io_, 30s, [&] { return s->connected() && receiver->caught_up(); }));

  const std::string id = s->send(room, "survives a drop");
  s->test_drop_connection();  // the send may or may not have reached the server
  ASSERT_TRUE(run_until(io_, 60s, [&] { return !acks.empty(); }));
  EXPECT_EQ(acks.size(), 1u) << "one acknowledgement per outbox entry";
  EXPECT_EQ(s->outbox_size(), 0u);
  EXPECT_GE(log.disconnects, 1);

  int stored = 0;
  for (const auto& e : sync_all(minji, room)) stored += e.client_id == id;
  EXPECT_EQ(stored, 1);
  ASSERT_TRUE(run_until(io_, 30s, [&] {
    for (const auto& e : jun_log.events[room]) {
      if (e.client_id == id) return true;
    }
    return false;
  }));
  int seen = 0;
  for (const auto& e : jun_log.events[room]) seen += e.client_id == id;
  EXPECT_EQ(seen, 1);
}

TEST_F(SessionTest, DeviceAwayCatchesUpInOrderOnReconnect) {
  auto minji = account("minji");
  auto jun = account("jun");
  const room_id room = direct_room(minji, "jun");
  device_log jun_log, minji_log;
  auto receiver = device(jun, jun_log);
  ASSERT_TRUE(run_until(io_, 30s, [&] { return receiver->caught_up(); }));
  receiver->stop();

  auto sender = device(minji, minji_log);
  std::set<std::string> ids;
  for (int i = 0; i < 30; ++i) ids.insert(sender->send(room, "while away " + std::to_string(i)));
  ASSERT_TRUE(run_until(io_, 60s, [&] { return sender->outbox_size() == 0; }));

  receiver->start();
  ASSERT_TRUE(run_until(io_, 60s, [&] {
    int n = 0;
    for (const auto& e : jun_log.events[room]) n += ids.count(e.client_id);
    return n == 30;
  }));
  expect_gap_free(jun_log.events[room], "jun");
  EXPECT_GT(receiver->change_cursor(), 0);
}

TEST_F(SessionTest, PermanentErrorFailsTheSendAndIsReported) {
  auto minji = account("minji");
  device_log log;
  std::vector<failed_send> failures;
  session_handlers h;
  h.on_send_failed = [&](const failed_send& f) { failures.push_back(f); };
  auto s = device(minji, log, h);
  const std::string id = s->send(room_id(999999), "nowhere");
  ASSERT_TRUE(run_until(io_, 30s, [&] { return !failures.empty(); }));
  EXPECT_EQ(failures[0].entry.client_id, id);
  EXPECT_TRUE(failures[0].why.code == errc::not_room_member ||
              failures[0].why.code == errc::not_found)
      << errc_name(failures[0].why.code);
  EXPECT_EQ(s->outbox_size(), 0u);
}

TEST_F(SessionTest, PipelinedSendsToOneRoomAreStoredInSendOrder) {
  auto minji = account("minji");
  account("jun");
  const room_id room = direct_room(minji, "jun");
  device_log log;
  auto s = device(minji, log);
  ASSERT_TRUE(run_until(io_, 30s, [&] { return s->caught_up(); }));
  std::vector<std::string> sent;
  for (int i = 0; i < 60; ++i) sent.push_back(s->send(room, "n" + std::to_string(i)));
  ASSERT_TRUE(run_until(io_, 60s, [&] { return s->outbox_size() == 0; }));
  std::vector<std::string> stored;
  for (const auto& e : sync_all(minji, room)) {
    if (e.kind == store::event_kind::message) stored.push_back(e.client_id);
  }
  EXPECT_EQ(stored, sent) << "first-in first-out per room";
}

TEST_F(SessionTest, ReadMarkerPushReachesTheOtherMember) {
  auto minji = account("minji");
  auto jun = account("jun");
  const room_id room = direct_room(minji, "jun");
  device_log minji_log, jun_log;
  std::vector<store::read_update> reads;
  session_handlers h;
  h.on_read = [&](const store::read_update& r) { reads.push_back(r); };
  auto a = device(minji, minji_log, h);
  auto b = device(jun, jun_log);
  ASSERT_TRUE(run_until(io_, 30s, [&] { return a->caught_up() && b->caught_up(); }));
  a->send(room, "read me");
  seq_no seq = 0;
  ASSERT_TRUE(run_until(io_, 30s, [&] {
    for (const auto& e : jun_log.events[room]) {
      if (e.body == "read me") seq = e.seq;
    }
    return seq > 0;
  }));
  bool replied = false;
  b->call("read", {{"room_id", room.value}, {"seq", seq}},
          [&](result<json::object> r) { replied = r.ok(); });
  ASSERT_TRUE(run_until(io_, 30s,
                        [&] {
                          for (const auto& r : reads) {
                            if (r.reader == jun.user.id && r.read_seq == seq) return true;
                          }
                          return false;
                        }))
      << [&] {
           std::string seen = "read pushes:";
           for (const auto& r : reads) {
             seen += " (user " + std::to_string(r.reader.value) + ", seq " +
                     std::to_string(r.read_seq) + ")";
           }
           return seen + "; jun is user " + std::to_string(jun.user.id.value) + ", seq " +
                  std::to_string(seq);
         }();
  // The push to minji's device may come before the reply to jun's: wait for the reply too.
  EXPECT_TRUE(run_until(io_, 30s, [&] { return replied; }));
}

// The server dies by SIGKILL in the middle of a burst and comes back on the same data: every
// message is stored once, in send order, and reaches the other member once.
TEST_F(SessionTest, ServerCrashLosesNoMessageAndDuplicatesNone) {
  auto minji = account("minji");
  auto jun = account("jun");
  const room_id room = direct_room(minji, "jun");
  device_log minji_log, jun_log;
  int acked = 0;
  session_handlers h;
  h.on_ack = [&](const outbox_entry&, const store::send_ack&) { ++acked; };
  auto a = device(minji, minji_log, h);
  auto b = device(jun, jun_log);
  ASSERT_TRUE(run_until(io_, 30s, [&] { return a->caught_up() && b->caught_up(); }));

  constexpr int total = 200;
  std::vector<std::string> sent;
  for (int i = 0; i < total; ++i) sent.push_back(a->send(room, "burst " + std::to_string(i)));
  ASSERT_TRUE(run_until(io_, 60s, [&] { return acked >= 20; }));
  server_->crash();
  io_.run_for(50ms);  // the devices notice
  ASSERT_TRUE(server_->restart()) << "restart on the same port";
  ASSERT_TRUE(run_until(io_, 120s, [&] { return a->outbox_size() == 0; }))
      << a->outbox_size() << " unacknowledged";
  EXPECT_EQ(acked, total);

  std::vector<std::string> stored;
  for (const auto& e : sync_all(minji, room)) {
    if (e.kind == store::event_kind::message) stored.push_back(e.client_id);
  }
  EXPECT_EQ(stored.size(), sent.size());
  EXPECT_EQ(std::set<std::string>(stored.begin(), stored.end()),
            std::set<std::string>(sent.begin(), sent.end()));
  ASSERT_TRUE(run_until(io_, 60s, [&] {
    int n = 0;
    for (const auto& e : jun_log.events[room]) n += e.kind == store::event_kind::message;
    return n >= total;
  }));
  expect_gap_free(jun_log.events[room], "jun");
  std::multiset<std::string> seen;
  for (const auto& e : jun_log.events[room]) {
    if (e.kind == store::event_kind::message) seen.insert(e.client_id);
  }
  for (const auto& id : sent) EXPECT_EQ(seen.count(id), 1u) << id;
}

TEST_F(SessionTest, DeadNodeInTheListIsSkipped) {
  auto minji = account("minji");
  session_options o;
  o.nodes = {"http://127.0.0.1:1", server_->url()};  // port 1: nothing listens
  o.token = minji.token;
  o.reconnect.initial = std::chrono::milliseconds(10);
  o.seed = 3;
  int refused = 0;
  session_handlers h;
  h.on_disconnected = [&](const error&) { ++refused; };
  session s(io_, std::move(o), std::move(h));
  s.start();
  ASSERT_TRUE(run_until(io_, 30s, [&] { return s.caught_up(); }));
  EXPECT_EQ(s.node(), server_->url());
}

// SIGSTOP takes effect asynchronously: waits (bounded) until every thread of `pid` is stopped.
bool wait_stopped(pid_t pid) {
  namespace fs = std::filesystem;
  for (int i = 0; i < 1000; ++i) {
    bool all = true;
    std::error_code ec;
    for (const auto& task : fs::directory_iterator(fmt::format("/proc/{}/task", pid), ec)) {
      std::ifstream stat(task.path() / "stat");
      std::string line;
      std::getline(stat, line);
      auto close = line.rfind(')');  // the state follows the command name in parentheses
      if (close == std::string::npos || close + 2 >= line.size() || line[close + 2] != 'T') {
        all = false;
      }
    }
    if (all && !ec) return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

// A burnt data center's node goes silent: no reply, no pong, and the socket stays up. The session
// leaves it once a ping goes unanswered, long before the request timeout would.
TEST_F(SessionTest, ASilentNodeIsLeftWhenItsPingGoesUnanswered) {
  auto minji = account("minji");
  session_options o;
  o.nodes = {server_->url()};
  o.token = minji.token;
  o.seed = 5;
  o.request_timeout = 10min;  // so only the silence can end the connection
  o.idle_timeout = 10min;
  std::vector<error> closed;
  session_handlers h;
  h.on_disconnected = [&](const error& e) { closed.push_back(e); };
  session s(io_, std::move(o), std::move(h));
  s.start();
  ASSERT_TRUE(run_until(io_, 30s, [&] { return s.caught_up(); }));

  ASSERT_EQ(::kill(server_->pid(), SIGSTOP), 0);  // frozen: the socket is up, nothing answers
  ASSERT_TRUE(wait_stopped(server_->pid()));      // or it might still answer the request below
  std::optional<result<json::object>> reply;
  s.call("changes", {{"since", 0}}, [&](result<json::object> r) { reply = std::move(r); });
  const bool left = run_until(io_, 60s, [&] { return !closed.empty() && reply.has_value(); });
  ::kill(server_->pid(), SIGCONT);
  ASSERT_TRUE(left);
  EXPECT_EQ(reply->code(), errc::store_unavailable);

  // The node is back: the session takes it again.
  ASSERT_TRUE(run_until(io_, 30s, [&] { return s.caught_up(); }));
  EXPECT_GE(s.reconnects(), 1);
}

TEST_F(SessionTest, RevokedTokenStopsReconnecting) {
  auto minji = account("minji");
  ASSERT_TRUE(http_call(node_, "logout", {}, minji.token));
  std::vector<error> errors;
  session_handlers h;
  h.on_disconnected = [&](const error& e) { errors.push_back(e); };
  device_log log;
  auto s = device(minji, log, h);
  ASSERT_TRUE(run_until(io_, 30s, [&] { return !errors.empty(); }));
  EXPECT_EQ(errors[0].code, errc::unauthorized);
  io_.run_for(200ms);
  EXPECT_EQ(errors.size(), 1u) << "no retry loop on a token no node accepts";
  EXPECT_FALSE(s->connected());
}

}  // namespace
}  // namespace haetae::client
