// The bounded queue in front of both writers (write_queue.h): refusals, draining on stop, and
// the idle wake-up the PostgreSQL writer relies on.
#include "store/write_queue.h"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <thread>

namespace haetae::store {
namespace {

using namespace std::chrono_literals;

// What happened to one write.
struct outcome {
  bool completed = false;
  std::optional<errc> failed;
};

class recording_op {
 public:
  explicit recording_op(outcome& o) : o_(o) {}
  void complete() { o_.completed = true; }
  void fail(error e) { o_.failed = e.code; }

 private:
  outcome& o_;
};

TEST(WriteQueueTest, AFullQueueRefusesAtOnceWithOverloaded) {
  write_queue<recording_op> q(2);
  outcome a, b, c;
  q.submit(std::make_unique<recording_op>(a));
  q.submit(std::make_unique<recording_op>(b));
  q.submit(std::make_unique<recording_op>(c));
  EXPECT_FALSE(a.failed);
  EXPECT_FALSE(b.failed);
  EXPECT_EQ(c.failed, errc::overloaded);
}

TEST(WriteQueueTest, ABatchIsEverythingQueuedAndCompletesInOrderWithStats) {
  write_queue<recording_op> q(10);
  outcome a, b;
  q.submit(std::make_unique<recording_op>(a));
  q.submit(std::make_unique<recording_op>(b));
  write_queue<recording_op>::batch batch;
  ASSERT_TRUE(q.take(batch));
  EXPECT_EQ(batch.size(), 2u);
  q.complete_committed(batch);
  EXPECT_TRUE(a.completed);
  EXPECT_TRUE(b.completed);
  EXPECT_EQ(q.stats().commits, 1u);
  EXPECT_EQ(q.stats().writes, 2u);
  EXPECT_EQ(q.stats().largest_batch, 2u);
}

TEST(WriteQueueTest, ABatchTakesAtMostMaxBatchOldestFirst) {
  write_queue<recording_op> q(10, 2);
  outcome a, b, c;
  q.submit(std::make_unique<recording_op>(a));
  q.submit(std::make_unique<recording_op>(b));
  q.submit(std::make_unique<recording_op>(c));
  write_queue<recording_op>::batch first, second;
  ASSERT_TRUE(q.take(first));
  ASSERT_EQ(first.size(), 2u);
  q.complete_committed(first);
  EXPECT_TRUE(a.completed);
  EXPECT_TRUE(b.completed);
  EXPECT_FALSE(c.completed);
  ASSERT_TRUE(q.take(second));
  ASSERT_EQ(second.size(), 1u);
  q.complete_committed(second);
  EXPECT_TRUE(c.completed);
  EXPECT_EQ(q.stats().largest_batch, 2u);
}

// A writer stuck on a silent server: what waits behind its batch is answered without it.
TEST(WriteQueueTest, FailWaitingFailsOnlyWhatWasNotHandedOutAndTheQueueGoesOn) {
  write_queue<recording_op> q(10);
  outcome taken, waiting1, waiting2, later;
  q.submit(std::make_unique<recording_op>(taken));
  write_queue<recording_op>::batch batch;
  ASSERT_TRUE(q.take(batch));
  q.submit(std::make_unique<recording_op>(waiting1));
  q.submit(std::make_unique<recording_op>(waiting2));
  EXPECT_EQ(q.fail_waiting(make_error(errc::store_unavailable, "stalled")), 2u);
  EXPECT_EQ(waiting1.failed, errc::store_unavailable);
  EXPECT_EQ(waiting2.failed, errc::store_unavailable);
  EXPECT_FALSE(taken.failed);
  EXPECT_FALSE(taken.completed);
  EXPECT_EQ(q.fail_waiting(make_error(errc::store_unavailable, "stalled")), 0u);
  q.submit(std::make_unique<recording_op>(later));
  write_queue<recording_op>::batch next;
  ASSERT_TRUE(q.take(next, 0ms));
  EXPECT_EQ(next.size(), 1u);
  q.complete_committed(batch);
  q.complete_committed(next);
  EXPECT_TRUE(taken.completed);
  EXPECT_TRUE(later.completed);
}

TEST(WriteQueueTest, AfterStopNewWritesAreRefusedAndQueuedOnesAreStillHandedOut) {
  write_queue<recording_op> q(10);
  outcome queued, late;
  q.submit(std::make_unique<recording_op>(queued));
  q.stop();
  q.submit(std::make_unique<recording_op>(late));
  EXPECT_EQ(late.failed, errc::store_unavailable);
  write_queue<recording_op>::batch batch;
  ASSERT_TRUE(q.take(batch));
  ASSERT_EQ(batch.size(), 1u);
  write_queue<recording_op>::fail_all(batch, "the batch was lost");
  EXPECT_EQ(queued.failed, errc::store_unavailable);
  batch.clear();
  EXPECT_FALSE(q.take(batch));  // stopped and drained: the writer is done
}

TEST(WriteQueueTest, AnIdleTakeReturnsAnEmptyBatchAndAStopWakesAWaitingWriter) {
  write_queue<recording_op> q(10);
  write_queue<recording_op>::batch batch;
  EXPECT_TRUE(q.take(batch, 10ms));
  EXPECT_TRUE(batch.empty());
  std::thread stopper([&] { q.stop(); });
  EXPECT_FALSE(q.take(batch));  // would wait for ever without the stop's wake-up
  stopper.join();
}

}  // namespace
}  // namespace haetae::store
