#pragma once
// Strong id types, so a room id can never be passed where a user id is meant.
#include <compare>
#include <cstdint>
#include <functional>

namespace haetae {

template <class Tag>
struct strong_id {
  std::int64_t value = 0;
  constexpr strong_id() = default;
  constexpr explicit strong_id(std::int64_t v) : value(v) {}
  constexpr auto operator<=>(const strong_id&) const = default;
  constexpr bool valid() const { return value > 0; }
};

using user_id = strong_id<struct user_id_tag>;
using room_id = strong_id<struct room_id_tag>;
using device_id = strong_id<struct device_id_tag>;  // one logged-in session of a user
using seq_no = std::int64_t;                        // per-room sequence; 0 = before the first event
using change_no = std::int64_t;                     // per-store change counter for "rooms changed"

}  // namespace haetae

template <class Tag>
struct std::hash<haetae::strong_id<Tag>> {
  std::size_t operator()(const haetae::strong_id<Tag>& id) const noexcept {
    return std::hash<std::int64_t>{}(id.value);
  }
};
