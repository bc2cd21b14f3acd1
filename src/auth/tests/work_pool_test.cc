#include "auth/work_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

namespace haetae::auth {

TEST(WorkPoolTest, RunsEveryAdmittedTaskBeforeDestruction) {
  std::atomic<int> ran{0};
  {
    work_pool pool("test", 2, 1000);
    for (int i = 0; i < 500; ++i) ASSERT_TRUE(pool.submit([&] { ++ran; }));
  }
  EXPECT_EQ(ran.load(), 500);
}

TEST(WorkPoolTest, IgnoringTheBoundAdmitsFollowUpWork) {
  std::atomic<int> ran{0};
  {
    work_pool pool("test", 1, 0);  // a zero bound refuses all ordinary work
    EXPECT_EQ(pool.submit([&] { ++ran; }).code(), errc::overloaded);
    EXPECT_TRUE(pool.submit([&] { ++ran; }, queue_bound::ignore));
  }
  EXPECT_EQ(ran.load(), 1);
}

TEST(WorkPoolTest, ThrowingTaskDoesNotKillThePool) {
  std::atomic<int> ran{0};
  {
    work_pool pool("test", 1, 10);
    ASSERT_TRUE(pool.submit([] { throw std::runtime_error("boom"); }));
    ASSERT_TRUE(pool.submit([&] { ++ran; }));
  }
  EXPECT_EQ(ran.load(), 1);
}

}  // namespace haetae::auth
