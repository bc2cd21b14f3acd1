// `haetae login NAME`: get a token and keep it in the session file.
#include <cstdio>

#include "cli/commands.h"
#include "cli/remote.h"
#include "client/account.h"

namespace haetae::cli {

int login_main(int argc, char** argv) {
  auto a = args::parse(argc, argv, 2);
  if (!a) return usage_error("login", a.err().text());
  if (a->positional().size() != 1) return usage_error("login", "expected one NAME");
  if (auto bad = a->unknown({"password", "server", "session", "device"}); !bad.empty()) {
    return usage_error("login", "unknown option --" + bad[0]);
  }
  auto password = read_password(*a);
  if (!password) return usage_error("login", password.err().text());
  auto node = client::node_url::parse(server_url(*a));
  if (!node) return usage_error("login", node.err().text());
  auto in = client::login(*node, a->positional()[0], *password, a->get("device").value_or("cli"));
  if (!in) return report_error(in.err());
  auto saved = save_session(session_path(*a),
                            {node->text, in->token, in->user.name, in->user.id, in->device});
  if (!saved) return report_error(saved.err());
  std::printf("logged in as %s (user %lld, device %lld)\n", in->user.name.c_str(),
              static_cast<long long>(in->user.id.value), static_cast<long long>(in->device.value));
  return 0;
}

}  // namespace haetae::cli
