#pragma once
// Helpers shared by the store tests: unique temp dirs and waiting for write completions.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <string>

#include "store/store.h"

namespace haetae::store::testing {

// Generous: only catches hangs, never times anything.
inline constexpr auto hang_timeout = std::chrono::seconds(120);

// A fresh directory under the test temp dir, removed on destruction.
class temp_dir {
 public:
  temp_dir() {
    std::string pattern =
        (std::filesystem::path(::testing::TempDir()) / "haetae-store-XXXXXX").string();
    char* p = mkdtemp(pattern.data());
    if (!p) throw std::runtime_error("mkdtemp failed");
    path_ = p;
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Runs start(completion) and waits for the completion's result.
template <class T, class Start>
result<T> wait_for(Start&& start) {
  auto p = std::make_shared<std::promise<result<T>>>();
  auto f = p->get_future();
  start([p](result<T> r) { p->set_value(std::move(r)); });
  if (f.wait_for(hang_timeout) != std::future_status::ready) {
    ADD_FAILURE() << "a store write did not complete";
    return make_error(errc::internal, "hang");
  }
  return f.get();
}

}  // namespace haetae::store::testing
