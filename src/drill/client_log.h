#pragma once
// What one drill client saw with its own eyes (DESIGN §5 habit 6: workload log + offline
// checker). The workload appends to it on the client's io thread; the checks read it afterwards.
// Plain data, no I/O, so the checks can be fed hand-made logs in tests.
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "base/ids.h"
#include "store/types.h"

namespace haetae::drill {

using steady = std::chrono::steady_clock;

struct send_record {  // the application queued a message in the outbox
  std::string client_id;
  room_id room;
  std::string body;
  steady::time_point queued;
};

struct ack_record {  // the acknowledgement of one send arrived
  std::string client_id;
  room_id room;
  seq_no seq = 0;
  steady::time_point at;
};

struct shown_record {  // the session handed this event to the application (showed it)
  store::room_event event;
  steady::time_point at;
};

struct read_probe_record {  // one read (`sync` of a room) asked of the node in use
  steady::time_point started;
  steady::time_point finished;
  bool ok = false;
};

struct client_log {
  std::string name;
  user_id user;
  std::map<room_id, seq_no> joined_at;  // the first seq this client may see, per room
  std::vector<send_record> sends;
  std::vector<ack_record> acks;
  std::vector<shown_record> shown;
  std::vector<read_probe_record> reads;
  int disconnects = 0;
  int failed_sends = 0;             // permanent send errors (not resent by the outbox)
  int forced_relogins = 0;          // 1 if the token was ever refused after the initial login
  std::vector<std::string> errors;  // the first few, for the report
  // The store's final word as this client read it at the end: `sync` from 0 until `more` is
  // false, per room. Empty for a room whose final read failed.
  std::map<room_id, std::vector<store::room_event>> final_rooms;
};

}  // namespace haetae::drill
