#include "test_accounts.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <stdexcept>

#include "client/account.h"
#include "client/http_client.h"

namespace haetae::testing {

namespace {
constexpr const char* password = "correct horse";
}

test_user make_user(const client::node_url& node, const std::string& name) {
  auto user = client::signup(node, name, password, name);
  if (!user) throw std::runtime_error("signup " + name + ": " + std::string(user.err().text()));
  auto session = client::login(node, name, password, "test");
  if (!session)
    throw std::runtime_error("login " + name + ": " + std::string(session.err().text()));
  return {name, user->id, session->token};
}

std::string login_device(const client::node_url& node, const test_user& user,
                         const std::string& device_name) {
  auto session = client::login(node, user.name, password, device_name);
  if (!session) throw std::runtime_error("login: " + std::string(session.err().text()));
  return session->token;
}

boost::json::object must_call(const client::node_url& node, const std::string& token,
                              const std::string& op, const boost::json::object& params) {
  auto reply = client::http_call(node, op, params, token);
  if (!reply) throw std::runtime_error(op + ": " + std::string(reply.err().text()));
  return std::move(reply).value();
}

room_id open_direct(const client::node_url& node, const test_user& from, const test_user& to) {
  auto reply = must_call(node, from.token, "rooms.direct", {{"name", to.name}});
  return room_id(reply.at("room").as_object().at("id").as_int64());
}

room_id create_group(const client::node_url& node, const test_user& creator,
                     const std::vector<test_user>& others, const std::string& title) {
  boost::json::array names;
  for (const auto& u : others) names.emplace_back(u.name);
  auto reply = must_call(node, creator.token, "rooms.create",
                         {{"client_id", "group-" + title}, {"title", title}, {"members", names}});
  return room_id(reply.at("room").as_object().at("id").as_int64());
}

}  // namespace haetae::testing
