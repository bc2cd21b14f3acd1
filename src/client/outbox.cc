#include "client/outbox.h"

#include <cassert>
#include <unordered_set>

namespace haetae::client {

bool is_retryable(errc code) {
  return code == errc::overloaded || code == errc::store_unavailable || code == errc::rate_limited;
}

outbox::outbox(outbox_options options) : options_(options) {}

void outbox::add(room_id room, std::string client_id, std::string body, steady::time_point now) {
  assert(!by_id_.contains(client_id));
  outbox_entry e;
  e.client_id = client_id;
  e.room = room;
  e.body = std::move(body);
  e.added = now;
  e.not_before = now;
  entries_.push_back(std::move(e));
  by_id_.emplace(std::move(client_id), std::prev(entries_.end()));
}

std::vector<outbox_entry> outbox::take_due(steady::time_point now) {
  std::vector<outbox_entry> due;
  std::unordered_set<room_id> held;  // rooms whose head waits out a retry delay
  for (outbox_entry& e : entries_) {
    if (e.in_flight) {
      if (now - e.sent >= options_.ack_timeout) {  // overdue: same id again
        e.sent = now;
        ++e.attempts;
        due.push_back(e);
      }
      continue;
    }
    if (held.contains(e.room)) continue;
    if (e.not_before > now) {
      held.insert(e.room);
      continue;
    }
    if (in_flight_ >= options_.max_in_flight) continue;
    e.in_flight = true;
    e.sent = now;
    ++e.attempts;
    ++in_flight_;
    due.push_back(e);
  }
  return due;
}

std::optional<outbox_entry> outbox::on_ack(std::string_view client_id) {
  auto it = by_id_.find(std::string(client_id));
  if (it == by_id_.end()) return std::nullopt;
  outbox_entry e = std::move(*it->second);
  if (e.in_flight) --in_flight_;
  entries_.erase(it->second);
  by_id_.erase(it);
  return e;
}

std::optional<failed_send> outbox::on_error(std::string_view client_id, const error& why,
                                            steady::time_point now) {
  auto it = by_id_.find(std::string(client_id));
  if (it == by_id_.end()) return std::nullopt;
  outbox_entry& e = *it->second;
  if (is_retryable(why.code)) {
    if (e.in_flight) {
      e.in_flight = false;
      --in_flight_;
    }
    e.not_before = now + options_.retry_delay;
    return std::nullopt;
  }
  failed_send f{std::move(e), why};
  if (f.entry.in_flight) --in_flight_;
  entries_.erase(it->second);
  by_id_.erase(it);
  return f;
}

void outbox::on_disconnect() {
  for (outbox_entry& e : entries_) e.in_flight = false;
  in_flight_ = 0;
}

std::optional<steady::time_point> outbox::next_deadline() const {
  std::optional<steady::time_point> next;
  for (const outbox_entry& e : entries_) {
    steady::time_point t = e.in_flight ? e.sent + options_.ack_timeout : e.not_before;
    if (!next || t < *next) next = t;
  }
  return next;
}

bool outbox::contains(std::string_view client_id) const {
  return by_id_.contains(std::string(client_id));
}

}  // namespace haetae::client
