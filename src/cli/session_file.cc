#include "cli/session_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace haetae::cli {

namespace json = boost::json;

std::string session_path(const args& a) {
  if (auto s = a.get("session")) return *s;
  if (const char* env = std::getenv("HAETAE_SESSION"); env != nullptr && *env != '\0') return env;
  const char* home = std::getenv("HOME");
  return std::string(home != nullptr ? home : ".") + "/.config/haetae/session";
}

std::string server_url(const args& a) {
  if (auto s = a.get("server")) return *s;
  if (const char* env = std::getenv("HAETAE_SERVER"); env != nullptr && *env != '\0') return env;
  return "http://127.0.0.1:8080";
}

result<saved_session> load_session(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return make_error(errc::unauthorized,
                      "not logged in (no session in " + path + "); run `haetae login NAME`");
  }
  std::stringstream text;
  text << in.rdbuf();
  boost::system::error_code ec;
  json::value v = json::parse(text.str(), ec);
  saved_session s;
  try {
    if (ec) throw std::runtime_error("not JSON");
    const json::object& o = v.as_object();
    s.server = std::string(o.at("server").as_string());
    s.token = std::string(o.at("token").as_string());
    s.name = std::string(o.at("name").as_string());
    s.user = user_id(o.at("user_id").to_number<std::int64_t>());
    s.device = device_id(o.at("device_id").to_number<std::int64_t>());
  } catch (const std::exception&) {
    return make_error(errc::invalid_field,
                      "the session file " + path + " is damaged; log in again");
  }
  return s;
}

status save_session(const std::string& path, const saved_session& s) {
  std::error_code ec;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  std::string text = json::serialize(json::object{{"server", s.server},
                                                  {"token", s.token},
                                                  {"name", s.name},
                                                  {"user_id", s.user.value},
                                                  {"device_id", s.device.value}}) +
                     "\n";
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return make_error(errc::internal, "cannot write " + tmp);
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    return make_error(errc::internal, "cannot write " + path);
  }
  return ok_status();
}

void remove_session(const std::string& path) { ::unlink(path.c_str()); }

}  // namespace haetae::cli
