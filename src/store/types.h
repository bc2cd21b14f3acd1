#pragma once
// Plain records that cross the store interface. No SQL, no JSON: the api layer turns these into
// wire objects (docs/protocol.md), the backends into rows (docs/store-schema.md).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/ids.h"

namespace haetae::store {

struct user_record {
  user_id id;
  std::string name;           // unique login name, [a-z0-9_.-]
  std::string display_name;   // shown to others
  std::string password_hash;  // libsodium crypto_pwhash_str (argon2id) string
};

struct session_record {
  user_id user;
  device_id device;
  std::string device_name;
};

enum class friend_state { friend_, blocked };

struct friend_entry {
  user_id id;
  std::string name;
  std::string display_name;
  friend_state state = friend_state::friend_;
};

enum class room_kind { direct, group };

// Everything a room's log holds. Membership changes are numbered like messages, so every member
// sees them in the same order and visibility and unread counts follow from the log.
enum class event_kind { message, created, joined, left };

struct room_event {
  room_id room;
  seq_no seq = 0;
  event_kind kind = event_kind::message;
  user_id sender;         // author of a message; the actor of a membership change
  user_id subject;        // joined/left: the member concerned; message: 0
  std::string client_id;  // the sender's id for the change (messages: the client message id)
  std::string body;       // message text; created: the room title
  std::int64_t time_ms = 0;
  int unread = 0;  // messages: members (sender excluded) whose read marker is below seq
};

struct member_entry {
  user_id id;
  std::string name;
  std::string display_name;
  seq_no joined_seq = 0;  // the first event this member may see
  seq_no read_seq = 0;    // read marker: everything up to here is read
};

struct room_summary {
  room_id id;
  room_kind kind = room_kind::group;
  std::string title;                       // group title; direct: empty
  std::vector<member_entry> members;       // current members
  seq_no last_seq = 0;                     // the room's latest event
  std::optional<room_event> last_message;  // latest message event the viewer may see
  int unread = 0;                          // viewer's unread messages (own messages excluded)
  bool left = false;                       // the viewer has left: remove it from the list
  change_no change = 0;                    // the store change that last touched the room
};

// --- requests (already validated for shape and size at the api boundary) ---

struct send_request {
  user_id sender;
  room_id room;
  std::string client_id;
  std::string body;
};

// A send's acknowledgement; also what a resend with the same client id returns.
struct send_ack {
  room_id room;
  seq_no seq = 0;
  std::int64_t time_ms = 0;
  bool duplicate = false;  // true when this client id was stored before
};

struct group_request {
  user_id creator;
  std::string client_id;  // (creator, client_id) makes creation idempotent
  std::string title;
  std::vector<user_id> members;  // besides the creator
};

// The result of a write that appended events: the node pushes `events` to `recipients`.
struct room_change {
  room_id room;
  std::vector<room_event> events;   // appended by this write, in seq order (empty on a retry)
  std::vector<user_id> recipients;  // every member before and after the change
};

struct read_update {
  room_id room;
  user_id reader;
  seq_no read_seq = 0;              // the marker after the update (never moves backwards)
  std::vector<user_id> recipients;  // the room's members, to refresh unread counts
};

struct page {
  std::vector<room_event> events;  // ascending seq
  bool more = false;               // more events exist beyond this page
};

struct changes_page {
  std::vector<room_summary> rooms;  // rooms changed after `since`, ascending change
  change_no next = 0;               // pass as `since` next time
  bool more = false;
};

}  // namespace haetae::store
