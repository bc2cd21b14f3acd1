#pragma once
// The drill's fault menu (issue 8 item 5): the single-DC faults a round can inflict, their names
// on the command line and in the report, and which one a round gets. Pure: no cluster, no clock.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace haetae::drill {

enum class fault {
  burn,         // burn the primary's DC, restore it once another DC holds the primary
  freeze,       // SIGSTOP every process of the primary's DC past Patroni's ttl, then SIGCONT
  cut,          // drop every packet of the primary's DC's link, then heal it
  cut_standby,  // cut the synchronous standby's DC off for a while (no failover expected)
  burn_twice,   // a burn round, then a burn of the new primary's DC
};

inline constexpr std::array<fault, 5> fault_menu = {fault::burn, fault::freeze, fault::cut,
                                                    fault::cut_standby, fault::burn_twice};

// "burn", "freeze", "cut", "cut-standby", "burn-twice".
std::string_view fault_name(fault f);

// The menu's names, comma-separated, for usage messages.
std::string fault_names();

// A name as fault_name spells it; errc::invalid_field for anything else.
result<fault> parse_fault(std::string_view name);

// The fault of round `round` (1-based) drawn from the menu with `seed`: the same seed and round
// give the same fault on every machine (splitmix64, not a std distribution).
fault pick_fault(std::uint64_t seed, int round);

// The fault a round runs: `chosen` (--fault) for every round if given; else in the short drill
// odd rounds burn and even rounds freeze (so two rounds try both); else pick_fault.
fault fault_for_round(const std::optional<fault>& chosen, bool short_run, std::uint64_t seed,
                      int round);

}  // namespace haetae::drill
