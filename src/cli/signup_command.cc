// `haetae signup NAME`: create an account, then log in as it (so the next command just works).
#include <boost/json.hpp>
#include <cstdio>

#include "cli/commands.h"
#include "cli/remote.h"
#include "client/account.h"

namespace haetae::cli {

int signup_main(int argc, char** argv) {
  auto a = args::parse(argc, argv, 2);
  if (!a) return usage_error("signup", a.err().text());
  if (a->positional().size() != 1) return usage_error("signup", "expected one NAME");
  if (auto bad = a->unknown({"password", "display-name", "server", "session", "device"});
      !bad.empty()) {
    return usage_error("signup", "unknown option --" + bad[0]);
  }
  const std::string& name = a->positional()[0];
  auto password = read_password(*a);
  if (!password) return usage_error("signup", password.err().text());
  auto node = client::node_url::parse(server_url(*a));
  if (!node) return usage_error("signup", node.err().text());
  auto user = client::signup(*node, name, *password, a->get("display-name").value_or(""));
  if (!user) return report_error(user.err());
  auto in = client::login(*node, name, *password, a->get("device").value_or("cli"));
  if (!in) return report_error(in.err());
  auto saved = save_session(session_path(*a),
                            {node->text, in->token, in->user.name, in->user.id, in->device});
  if (!saved) return report_error(saved.err());
  std::printf("signed up and logged in as %s (user %lld)\n", user->name.c_str(),
              static_cast<long long>(user->id.value));
  return 0;
}

}  // namespace haetae::cli
