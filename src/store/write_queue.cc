#include "store/write_queue.h"

#include <spdlog/spdlog.h>

namespace haetae::store::detail {

void log_throwing_completion(const std::exception& e) {
  spdlog::error("store: a write completion threw: {}", e.what());
}

}  // namespace haetae::store::detail
