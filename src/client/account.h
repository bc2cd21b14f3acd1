#pragma once
// Sign-up and log-in over HTTP (docs/protocol.md §4): how a device gets its bearer token.
#include <string>
#include <string_view>

#include "base/ids.h"
#include "base/result.h"
#include "client/http_client.h"
#include "store/types.h"

namespace haetae::client {

struct login_result {
  std::string token;
  device_id device;
  store::user_record user;  // without password hash
};

result<store::user_record> signup(const node_url& node, std::string_view name,
                                  std::string_view password, std::string_view display_name = {});
result<login_result> login(const node_url& node, std::string_view name, std::string_view password,
                           std::string_view device_name = {});

}  // namespace haetae::client
