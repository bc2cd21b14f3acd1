#pragma once
// The one store interface (DESIGN §1): the SQLite backend now, PostgreSQL later, one contract
// test suite for both (store/tests/).
//
// Threading and durability:
// - Writes are asynchronous. The backend queues them and commits whatever is queued as one
//   transaction (group commit: no timer, no per-write fsync); the completion runs on a store
//   thread only after that commit is durable. A completion must not block: post to your own
//   executor. Each write succeeds or fails on its own (a failing write changes nothing and does
//   not fail the others in its batch).
// - Reads are synchronous, thread-safe and may block on I/O: call them from a pool thread, never
//   from the network event loop. They see only committed (durable) state.
// - Every write is idempotent under retry: sends by (sender, client id), rooms by pair or by
//   (creator, client id), invites, friends and read markers by their nature.
// - Authorization is checked inside the store, under the write's transaction: acting in a room
//   one is not a member of is errc::not_room_member and changes nothing.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "store/types.h"

namespace haetae::store {

template <class T>
using completion = std::function<void(result<T>)>;

struct sent {
  send_ack ack;
  room_change change;  // the new message event (empty on a duplicate) and who to push it to
};

struct store_stats {
  std::uint64_t commits = 0;  // transactions committed by the writer
  std::uint64_t writes = 0;   // writes committed in them
  std::uint64_t largest_batch = 0;
};

// Handlers for what other nodes on the same store commit (clusters).
struct other_nodes_watch {
  std::function<void(const room_change&)> on_change;
  std::function<void(const read_update&)> on_read;
  explicit operator bool() const { return on_change || on_read; }
};

// What the store can serve this node now (GET /readyz).
struct store_health {
  std::string not_ready;  // empty: reads and writes are served; else why not, for operators
  bool writes = true;     // writes can be committed now
  bool stalled = false;   // writes are refused: one has gone unanswered too long (a failover)
  bool reads = true;      // reads are served (from the primary, or this data center's server)
};

class store {
 public:
  virtual ~store() = default;

  // --- writes (group-committed; completion after the durable commit) ---
  // errc::name_taken if the name exists.
  virtual void create_user(std::string name, std::string display_name, std::string password_hash,
                           completion<user_record> done) = 0;
  // token_hash: a hash of the bearer token; the token itself is never stored.
  virtual void create_session(user_id user, std::string token_hash, std::string device_name,
                              completion<session_record> done) = 0;
  virtual void delete_session(std::string token_hash, completion<done> done) = 0;
  virtual void update_display_name(user_id user, std::string display_name,
                                   completion<user_record> done) = 0;
  // Adds (or un-blocks) `other` in user's friend list. errc::not_found, errc::invalid_field (self).
  virtual void add_friend(user_id user, user_id other, completion<friend_entry> done) = 0;
  // `other` can no longer open a direct room with, or send to a direct room shared with, user.
  virtual void block_user(user_id user, user_id other, completion<friend_entry> done) = 0;
  // The one direct room of the pair, created on first use. errc::blocked if other blocked user.
  virtual void open_direct_room(user_id user, user_id other, completion<room_change> done) = 0;
  virtual void create_group_room(group_request request, completion<room_change> done) = 0;
  // Appends a `joined` event per new member; members already in the room are skipped.
  // Direct rooms cannot be invited to (errc::invalid_field).
  virtual void invite(user_id actor, room_id room, std::vector<user_id> members,
                      completion<room_change> done) = 0;
  // Appends a `left` event; leaving a room one already left succeeds with no event.
  virtual void leave(user_id user, room_id room, completion<room_change> done) = 0;
  // Dedups by (sender, client id) after taking the room's counter, so a resend never consumes a
  // seq; a resend into another room still returns the original ack. Advances the sender's own
  // read marker to the new seq.
  virtual void send(send_request request, completion<sent> done) = 0;
  // Moves user's read marker up to min(seq, room's last seq); never backwards.
  virtual void mark_read(user_id user, room_id room, seq_no seq, completion<read_update> done) = 0;

  // --- reads (synchronous, committed state only) ---
  virtual result<user_record> user_by_name(std::string_view name) = 0;
  virtual result<user_record> user_by_id(user_id id) = 0;
  virtual result<session_record> session_by_token_hash(std::string_view token_hash) = 0;
  virtual result<std::vector<friend_entry>> friends(user_id user) = 0;
  // Rooms the user is in now, newest activity first.
  virtual result<std::vector<room_summary>> rooms(user_id user) = 0;
  virtual result<room_summary> room(user_id viewer, room_id room) = 0;
  // Up to `limit` events before `before_seq` (0: the latest), ascending; `more`: older exist.
  // Only events from the viewer's join on.
  virtual result<page> history(user_id viewer, room_id room, seq_no before_seq, int limit) = 0;
  // Up to `limit` events after `after_seq`, ascending; `more`: newer exist.
  virtual result<page> sync(user_id viewer, room_id room, seq_no after_seq, int limit) = 0;
  // Rooms (including ones the user left) changed after `since`, so a device that was away
  // fetches only those.
  virtual result<changes_page> changes(user_id user, change_no since, int limit) = 0;

  virtual store_stats stats() const = 0;

  // --- clusters (several nodes on one store); the single-node backend keeps the defaults ---
  // Thread-safe and cheap.
  virtual store_health health() const { return {}; }
  // What other nodes committed, for this node's pushes: events once visible (replicated), each
  // with the members who may see it, in seq order per room (events may be skipped after a lost
  // wake-up: clients fill holes by sync); and read markers that moved (every present member's
  // marker of the room, which clients take as "never backwards"). Called on a store thread.
  // Set before traffic; empty handlers stop the watching (and wait until no call is running).
  virtual void watch_other_nodes(other_nodes_watch watch) { (void)watch; }
};

}  // namespace haetae::store
