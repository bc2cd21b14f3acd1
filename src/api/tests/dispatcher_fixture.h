#pragma once
// Shared set-up for the dispatcher tests: a store, a push sink that records every frame, a
// dispatcher with fast password hashing, and blocking helpers with generous hang timeouts.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "api/dispatcher.h"
#include "api/push_sink.h"
#include "api/tests/counting_store.h"
#include "api/tests/fake_store.h"
#include "store/sqlite/sqlite_store.h"

namespace haetae::api::testing {

inline constexpr auto hang_timeout = std::chrono::seconds(60);

class recording_sink final : public push_sink {
 public:
  struct frame {
    std::vector<user_id> users;
    boost::json::object body;
  };
  void push(const std::vector<user_id>& users, std::shared_ptr<const std::string> f) override {
    std::lock_guard lock(mu_);
    frames_.push_back({users, boost::json::parse(*f).as_object()});
  }
  std::vector<frame> frames() const {
    std::lock_guard lock(mu_);
    return frames_;
  }
  void clear() {
    std::lock_guard lock(mu_);
    frames_.clear();
  }

 private:
  mutable std::mutex mu_;
  std::vector<frame> frames_;
};

// Every dispatcher test runs against the real SQLite store (a fresh file in a temp dir) and against
// the in-memory fake, both behind a counting decorator.
enum class backend { sqlite, fake };

inline void PrintTo(backend b, std::ostream* os) {
  *os << (b == backend::sqlite ? "sqlite" : "fake");
}

inline std::string backend_name(const ::testing::TestParamInfo<backend>& info) {
  return info.param == backend::sqlite ? "Sqlite" : "Fake";
}

class DispatcherTest : public ::testing::TestWithParam<backend> {
 protected:
  DispatcherTest() {
    if (GetParam() == backend::sqlite) {
      std::string pattern =
          (std::filesystem::temp_directory_path() / "haetae-api-test-XXXXXX").string();
      char* made = ::mkdtemp(pattern.data());
      if (made == nullptr) throw std::runtime_error("mkdtemp failed");
      dir_ = made;
      store::sqlite_options options;
      options.dir = dir_;
      auto opened = store::open_sqlite_store(options);
      if (!opened) throw std::runtime_error(std::string(opened.err().text()));
      store_ = std::make_unique<counting_store>(std::move(*opened));
    } else {
      store_ = std::make_unique<counting_store>(std::make_unique<fake_store>());
    }
    restart(dispatcher_options{});
  }
  ~DispatcherTest() override {
    dispatcher_.reset();  // before the store it refers to
    store_.reset();
    if (!dir_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(dir_, ignored);
    }
  }

  void restart(dispatcher_options options) {
    dispatcher_.reset();
    options.fast_password_hashing = true;
    dispatcher_ = std::make_unique<dispatcher>(*store_, sink_, options);
  }

  result<boost::json::object> call(const std::optional<caller>& who, std::string_view op,
                                   std::string_view params_json = "{}") {
    std::promise<result<boost::json::object>> p;
    auto f = p.get_future();
    dispatcher_->call(who, op, boost::json::parse(params_json).as_object(),
                      [&p](result<boost::json::object> r) { p.set_value(std::move(r)); });
    if (f.wait_for(hang_timeout) != std::future_status::ready) {
      ADD_FAILURE() << op << " hung";
      return errc::internal;
    }
    return f.get();
  }

  // The call must succeed; returns its result object.
  boost::json::object ok(const std::optional<caller>& who, std::string_view op,
                         std::string_view params_json = "{}") {
    auto r = call(who, op, params_json);
    EXPECT_TRUE(r) << op << " " << params_json << ": " << errc_name(r.code()) << " "
                   << (r ? "" : r.err().text());
    return r ? std::move(*r) : boost::json::object();
  }

  // The call must fail with `code` without reaching the store.
  void rejected_untouched(const std::optional<caller>& who, std::string_view op,
                          std::string_view params_json, errc code) {
    auto before = store_->calls();
    auto r = call(who, op, params_json);
    EXPECT_EQ(r.code(), code) << op << " " << params_json << ": "
                              << (r ? "succeeded" : std::string(r.err().text()));
    EXPECT_EQ(store_->calls(), before) << op << " " << params_json << " reached the store";
  }

  result<caller> authenticate(std::string_view token) {
    std::promise<result<caller>> p;
    auto f = p.get_future();
    dispatcher_->authenticate(token, [&p](result<caller> r) { p.set_value(std::move(r)); });
    if (f.wait_for(hang_timeout) != std::future_status::ready) {
      ADD_FAILURE() << "authenticate hung";
      return errc::internal;
    }
    return f.get();
  }

  // Signs up `name`, logs in and returns the authenticated caller.
  caller user(std::string_view name, std::string_view device = "phone") {
    std::string n(name);
    (void)call(std::nullopt, "signup", R"({"name":")" + n + R"(","password":"password1"})");
    auto login = ok(std::nullopt, "login",
                    R"({"name":")" + n + R"(","password":"password1","device":")" +
                        std::string(device) + R"("})");
    auto who = authenticate(std::string(login["token"].as_string()));
    EXPECT_TRUE(who);
    return who ? *who : caller{};
  }

  std::string dir_;
  std::unique_ptr<counting_store> store_;
  recording_sink sink_;
  std::unique_ptr<dispatcher> dispatcher_;
};

#define HAETAE_ALL_BACKENDS(suite)                                                    \
  INSTANTIATE_TEST_SUITE_P(Backends, suite,                                           \
                           ::testing::Values(::haetae::api::testing::backend::sqlite, \
                                             ::haetae::api::testing::backend::fake),  \
                           ::haetae::api::testing::backend_name)

inline std::string quoted(std::string_view s) {
  return boost::json::serialize(boost::json::value(boost::json::string(s)));
}

}  // namespace haetae::api::testing
