#pragma once
// Shape and size checks for request fields (docs/protocol.md §5). Every handler validates all its
// fields with these before touching the store, so a bad request changes nothing. Each failure
// carries a sentence naming the field: invalid_field (missing, wrong type, bad value or charset)
// or field_too_long (over its byte limit).
#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/ids.h"
#include "base/result.h"

namespace haetae::api {

enum class presence { required, optional };

bool valid_utf8(std::string_view s);
bool valid_user_name_chars(std::string_view s);  // a-z 0-9 _ . -
bool valid_client_id_chars(std::string_view s);  // A-Z a-z 0-9 _ -

// A string field of [min_bytes, max_bytes] valid UTF-8. nullopt: absent and optional.
result<std::optional<std::string>> text_field(const boost::json::object& params,
                                              std::string_view key, std::size_t min_bytes,
                                              std::size_t max_bytes, presence p);
// An integer field in [min, max]. Numbers with a fraction, strings and booleans are refused.
result<std::optional<std::int64_t>> int_field(const boost::json::object& params,
                                              std::string_view key, std::int64_t min,
                                              std::int64_t max, presence p);

// The fields of protocol §4, each with its limit.
result<std::string> user_name_field(const boost::json::object& params, std::string_view key);
result<std::string> password_field(const boost::json::object& params, std::size_t min_bytes);
result<std::optional<std::string>> display_name_field(const boost::json::object& params,
                                                      presence p);
result<std::string> device_name_field(const boost::json::object& params);  // "" when absent
result<std::string> client_id_field(const boost::json::object& params);
result<std::string> title_field(const boost::json::object& params);
result<std::string> body_field(const boost::json::object& params);
result<room_id> room_id_field(const boost::json::object& params);
result<seq_no> seq_field(const boost::json::object& params, std::string_view key, presence p);
result<int> limit_field(const boost::json::object& params);  // default_page when absent
// "members": an array of user names, at most max_members_per_request, at least `min_count`.
result<std::vector<std::string>> member_names_field(const boost::json::object& params,
                                                    std::size_t min_count);

}  // namespace haetae::api
