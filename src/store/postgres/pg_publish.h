#pragma once
// Publication (DESIGN §2, "nobody sees what a failover could take back"). PostgreSQL makes a
// commit visible on the primary before the synchronous standby confirms it, and a cancelled wait
// or a restarted primary leaves it visible without being replicated. So readers never look at
// rooms.last_seq: they see a room's events only up to room_visible.seq, which a node raises in a
// second transaction, only after the commit that wrote those events has returned. Every value
// it publishes is therefore replicated, even if the publication itself is later taken back.
//
// The same transaction numbers the publications (change_counter, for `changes`) and wakes the
// other nodes with one NOTIFY per chunk of rooms (never inside the message transaction: NOTIFY
// holds a global lock until its commit, standby wait included). Payload, one line:
//   "<node tag> <change of the first room> <room>:<lo>:<hi>,<room>:<lo>:<hi>,..."
// where room k of the chunk got change number first+k and its new events are lo..hi.
#include <string>
#include <vector>

#include "store/postgres/pg_conn.h"
#include "store/postgres/pg_writes.h"

namespace haetae::store::pg {

inline constexpr const char* wake_channel = "haetae_rooms";
inline constexpr std::size_t max_wake_payload = 7000;  // PostgreSQL's limit is 8000 bytes

// One entry per room (lowest lo, highest hi), in ascending room id.
std::vector<exposure> merge_exposures(std::vector<exposure> exposed);

// Publishes in its own transaction; true once committed and replicated, else `why`.
bool publish(pg_conn& db, const std::string& node_tag, const std::vector<exposure>& exposed,
             std::string& why);

// The NOTIFY payloads for rooms numbered from `first_change` on (exposed in the publish order).
std::vector<std::string> wake_payloads(const std::string& node_tag, std::int64_t first_change,
                                       const std::vector<exposure>& rooms);

struct wake_up {
  std::string node_tag;
  std::int64_t first_change = 0;
  std::vector<exposure> rooms;
};
// Nullopt for a payload that is not ours (never trusted beyond being a hint).
std::optional<wake_up> parse_wake_payload(std::string_view payload);

}  // namespace haetae::store::pg
