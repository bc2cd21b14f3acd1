#include "store/room_appender.h"

#include "base/clock.h"

namespace haetae::store {

room_event& room_appender::append(event_kind kind, user_id sender, user_id subject,
                                  std::string client_id, std::string body) {
  room_event e;
  e.room = room_.id;
  e.seq = ++room_.last_seq;
  e.kind = kind;
  e.sender = sender;
  e.subject = subject;
  e.client_id = std::move(client_id);
  e.body = std::move(body);
  e.time_ms = now_ms();
  tx_.insert_event(e);
  room_.last_time_ms = e.time_ms;
  events_.push_back(std::move(e));
  return events_.back();
}

}  // namespace haetae::store
