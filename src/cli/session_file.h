#pragma once
// Where the CLI keeps its login between commands: --session FILE, else $HAETAE_SESSION, else
// ~/.config/haetae/session. A small JSON file, mode 0600 (it holds a bearer token).
#include <string>

#include "base/ids.h"
#include "base/result.h"
#include "cli/args.h"

namespace haetae::cli {

struct saved_session {
  std::string server;  // base URL
  std::string token;
  std::string name;
  user_id user;
  device_id device;
};

std::string session_path(const args& a);
result<saved_session> load_session(const std::string& path);
status save_session(const std::string& path, const saved_session& s);
void remove_session(const std::string& path);

// The server for signup/login: --server, else $HAETAE_SERVER, else http://127.0.0.1:8080.
std::string server_url(const args& a);

}  // namespace haetae::cli
