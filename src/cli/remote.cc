#include "cli/remote.h"

#include <charconv>
#include <cstdio>

#include "client/http_client.h"
#include "client/node_url.h"

namespace haetae::cli {

std::string_view usage_of(std::string_view command);  // help_command.cc

result<saved_session> current_session(const args& a) {
  auto s = load_session(session_path(a));
  if (!s) return s;
  if (auto server = a.get("server")) s->server = *server;
  return s;
}

result<boost::json::object> call_as_session(const args& a, std::string_view op,
                                            const boost::json::object& params) {
  auto s = current_session(a);
  if (!s) return s.err();
  auto node = client::node_url::parse(s->server);
  if (!node) return node.err();
  return client::http_call(*node, op, params, s->token);
}

int report_error(const error& e) {
  std::fprintf(stderr, "haetae: %.*s (%.*s)\n", static_cast<int>(e.text().size()), e.text().data(),
               static_cast<int>(errc_name(e.code).size()), errc_name(e.code).data());
  return 1;
}

int usage_error(std::string_view command, std::string_view why) {
  std::string_view usage = usage_of(command);
  std::fprintf(stderr, "haetae %.*s: %.*s\nusage: %.*s\n", static_cast<int>(command.size()),
               command.data(), static_cast<int>(why.size()), why.data(),
               static_cast<int>(usage.size()), usage.data());
  return 2;
}

result<room_id> parse_room_id(std::string_view text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v <= 0) {
    return make_error(errc::invalid_field, "'" + std::string(text) + "' is not a room id");
  }
  return room_id(v);
}

}  // namespace haetae::cli

#include <cstdlib>
#include <iostream>

namespace haetae::cli {
result<std::string> read_password(const args& a) {
  if (auto p = a.get("password")) return *p;
  if (const char* env = std::getenv("HAETAE_PASSWORD"); env != nullptr && *env != '\0') {
    return std::string(env);
  }
  std::string line;
  if (std::getline(std::cin, line) && !line.empty()) return line;
  return make_error(errc::invalid_field, "no password: use --password, $HAETAE_PASSWORD or stdin");
}
}  // namespace haetae::cli
