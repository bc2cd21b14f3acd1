// Two nodes on one PostgreSQL database, as two data centers' nodes share one cluster (issue 4):
// - fan-out: a member connected to one node gets, by push, what was sent through the other;
// - failover: a device whose node dies resends its unacknowledged messages to the other node
//   with the same ids, and each is stored once with one seq;
// - /api/nodes lists the cluster's nodes, /readyz says the node can serve.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "chat_fixture.h"
#include "client/http_client.h"
#include "device.h"
#include "raw_http.h"
#include "store/tests/pg_test_server.h"

namespace haetae::testing {
namespace {

// Two nodes on one fresh database; each lists both in /api/nodes.
struct two_nodes {
  two_nodes() {
    auto args = backend_args("postgres");
    first.emplace(dir.path() / "n1", 0, with_peers(args));
    second.emplace(dir.path() / "n2", 0, with_peers(args));
  }
  static std::vector<std::string> with_peers(std::vector<std::string> args) {
    args.insert(args.end(),
                {"--node-url", "http://127.0.0.1:1", "--node-url", "http://127.0.0.1:2"});
    return args;
  }
  temp_dir dir;
  std::optional<server_process> first, second;
};

// Two nodes, and alice and bob in their 1:1 room (set up through the first).
struct two_nodes_and_a_room : two_nodes {
  client::node_url n1 = client::node_url::parse(first->url()).value();
  test_user alice = make_user(n1, "alice");
  test_user bob = make_user(n1, "bob");
  room_id room = open_direct(n1, alice, bob);
};

TEST(TwoNodesTest, AMemberOnOneNodeGetsByPushWhatWasSentThroughTheOther) {
  two_nodes_and_a_room cluster;
  auto [alice, bob, room] = std::tie(cluster.alice, cluster.bob, cluster.room);

  device alice_phone({cluster.first->url()}, alice.token, 1);
  device bob_phone({cluster.second->url()}, bob.token, 2);
  ASSERT_TRUE(alice_phone.wait_caught_up());
  ASSERT_TRUE(bob_phone.wait_caught_up());
  // Bob's device connected once and is caught up: from here on only pushes reach it (a hole
  // would make it sync, but nothing else does).
  constexpr int count = 20;
  for (int i = 0; i < count; ++i) alice_phone.send(room, "hello " + std::to_string(i));
  ASSERT_TRUE(bob_phone.wait_until([&] { return bob_phone.messages(room).size() == count; }));
  ASSERT_TRUE(alice_phone.wait_until([&] { return alice_phone.messages(room).size() == count; }));
  auto got = bob_phone.messages(room);
  auto sent = alice_phone.messages(room);
  ASSERT_EQ(sent.size(), static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    EXPECT_EQ(got[i].seq, sent[i].seq);
    EXPECT_EQ(got[i].body, "hello " + std::to_string(i));
  }
}

TEST(TwoNodesTest, ADeviceWhoseNodeDiesResendsToTheOtherAndNothingIsStoredTwice) {
  two_nodes_and_a_room cluster;
  auto [alice, bob, room] = std::tie(cluster.alice, cluster.bob, cluster.room);

  device alice_phone({cluster.first->url(), cluster.second->url()}, alice.token, 3);
  ASSERT_TRUE(alice_phone.wait_caught_up());
  constexpr int count = 200;
  for (int i = 0; i < count; ++i) alice_phone.send(room, "m" + std::to_string(i));
  // Kill the first node while sends are in flight (some acknowledged, some not).
  ASSERT_TRUE(alice_phone.wait_until([&] { return alice_phone.acks().size() >= 20; }));
  cluster.first->kill_hard();
  ASSERT_TRUE(alice_phone.wait_until([&] { return alice_phone.acks().size() == count; },
                                     std::chrono::seconds(120)));

  // Bob reads everything through the surviving node: each message once, gap-free, and at the
  // seq its sender's ack named.
  device bob_pc({cluster.second->url()}, bob.token, 4);
  ASSERT_TRUE(bob_pc.wait_caught_up());
  auto log = bob_pc.messages(room);
  ASSERT_EQ(log.size(), static_cast<std::size_t>(count));
  std::set<std::string> ids;
  for (std::size_t i = 0; i < log.size(); ++i) {
    EXPECT_TRUE(ids.insert(log[i].client_id).second) << "stored twice: " << log[i].client_id;
    if (i) {
      EXPECT_EQ(log[i].seq, log[i - 1].seq + 1);
    }
  }
  auto acks = alice_phone.acks();
  for (const auto& e : log) {
    auto it = acks.find(e.client_id);
    ASSERT_NE(it, acks.end());
    EXPECT_EQ(it->second.seq, e.seq);
  }
}

TEST(TwoNodesTest, NodesListTheClusterAndSayTheyAreReady) {
  two_nodes cluster;
  auto n2 = client::node_url::parse(cluster.second->url()).value();
  auto nodes = client::http_get(n2, "/api/nodes");
  ASSERT_TRUE(nodes.ok()) << nodes.err().text();
  auto list = nodes->as_object().at("nodes").as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].as_string(), "http://127.0.0.1:1");
  auto ready = client::http_get(n2, "/readyz");
  ASSERT_TRUE(ready.ok()) << ready.err().text();
  EXPECT_EQ(ready->as_object().at("status").as_string(), "ready");
}

// Started before its database answers: it serves, keeps trying, and says it is not ready.
TEST(TwoNodesTest, ANodeWhoseStoreIsUnreachableSaysItIsNotReady) {
  temp_dir dir;
  server_process node(dir.path() / "n", 0,
                      {"--postgres", "host=/nonexistent-haetae-dir port=5432 dbname=x"});
  auto url = client::node_url::parse(node.url()).value();
  EXPECT_TRUE(client::http_get(url, "/healthz").ok());
  EXPECT_FALSE(client::http_get(url, "/readyz").ok());
}

// While its commits do not return (a frozen or cut-off primary: a failover under way), a node
// says it cannot write but keeps its clients: the socket stays, history is read over it, new
// sockets are taken, and the message goes through once commits return (issue 8, item 4).
TEST(TwoNodesTest, ANodeWhoseCommitsDoNotReturnSaysSoKeepsServingReadsAndRecovers) {
  temp_dir dir;
  auto args = backend_args("postgres");
  args.insert(args.end(), {"--stall-after", "500"});
  server_process node(dir.path() / "n", 0, args);
  auto url = client::node_url::parse(node.url()).value();
  auto alice = make_user(url, "alice");
  auto bob = make_user(url, "bob");
  room_id room = open_direct(url, alice, bob);
  device alice_phone({node.url()}, alice.token, 5);
  ASSERT_TRUE(alice_phone.wait_caught_up());
  auto server = store::testing::pg_test_server::get();
  ASSERT_TRUE(server.ok());
  {
    store::testing::missing_standby standby(**server);
    ASSERT_TRUE(standby.ok());
    alice_phone.send(room, "through the stall");
    raw_response ready;
    for (int i = 0; i < 600 && ready.status != 503; ++i) {  // bounded: only catches a hang
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      ready = raw_http(node.port(), "GET", "/readyz", "");
    }
    EXPECT_EQ(ready.status, 503);
    EXPECT_NE(ready.body.find(R"("reads":true,"writes":false)"), std::string::npos) << ready.body;
    EXPECT_EQ(raw_http(node.port(), "GET", "/readyz/clients", "").status, 200);
    // Reads over the socket it has, and a new device is let in and catches up.
    auto page = alice_phone.call("history", {{"room_id", room.value}});
    EXPECT_TRUE(page.ok()) << page.err().text();
    device bob_pc({node.url()}, bob.token, 6);
    EXPECT_TRUE(bob_pc.wait_caught_up());
  }
  ASSERT_TRUE(alice_phone.wait_until([&] { return alice_phone.acks().size() == 1; }));
  ASSERT_TRUE(alice_phone.wait_until([&] { return alice_phone.messages(room).size() == 1; }));
  EXPECT_EQ(alice_phone.reconnects(), 0);
  EXPECT_TRUE(client::http_get(url, "/readyz").ok());
}

}  // namespace
}  // namespace haetae::testing
