#include "drill/drill_checks.h"

#include <algorithm>
#include <set>
#include <tuple>
#include <utility>

namespace haetae::drill {

namespace {

// What makes two copies of one seq the same entry (unread counts change with reads: ignored).
bool same_entry(const store::room_event& a, const store::room_event& b) {
  return a.room == b.room && a.seq == b.seq && a.kind == b.kind && a.sender == b.sender &&
         a.subject == b.subject && a.client_id == b.client_id && a.body == b.body;
}

const store::room_event* entry_at(const final_logs& final, room_id room, seq_no seq) {
  auto it = final.rooms.find(room);
  if (it == final.rooms.end()) return nullptr;
  const auto& log = it->second;
  auto at = std::lower_bound(log.begin(), log.end(), seq,
                             [](const store::room_event& e, seq_no s) { return e.seq < s; });
  return at != log.end() && at->seq == seq ? &*at : nullptr;
}

// Holes in an ascending run of seqs that should start at `first`: one per missing stretch.
long long holes(const std::vector<seq_no>& seqs, seq_no first) {
  long long n = 0;
  seq_no expected = first;
  for (seq_no s : seqs) {
    if (s > expected) ++n;
    expected = std::max(expected, s + 1);
  }
  return n;
}

// The events a client was shown, per room, in the order shown.
std::map<room_id, std::vector<const store::room_event*>> shown_by_room(const client_log& c) {
  std::map<room_id, std::vector<const store::room_event*>> out;
  for (const shown_record& s : c.shown) out[s.event.room].push_back(&s.event);
  return out;
}

}  // namespace

final_logs merge_final_logs(const std::vector<client_log>& clients) {
  final_logs out;
  for (const client_log& c : clients) {
    for (const auto& [room, log] : c.final_rooms) {
      if (log.empty()) continue;
      auto& kept = out.rooms[room];
      if (log.size() > kept.size()) kept = log;
    }
    for (const auto& [room, seq] : c.joined_at) {
      auto [it, fresh] = out.first_visible.emplace(room, seq);
      if (!fresh) it->second = std::min(it->second, seq);
    }
  }
  for (const client_log& c : clients) {
    for (const auto& [room, log] : c.final_rooms) {
      for (const store::room_event& e : log) {
        const store::room_event* kept = entry_at(out, room, e.seq);
        if (kept != nullptr && !same_entry(*kept, e)) ++out.disagreements;
      }
    }
  }
  return out;
}

long long count_acked(const std::vector<client_log>& clients) {
  long long n = 0;
  for (const client_log& c : clients) n += static_cast<long long>(c.acks.size());
  return n;
}

long long count_acked_lost(const std::vector<client_log>& clients, const final_logs& final) {
  long long lost = 0;
  for (const client_log& c : clients) {
    for (const ack_record& a : c.acks) {
      const store::room_event* e = entry_at(final, a.room, a.seq);
      const bool there = e != nullptr && e->kind == store::event_kind::message &&
                         e->sender == c.user && e->client_id == a.client_id;
      if (!there) ++lost;
    }
  }
  return lost;
}

long long count_duplicates(const std::vector<client_log>& clients, const final_logs& final) {
  long long dups = 0;
  // A (sender, client id) stored twice.
  for (const auto& [room, log] : final.rooms) {
    std::set<std::pair<user_id, std::string>> seen;
    for (const store::room_event& e : log) {
      if (e.kind != store::event_kind::message) continue;
      if (!seen.emplace(e.sender, e.client_id).second) ++dups;
    }
  }
  // A client shown one (room, seq) twice, or one (sender, client id) at two seqs.
  for (const client_log& c : clients) {
    std::set<std::pair<room_id, seq_no>> seqs;
    std::map<std::tuple<room_id, user_id, std::string>, seq_no> ids;
    for (const shown_record& s : c.shown) {
      const store::room_event& e = s.event;
      if (!seqs.emplace(e.room, e.seq).second) {
        ++dups;
        continue;
      }
      if (e.kind != store::event_kind::message) continue;
      auto [it, fresh] = ids.emplace(std::make_tuple(e.room, e.sender, e.client_id), e.seq);
      if (!fresh && it->second != e.seq) ++dups;
    }
  }
  return dups;
}

long long count_taken_back(const std::vector<client_log>& clients, const final_logs& final) {
  long long taken = 0;
  for (const client_log& c : clients) {
    for (const shown_record& s : c.shown) {
      const store::room_event* e = entry_at(final, s.event.room, s.event.seq);
      if (e == nullptr || !same_entry(*e, s.event)) ++taken;
    }
  }
  return taken;
}

long long count_order_violations(const std::vector<client_log>& clients, const final_logs& final) {
  long long bad = final.disagreements;
  // A client shown a room's events out of seq order (a repeat is a duplicate, not counted here).
  for (const client_log& c : clients) {
    for (const auto& [room, events] : shown_by_room(c)) {
      std::set<seq_no> seen;
      seq_no highest = 0;
      for (const store::room_event* e : events) {
        if (!seen.insert(e->seq).second) continue;
        if (e->seq < highest) ++bad;
        highest = std::max(highest, e->seq);
      }
    }
  }
  // Two members shown different entries at one seq: the first one shown is the reference.
  std::map<std::pair<room_id, seq_no>, const store::room_event*> first_shown;
  for (const client_log& c : clients) {
    for (const shown_record& s : c.shown) {
      auto [it, fresh] = first_shown.emplace(std::make_pair(s.event.room, s.event.seq), &s.event);
      if (!fresh && !same_entry(*it->second, s.event)) ++bad;
    }
  }
  return bad;
}

long long count_gaps(const std::vector<client_log>& clients, const final_logs& final) {
  long long gaps = 0;
  for (const auto& [room, log] : final.rooms) {
    std::vector<seq_no> seqs;
    for (const store::room_event& e : log) seqs.push_back(e.seq);
    auto first = final.first_visible.find(room);
    gaps += holes(seqs, first != final.first_visible.end() ? first->second : 1);
  }
  for (const client_log& c : clients) {
    for (const auto& [room, events] : shown_by_room(c)) {
      std::vector<seq_no> seqs;
      for (const store::room_event* e : events) seqs.push_back(e->seq);
      std::sort(seqs.begin(), seqs.end());
      seqs.erase(std::unique(seqs.begin(), seqs.end()), seqs.end());
      auto joined = c.joined_at.find(room);
      gaps += holes(seqs, joined != c.joined_at.end() ? joined->second : seqs.front());
      // The view ended short of the final log: events the client was never shown.
      auto log = final.rooms.find(room);
      if (log != final.rooms.end() && !log->second.empty() &&
          seqs.back() < log->second.back().seq) {
        ++gaps;
      }
    }
    // A room the client is in but was never shown anything of, although the store has events.
    for (const auto& [room, joined] : c.joined_at) {
      auto log = final.rooms.find(room);
      const bool shown_any =
          std::any_of(c.shown.begin(), c.shown.end(),
                      [&](const shown_record& s) { return s.event.room == room; });
      if (!shown_any && log != final.rooms.end() && !log->second.empty() &&
          log->second.back().seq >= joined) {
        ++gaps;
      }
    }
  }
  return gaps;
}

long long count_forced_relogins(const std::vector<client_log>& clients) {
  long long n = 0;
  for (const client_log& c : clients) n += c.forced_relogins > 0 ? 1 : 0;
  return n;
}

check_counts check_logs(const std::vector<client_log>& clients) {
  const final_logs final = merge_final_logs(clients);
  check_counts out;
  out.acked = count_acked(clients);
  out.acked_lost = count_acked_lost(clients, final);
  out.duplicates = count_duplicates(clients, final);
  out.taken_back = count_taken_back(clients, final);
  out.order_violations = count_order_violations(clients, final);
  out.gaps = count_gaps(clients, final);
  out.forced_relogins = count_forced_relogins(clients);
  return out;
}

}  // namespace haetae::drill
