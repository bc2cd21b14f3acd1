#pragma once
// A device's view of its rooms' logs (docs/protocol.md §1): per room the cursor, the highest seq
// held with no hole below it. Pushes are at-least-once and may skip, so events are deduplicated
// by (room, seq), an early event is buffered until the hole below it is filled by `sync`, and the
// application gets each event exactly once, in seq order.
//
// Pure state, no I/O: the session asks for a sync when told to. Not thread-safe.
#include <cstddef>
#include <map>
#include <unordered_map>
#include <vector>

#include "base/ids.h"
#include "store/types.h"

namespace haetae::client {

struct cursor_update {
  std::vector<store::room_event> released;  // to show now: ascending seq, each exactly once
  bool need_sync = false;                   // call sync(room, after = cursor(room))
};

class room_cursors {
 public:
  // Events buffered above a hole, per room; beyond this the newest are dropped (sync brings them).
  static constexpr std::size_t max_buffered = 10000;

  seq_no cursor(room_id room) const;
  // Start a room at `seq` (restored state, or "from now on"); never moves a cursor back.
  void set_cursor(room_id room, seq_no seq);
  bool known(room_id room) const { return rooms_.contains(room); }

  // A pushed event.
  cursor_update on_push(store::room_event event);

  // The answer to sync(room, after): every event after `after` the device may see, ascending,
  // up to the page end (`more`: the page was full). Seqs missing in it are events the device may
  // not see (before it joined), so the cursor steps over them.
  cursor_update on_sync_page(room_id room, seq_no after, std::vector<store::room_event> events,
                             bool more);

  // At most one sync per room at a time.
  bool sync_in_flight(room_id room) const;
  void set_sync_in_flight(room_id room, bool in_flight);

  // Rooms holding buffered events above a hole (to sync again when an earlier sync failed).
  std::vector<room_id> rooms_with_holes() const;
  std::size_t buffered(room_id room) const;

 private:
  struct state {
    seq_no cursor = 0;
    std::map<seq_no, store::room_event> early;  // above cursor + 1
    bool syncing = false;
  };
  // Moves the cursor over every buffered event that now follows it.
  static void drain(state& s, cursor_update& out);
  static bool has_hole(const state& s) {
    return !s.early.empty() && s.early.begin()->first > s.cursor + 1;
  }

  std::unordered_map<room_id, state> rooms_;
};

}  // namespace haetae::client
