#include "client/room_cursors.h"

#include <gtest/gtest.h>

namespace haetae::client {
namespace {

store::room_event ev(std::int64_t room, seq_no seq) {
  store::room_event e;
  e.room = room_id(room);
  e.seq = seq;
  e.body = "m" + std::to_string(seq);
  return e;
}

std::vector<seq_no> seqs(const cursor_update& u) {
  std::vector<seq_no> out;
  for (const auto& e : u.released) out.push_back(e.seq);
  return out;
}

TEST(RoomCursorsTest, InOrderPushesAreReleasedAtOnce) {
  room_cursors c;
  EXPECT_EQ(seqs(c.on_push(ev(1, 1))), (std::vector<seq_no>{1}));
  EXPECT_EQ(seqs(c.on_push(ev(1, 2))), (std::vector<seq_no>{2}));
  EXPECT_EQ(c.cursor(room_id(1)), 2);
}

TEST(RoomCursorsTest, DuplicatePushIsDropped) {
  room_cursors c;
  (void)c.on_push(ev(1, 1));
  auto again = c.on_push(ev(1, 1));
  EXPECT_TRUE(again.released.empty());
  EXPECT_FALSE(again.need_sync);
}

TEST(RoomCursorsTest, GapBuffersAndAsksForSync) {
  room_cursors c;
  (void)c.on_push(ev(1, 1));
  auto early = c.on_push(ev(1, 3));
  EXPECT_TRUE(early.released.empty()) << "never show a hole";
  EXPECT_TRUE(early.need_sync);
  EXPECT_EQ(c.cursor(room_id(1)), 1);
  c.set_sync_in_flight(room_id(1), true);
  auto dup = c.on_push(ev(1, 3));
  EXPECT_FALSE(dup.need_sync) << "one sync at a time";
  EXPECT_EQ(c.buffered(room_id(1)), 1u);

  std::vector<store::room_event> page{ev(1, 2), ev(1, 3)};
  c.set_sync_in_flight(room_id(1), false);
  auto filled = c.on_sync_page(room_id(1), 1, page, false);
  EXPECT_EQ(seqs(filled), (std::vector<seq_no>{2, 3})) << "3 released once, after 2";
  EXPECT_FALSE(filled.need_sync);
  EXPECT_EQ(c.cursor(room_id(1)), 3);
}

TEST(RoomCursorsTest, PushFillingTheHoleReleasesBufferedEvents) {
  room_cursors c;
  (void)c.on_push(ev(1, 1));
  (void)c.on_push(ev(1, 4));
  (void)c.on_push(ev(1, 3));
  EXPECT_EQ(seqs(c.on_push(ev(1, 2))), (std::vector<seq_no>{2, 3, 4}));
  EXPECT_TRUE(c.rooms_with_holes().empty());
}

TEST(RoomCursorsTest, SyncPageWithMoreAsksForTheNextPage) {
  room_cursors c;
  auto u = c.on_sync_page(room_id(1), 0, {ev(1, 1), ev(1, 2)}, true);
  EXPECT_EQ(seqs(u), (std::vector<seq_no>{1, 2}));
  EXPECT_TRUE(u.need_sync);
}

TEST(RoomCursorsTest, SyncStepsOverEventsBeforeJoin) {
  room_cursors c;
  EXPECT_TRUE(c.on_push(ev(1, 7)).need_sync) << "a new room, first seen mid-log";
  auto u = c.on_sync_page(room_id(1), 0, {ev(1, 5), ev(1, 6), ev(1, 7)}, false);
  EXPECT_EQ(seqs(u), (std::vector<seq_no>{5, 6, 7}));
  EXPECT_EQ(c.cursor(room_id(1)), 7);
}

TEST(RoomCursorsTest, SyncOverlappingPushesReleasesEachOnce) {
  room_cursors c;
  (void)c.on_push(ev(1, 1));
  (void)c.on_push(ev(1, 2));
  auto u = c.on_sync_page(room_id(1), 0, {ev(1, 1), ev(1, 2), ev(1, 3)}, false);
  EXPECT_EQ(seqs(u), (std::vector<seq_no>{3}));
}

TEST(RoomCursorsTest, EmptySyncDoesNotSpinOnAHole) {
  room_cursors c;
  (void)c.on_push(ev(1, 1));
  (void)c.on_push(ev(1, 5));
  auto u = c.on_sync_page(room_id(1), 1, {}, false);
  EXPECT_FALSE(u.need_sync);
  EXPECT_EQ(c.rooms_with_holes(), (std::vector<room_id>{room_id(1)}));
}

TEST(RoomCursorsTest, RoomsAreIndependent) {
  room_cursors c;
  (void)c.on_push(ev(1, 1));
  EXPECT_EQ(seqs(c.on_push(ev(2, 1))), (std::vector<seq_no>{1}));
  EXPECT_EQ(c.cursor(room_id(1)), 1);
  EXPECT_EQ(c.cursor(room_id(2)), 1);
}

TEST(RoomCursorsTest, SetCursorSkipsHistoryAndNeverMovesBack) {
  room_cursors c;
  c.set_cursor(room_id(1), 10);
  EXPECT_TRUE(c.on_push(ev(1, 9)).released.empty());
  EXPECT_EQ(seqs(c.on_push(ev(1, 11))), (std::vector<seq_no>{11}));
  c.set_cursor(room_id(1), 3);
  EXPECT_EQ(c.cursor(room_id(1)), 11);
}

}  // namespace
}  // namespace haetae::client
