#include "net/io_mailbox.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <memory>
#include <thread>
#include <vector>

namespace haetae::net {
namespace {

TEST(IoMailboxTest, TasksRunOnTheIoThreadInPostOrder) {
  boost::asio::io_context io;
  io_mailbox box(io);
  std::vector<int> seen;
  for (int i = 0; i < 100; ++i) box.post([&seen, i] { seen.push_back(i); });
  io.run();
  ASSERT_EQ(seen.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(seen[i], i);
}

TEST(IoMailboxTest, TasksPostedWhileDrainingRunInALaterDrain) {
  boost::asio::io_context io;
  io_mailbox box(io);
  std::vector<int> seen;
  box.post([&] {
    seen.push_back(1);
    box.post([&] { seen.push_back(3); });
  });
  box.post([&] { seen.push_back(2); });
  io.run();
  EXPECT_EQ(seen, (std::vector<int>{1, 2, 3}));
}

TEST(IoMailboxTest, ConcurrentPostersKeepEachOnesOrder) {
  boost::asio::io_context io;
  io_mailbox box(io);
  constexpr int threads = 4;
  constexpr int per_thread = 1000;
  std::vector<std::vector<int>> seen(threads);
  std::vector<std::thread> posters;
  for (int t = 0; t < threads; ++t) {
    posters.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) box.post([&seen, t, i] { seen[t].push_back(i); });
    });
  }
  for (auto& p : posters) p.join();
  io.run();
  for (int t = 0; t < threads; ++t) {
    ASSERT_EQ(seen[t].size(), static_cast<std::size_t>(per_thread));
    for (int i = 0; i < per_thread; ++i) EXPECT_EQ(seen[t][i], i);
  }
}

TEST(IoMailboxTest, UnrunTasksDieWithTheIoContextEvenAfterTheMailbox) {
  auto alive = std::make_shared<int>(0);
  std::weak_ptr<int> watch = alive;
  {
    auto io = std::make_unique<boost::asio::io_context>();
    {
      io_mailbox box(*io);
      box.post([keep = std::move(alive)] {});
    }
    EXPECT_FALSE(watch.expired());  // still queued on the io_context
    io.reset();
  }
  EXPECT_TRUE(watch.expired());
}

}  // namespace
}  // namespace haetae::net
