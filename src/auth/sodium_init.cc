#include "auth/sodium_init.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <mutex>

namespace haetae::auth {

void ensure_sodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) {
      // Without a working CSPRNG no token or salt can be trusted.
      spdlog::critical("libsodium failed to initialise");
      std::abort();
    }
  });
}

}  // namespace haetae::auth
