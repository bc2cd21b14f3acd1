#include "client/account.h"

#include <boost/json.hpp>

#include "proto/decode.h"

namespace haetae::client {

namespace json = boost::json;

result<store::user_record> signup(const node_url& node, std::string_view name,
                                  std::string_view password, std::string_view display_name) {
  json::object params{{"name", name}, {"password", password}};
  if (!display_name.empty()) params["display_name"] = display_name;
  auto r = http_call(node, "signup", params, {});
  if (!r) return r.err();
  const json::value* user = r->if_contains("user");
  if (user == nullptr) return make_error(errc::internal, "signup result has no user");
  return proto::decode_user(*user);
}

result<login_result> login(const node_url& node, std::string_view name, std::string_view password,
                           std::string_view device_name) {
  json::object params{{"name", name}, {"password", password}};
  if (!device_name.empty()) params["device"] = device_name;
  auto r = http_call(node, "login", params, {});
  if (!r) return r.err();
  login_result out;
  const json::value* token = r->if_contains("token");
  const json::value* device = r->if_contains("device_id");
  const json::value* user = r->if_contains("user");
  if (token == nullptr || !token->is_string() || device == nullptr || !device->is_int64() ||
      user == nullptr) {
    return make_error(errc::internal, "malformed login result");
  }
  out.token = std::string(token->get_string());
  out.device = device_id(device->get_int64());
  auto u = proto::decode_user(*user);
  if (!u) return u.err();
  out.user = std::move(*u);
  return out;
}

}  // namespace haetae::client
