#pragma once
// Where most integration tests start: a fresh server, and alice and bob in their 1:1 room.
#include "client/node_url.h"
#include "server_process.h"
#include "test_accounts.h"

namespace haetae::testing {

struct two_users_in_a_room {
  temp_dir dir;
  server_process server{dir.path() / "data"};
  client::node_url node = client::node_url::parse(server.url()).value();
  test_user alice = make_user(node, "alice");
  test_user bob = make_user(node, "bob");
  room_id room = open_direct(node, alice, bob);
};

}  // namespace haetae::testing
