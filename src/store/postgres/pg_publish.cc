#include "store/postgres/pg_publish.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <optional>

#include "store/postgres/pg_commit.h"

namespace haetae::store::pg {
namespace {

template <class F>
std::string array_of(const std::vector<exposure>& rooms, F field) {
  std::string out = "{";
  for (std::size_t i = 0; i < rooms.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(field(rooms[i]));
  }
  return out + "}";
}

std::string changed_ids(const std::vector<exposure>& rooms) {
  std::string out = "{";
  for (const auto& r : rooms) {
    if (!r.changed) continue;
    if (out.size() > 1) out += ',';
    out += std::to_string(r.room.value);
  }
  return out + "}";
}

bool parse_i64(std::string_view s, std::int64_t& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

std::vector<exposure> merge_exposures(std::vector<exposure> exposed) {
  std::sort(exposed.begin(), exposed.end(),
            [](const exposure& a, const exposure& b) { return a.room < b.room; });
  std::vector<exposure> out;
  for (const auto& e : exposed) {
    if (!out.empty() && out.back().room == e.room) {
      out.back().lo = std::min(out.back().lo, e.lo);
      out.back().hi = std::max(out.back().hi, e.hi);
      out.back().changed = out.back().changed || e.changed;
    } else {
      out.push_back(e);
    }
  }
  return out;
}

std::vector<std::string> wake_payloads(const std::string& node_tag, std::int64_t first_change,
                                       const std::vector<exposure>& rooms) {
  std::vector<std::string> out;
  std::string current;
  for (std::size_t i = 0; i < rooms.size(); ++i) {
    std::string entry = fmt::format("{}:{}:{}", rooms[i].room.value, rooms[i].lo, rooms[i].hi);
    if (!current.empty() && current.size() + entry.size() + 1 > max_wake_payload) {
      out.push_back(std::move(current));
      current.clear();
    }
    if (current.empty()) {
      current =
          fmt::format("{} {} {}", node_tag, first_change + static_cast<std::int64_t>(i), entry);
    } else {
      current += ',' + entry;
    }
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

std::optional<wake_up> parse_wake_payload(std::string_view payload) {
  auto sp1 = payload.find(' ');
  if (sp1 == std::string_view::npos) return std::nullopt;
  auto sp2 = payload.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos) return std::nullopt;
  wake_up w;
  w.node_tag = std::string(payload.substr(0, sp1));
  if (!parse_i64(payload.substr(sp1 + 1, sp2 - sp1 - 1), w.first_change)) return std::nullopt;
  std::string_view rest = payload.substr(sp2 + 1);
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string_view entry = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    auto c1 = entry.find(':');
    auto c2 = c1 == std::string_view::npos ? c1 : entry.find(':', c1 + 1);
    if (c2 == std::string_view::npos) return std::nullopt;
    std::int64_t room = 0, lo = 0, hi = 0;
    if (!parse_i64(entry.substr(0, c1), room) ||
        !parse_i64(entry.substr(c1 + 1, c2 - c1 - 1), lo) || !parse_i64(entry.substr(c2 + 1), hi)) {
      return std::nullopt;
    }
    w.rooms.push_back({room_id(room), lo, hi});
  }
  if (w.rooms.empty()) return std::nullopt;
  return w;
}

bool publish(pg_conn& db, const std::string& node_tag, const std::vector<exposure>& exposed,
             std::string& why) {
  auto rooms = merge_exposures(exposed);
  if (rooms.empty()) return true;
  auto n = static_cast<std::int64_t>(rooms.size());
  try {
    db.exec("BEGIN");
    // The counter row serialises publications cluster-wide, so change numbers follow their
    // commit order and a reader of `changes` never skips one.
    auto r = db.exec("UPDATE change_counter SET last = last + $1 WHERE id = 1 RETURNING last", {n});
    std::int64_t first = r.i64(0, 0) - n + 1;
    db.exec(
        "INSERT INTO room_visible (room_id, seq, change) "
        "SELECT t.id, t.seq, $3::bigint + t.ord - 1 "
        "FROM unnest($1::bigint[], $2::bigint[]) WITH ORDINALITY AS t(id, seq, ord) "
        "ON CONFLICT (room_id) DO UPDATE SET seq = GREATEST(room_visible.seq, excluded.seq), "
        "change = excluded.change "
        // A resend of what is published already changes nothing (its number stays unused).
        "WHERE room_visible.seq < excluded.seq OR excluded.room_id = ANY($4::bigint[])",
        {array_of(rooms, [](const exposure& e) { return e.room.value; }),
         array_of(rooms, [](const exposure& e) { return e.hi; }), first, changed_ids(rooms)});
    for (const auto& payload : wake_payloads(node_tag, first, rooms)) {
      db.exec("SELECT pg_notify($1, $2)", {wake_channel, payload});
    }
  } catch (const pg_error& e) {
    why = e.what();
    if (db.connected()) (void)db.try_exec("ROLLBACK");
    return false;
  }
  return commit_replicated(db, why);
}

}  // namespace haetae::store::pg
