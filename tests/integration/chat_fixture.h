#pragma once
// Where most integration tests start: a fresh server, and alice and bob in their 1:1 room.
#include <string>
#include <vector>

#include "client/node_url.h"
#include "server_process.h"
#include "test_accounts.h"

namespace haetae::testing {

// The `haetae serve` flags that put a fresh node on `backend`: "sqlite" (its data dir) or
// "postgres" (a new database on this test process's own PostgreSQL server).
std::vector<std::string> backend_args(const std::string& backend);

struct two_users_in_a_room {
  explicit two_users_in_a_room(std::vector<std::string> server_args = {})
      : server(dir.path() / "data", 0, std::move(server_args)) {}

  temp_dir dir;
  server_process server;
  client::node_url node = client::node_url::parse(server.url()).value();
  test_user alice = make_user(node, "alice");
  test_user bob = make_user(node, "bob");
  room_id room = open_direct(node, alice, bob);
};

}  // namespace haetae::testing
