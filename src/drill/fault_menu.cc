#include "drill/fault_menu.h"

namespace haetae::drill {

namespace {
std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
}  // namespace

std::string_view fault_name(fault f) {
  switch (f) {
    case fault::burn:
      return "burn";
    case fault::freeze:
      return "freeze";
    case fault::cut:
      return "cut";
    case fault::cut_standby:
      return "cut-standby";
    case fault::burn_twice:
      return "burn-twice";
  }
  return "unknown";
}

std::string fault_names() {
  std::string out;
  for (fault f : fault_menu) {
    if (!out.empty()) out += ", ";
    out += fault_name(f);
  }
  return out;
}

result<fault> parse_fault(std::string_view name) {
  for (fault f : fault_menu) {
    if (fault_name(f) == name) return f;
  }
  return make_error(errc::invalid_field,
                    "unknown fault '" + std::string(name) + "' (" + fault_names() + ")");
}

fault pick_fault(std::uint64_t seed, int round) {
  const std::uint64_t r = splitmix64(splitmix64(seed) ^ static_cast<std::uint64_t>(round));
  return fault_menu[r % fault_menu.size()];
}

fault fault_for_round(const std::optional<fault>& chosen, bool short_run, std::uint64_t seed,
                      int round) {
  if (chosen) return *chosen;
  if (short_run) return round % 2 == 1 ? fault::burn : fault::freeze;
  return pick_fault(seed, round);
}

}  // namespace haetae::drill
