#include "auth/password_hasher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace haetae::auth {
namespace {

constexpr auto hang_timeout = std::chrono::seconds(60);

hasher_options fast_options(int threads = 2, std::size_t max_queued = 16) {
  return {threads, max_queued, hash_cost::fast};
}

result<std::string> hash_sync(password_hasher& h, std::string password) {
  std::promise<result<std::string>> p;
  auto f = p.get_future();
  h.hash(std::move(password), [&p](result<std::string> r) { p.set_value(std::move(r)); });
  if (f.wait_for(hang_timeout) != std::future_status::ready) {
    ADD_FAILURE() << "hash hung";
    return errc::internal;
  }
  return f.get();
}

status verify_sync(password_hasher& h, std::optional<std::string> stored, std::string password) {
  std::promise<status> p;
  auto f = p.get_future();
  h.verify(std::move(stored), std::move(password), [&p](status s) { p.set_value(std::move(s)); });
  if (f.wait_for(hang_timeout) != std::future_status::ready) {
    ADD_FAILURE() << "verify hung";
    return errc::internal;
  }
  return f.get();
}

TEST(PasswordHasherTest, HashIsArgon2idAndVerifiesOnlyTheRightPassword) {
  password_hasher h(fast_options());
  auto hashed = hash_sync(h, "correct horse");
  ASSERT_TRUE(hashed) << hashed.err().text();
  EXPECT_EQ(hashed->rfind("$argon2id$", 0), 0u) << *hashed;
  EXPECT_TRUE(verify_sync(h, *hashed, "correct horse"));
  EXPECT_EQ(verify_sync(h, *hashed, "wrong horse").code(), errc::invalid_credentials);
  EXPECT_EQ(verify_sync(h, *hashed, "").code(), errc::invalid_credentials);
}

TEST(PasswordHasherTest, InteractiveCostIsTheProductionDefaultAndVerifiesAcrossCosts) {
  password_hasher production({1, 4, hash_cost::interactive});
  auto hashed = hash_sync(production, "correct horse");
  ASSERT_TRUE(hashed) << hashed.err().text();
  EXPECT_NE(hashed->find("m=65536"), std::string::npos) << *hashed;  // 64 MiB
  EXPECT_TRUE(verify_sync(production, *hashed, "correct horse"));
  // The cost is part of the stored string: a hasher of either cost verifies the other's hashes.
  password_hasher fast(fast_options());
  EXPECT_TRUE(verify_sync(fast, *hashed, "correct horse"));
  auto fast_hashed = hash_sync(fast, "pw");
  ASSERT_TRUE(fast_hashed);
  EXPECT_TRUE(verify_sync(production, *fast_hashed, "pw"));
}

TEST(PasswordHasherTest, SamePasswordGetsDifferentSalts) {
  password_hasher h(fast_options());
  auto a = hash_sync(h, "password1");
  auto b = hash_sync(h, "password1");
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
}

TEST(PasswordHasherTest, UnknownUserIsRejectedAfterSpendingAHash) {
  password_hasher h(fast_options());
  EXPECT_EQ(verify_sync(h, std::nullopt, "anything").code(), errc::invalid_credentials);
  EXPECT_EQ(verify_sync(h, std::nullopt, "").code(), errc::invalid_credentials);
}

TEST(PasswordHasherTest, GarbageStoredHashIsRejectedNotCrashed) {
  password_hasher h(fast_options());
  EXPECT_EQ(verify_sync(h, std::string("not a hash"), "x").code(), errc::invalid_credentials);
  EXPECT_EQ(verify_sync(h, std::string(500, '$'), "x").code(), errc::invalid_credentials);
}

TEST(PasswordHasherTest, FullQueueRefusesAtOnceWithOverloaded) {
  // One thread, room for two waiting hashes. Block the thread with a verify whose callback waits,
  // fill the queue, and the next submission must be refused immediately.
  password_hasher h(fast_options(1, 2));
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  std::promise<void> started;
  std::atomic<int> finished{0};
  h.verify(std::nullopt, "x", [&](status) {
    started.set_value();
    std::unique_lock lock(mu);
    cv.wait_for(lock, hang_timeout, [&] { return release; });
    ++finished;
  });
  ASSERT_EQ(started.get_future().wait_for(hang_timeout), std::future_status::ready);
  for (int i = 0; i < 2; ++i) {
    h.hash("queued", [&](result<std::string> r) {
      EXPECT_TRUE(r);
      ++finished;
    });
  }
  EXPECT_EQ(h.queued(), 2u);
  bool refused_inline = false;
  h.hash("one too many", [&](result<std::string> r) {
    EXPECT_EQ(r.code(), errc::overloaded);
    refused_inline = true;
  });
  EXPECT_TRUE(refused_inline);
  status verify_refused = errc::internal;
  h.verify(std::nullopt, "x", [&](status s) { verify_refused = std::move(s); });
  EXPECT_EQ(verify_refused.code(), errc::overloaded);
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  // Once the queue drains, work is admitted again. (Bounded wait: only catches a hang.)
  auto deadline = std::chrono::steady_clock::now() + hang_timeout;
  while (finished.load() < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(finished.load(), 3);
  auto again = hash_sync(h, "after the burst");
  EXPECT_TRUE(again);
}

}  // namespace
}  // namespace haetae::auth
