#pragma once
// Appends events to one room's log inside a write transaction, numbering them from the room's
// counter; finish() stores the counter and marks the room changed (room_tx::finish_room).
#include <string>
#include <utility>
#include <vector>

#include "store/room_rows.h"
#include "store/room_tx.h"
#include "store/types.h"

namespace haetae::store {

class room_appender {
 public:
  // `room` is the caller's row of a room this transaction holds; it must outlive the appender.
  room_appender(room_tx& tx, room_row& room) : tx_(tx), room_(room), first_(room.last_seq + 1) {}

  // The new event, valid until the next append or take().
  room_event& append(event_kind kind, user_id sender, user_id subject, std::string client_id,
                     std::string body);
  // Also when nothing was appended: mark_read, so other devices see the new marker.
  void finish() { tx_.finish_room(room_, first_); }

  std::vector<room_event> take() { return std::move(events_); }

 private:
  room_tx& tx_;
  room_row& room_;
  seq_no first_;
  std::vector<room_event> events_;
};

}  // namespace haetae::store
