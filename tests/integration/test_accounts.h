#pragma once
// Sign-up, log-in and room set-up over HTTP for integration tests; each step must succeed.
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "base/ids.h"
#include "client/node_url.h"

namespace haetae::testing {

struct test_user {
  std::string name;
  user_id id;
  std::string token;  // of the first device
};

// Signs `name` up (password "correct horse") and logs one device in.
test_user make_user(const client::node_url& node, const std::string& name);
// Logs another device of `user` in; returns its token.
std::string login_device(const client::node_url& node, const test_user& user,
                         const std::string& device_name);
// An HTTP call that must succeed.
boost::json::object must_call(const client::node_url& node, const std::string& token,
                              const std::string& op, const boost::json::object& params);
room_id open_direct(const client::node_url& node, const test_user& from, const test_user& to);
room_id create_group(const client::node_url& node, const test_user& creator,
                     const std::vector<test_user>& others, const std::string& title);

}  // namespace haetae::testing
