#pragma once
// Hand-made drill logs for the checks' tests: two members of one room who send, get acked and
// are shown the room's log; each test then breaks one thing.
#include <string>
#include <vector>

#include "drill/client_log.h"

namespace haetae::drill::testing {

inline steady::time_point at_ms(long long ms) {
  return steady::time_point{} + std::chrono::milliseconds(1'000'000 + ms);
}

inline store::room_event message(room_id room, seq_no seq, user_id sender, std::string id) {
  store::room_event e;
  e.room = room;
  e.seq = seq;
  e.kind = store::event_kind::message;
  e.sender = sender;
  e.client_id = id;
  e.body = "body of " + id;
  return e;
}

inline store::room_event created(room_id room, user_id creator) {
  store::room_event e;
  e.room = room;
  e.seq = 1;
  e.kind = store::event_kind::created;
  e.sender = creator;
  e.client_id = "create";
  e.body = "room";
  return e;
}

// Room 7: seq 1 created by alice, then alice a1 (2), bob b1 (3), alice a2 (4). Both clients were
// shown all four, acked their own, and read the same final log.
inline std::vector<client_log> clean_logs() {
  const room_id room{7};
  const user_id alice{1}, bob{2};
  std::vector<store::room_event> log = {created(room, alice), message(room, 2, alice, "a1"),
                                        message(room, 3, bob, "b1"), message(room, 4, alice, "a2")};
  std::vector<client_log> clients(2);
  clients[0].name = "alice";
  clients[0].user = alice;
  clients[1].name = "bob";
  clients[1].user = bob;
  long long t = 0;
  for (client_log& c : clients) {
    c.joined_at[room] = 1;
    c.final_rooms[room] = log;
    for (const store::room_event& e : log) c.shown.push_back({e, at_ms(t += 10)});
  }
  clients[0].sends = {{"a1", room, "body of a1", at_ms(0)}, {"a2", room, "body of a2", at_ms(5)}};
  clients[0].acks = {{"a1", room, 2, at_ms(20)}, {"a2", room, 4, at_ms(40)}};
  clients[1].sends = {{"b1", room, "body of b1", at_ms(1)}};
  clients[1].acks = {{"b1", room, 3, at_ms(30)}};
  return clients;
}

}  // namespace haetae::drill::testing
