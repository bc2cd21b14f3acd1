#pragma once
// A node's base URL ("http://127.0.0.1:8080"), split for Asio. Only plain http/ws for now.
#include <string>
#include <string_view>

#include "base/result.h"

namespace haetae::client {

struct node_url {
  std::string host;
  std::string port;
  std::string text;  // as given, for messages

  static result<node_url> parse(std::string_view url);
};

}  // namespace haetae::client
