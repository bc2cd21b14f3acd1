#include "chat_fixture.h"

#include <stdexcept>

#include "store/tests/pg_test_server.h"

namespace haetae::testing {

std::vector<std::string> backend_args(const std::string& backend) {
  if (backend == "sqlite") return {};
  if (backend != "postgres") throw std::invalid_argument("unknown backend " + backend);
  auto server = store::testing::pg_test_server::get();
  if (!server) throw std::runtime_error(std::string(server.err().text()));
  auto database = (*server)->create_database();
  if (!database) throw std::runtime_error(std::string(database.err().text()));
  // A lone test server: no synchronous standby to require.
  return {"--postgres", (*server)->conninfo(*database), "--postgres-without-standby"};
}

}  // namespace haetae::testing
