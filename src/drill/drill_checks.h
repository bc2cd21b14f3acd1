#pragma once
// The drill's verdict (DESIGN §4 step 5), as pure functions over the clients' own logs and the
// store's final word (each client's final `sync` of its rooms). docs/drill.md defines each count;
// tests feed hand-made logs with one fault each and expect it counted.
#include <map>
#include <vector>

#include "drill/client_log.h"

namespace haetae::drill {

struct check_counts {
  long long acked = 0;
  long long acked_lost = 0;
  long long duplicates = 0;
  long long taken_back = 0;
  long long order_violations = 0;
  long long gaps = 0;
  long long forced_relogins = 0;

  // The six asserted counts are all 0 (`acked` is a size, not a fault).
  bool clean() const {
    return acked_lost == 0 && duplicates == 0 && taken_back == 0 && order_violations == 0 &&
           gaps == 0 && forced_relogins == 0;
  }
};

// The store's final log per room: the longest of the members' final reads. Members whose final
// reads disagree with it at a seq both hold are counted in `disagreements`.
struct final_logs {
  std::map<room_id, std::vector<store::room_event>> rooms;
  std::map<room_id, seq_no> first_visible;  // the lowest join point of the room's members
  long long disagreements = 0;
};

final_logs merge_final_logs(const std::vector<client_log>& clients);

// Each takes the merged final logs (`merge_final_logs`).
long long count_acked(const std::vector<client_log>& clients);
long long count_acked_lost(const std::vector<client_log>& clients, const final_logs& final);
long long count_duplicates(const std::vector<client_log>& clients, const final_logs& final);
long long count_taken_back(const std::vector<client_log>& clients, const final_logs& final);
long long count_order_violations(const std::vector<client_log>& clients, const final_logs& final);
long long count_gaps(const std::vector<client_log>& clients, const final_logs& final);
long long count_forced_relogins(const std::vector<client_log>& clients);

check_counts check_logs(const std::vector<client_log>& clients);

}  // namespace haetae::drill
