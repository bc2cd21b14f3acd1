#include "api/request_fields.h"

#include <boost/json.hpp>
#include <limits>

#include "proto/limits.h"

namespace haetae::api {

namespace json = boost::json;

namespace {

constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();

error invalid(std::string_view key, std::string_view why) {
  return make_error(errc::invalid_field, std::string(key) + " " + std::string(why));
}

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_alnum(char c) { return is_lower_alnum(c) || (c >= 'A' && c <= 'Z'); }

}  // namespace

bool valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int extra;
    std::uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      extra = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;  // continuation byte, overlong lead (C0, C1) or beyond U+10FFFF
    }
    if (end - p <= extra) return false;
    for (int i = 1; i <= extra; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (extra == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) return false;
    if (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)) return false;
    p += extra + 1;
  }
  return true;
}

bool valid_user_name_chars(std::string_view s) {
  for (char c : s) {
    if (!(is_lower_alnum(c) || c == '_' || c == '.' || c == '-')) return false;
  }
  return true;
}

bool valid_client_id_chars(std::string_view s) {
  for (char c : s) {
    if (!(is_alnum(c) || c == '_' || c == '-')) return false;
  }
  return true;
}

result<std::optional<std::string>> text_field(const json::object& params, std::string_view key,
                                              std::size_t min_bytes, std::size_t max_bytes,
                                              presence p) {
  const json::value* v = params.if_contains(key);
  if (v == nullptr || v->is_null()) {
    if (p == presence::optional) return std::optional<std::string>();
    return invalid(key, "is missing");
  }
  if (!v->is_string()) return invalid(key, "must be a string");
  const json::string& s = v->get_string();
  if (s.size() > max_bytes) {
    return make_error(errc::field_too_long,
                      std::string(key) + " is longer than " + std::to_string(max_bytes) + " bytes");
  }
  if (!valid_utf8(s)) return invalid(key, "is not valid UTF-8");
  if (s.size() < min_bytes) {
    return invalid(key, min_bytes == 1 ? "must not be empty"
                                       : "is shorter than " + std::to_string(min_bytes) + " bytes");
  }
  return std::optional<std::string>(std::string(s));
}

result<std::optional<std::int64_t>> int_field(const json::object& params, std::string_view key,
                                              std::int64_t min, std::int64_t max, presence p) {
  const json::value* v = params.if_contains(key);
  if (v == nullptr || v->is_null()) {
    if (p == presence::optional) return std::optional<std::int64_t>();
    return invalid(key, "is missing");
  }
  std::int64_t n;
  if (v->is_int64()) {
    n = v->get_int64();
  } else if (v->is_uint64()) {
    if (v->get_uint64() > static_cast<std::uint64_t>(int64_max)) {
      return invalid(key, "is out of range");
    }
    n = static_cast<std::int64_t>(v->get_uint64());
  } else {
    return invalid(key, "must be an integer");
  }
  if (n < min || n > max) {
    return invalid(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return std::optional<std::int64_t>(n);
}

result<std::string> user_name_field(const json::object& params, std::string_view key) {
  auto r = text_field(params, key, limits::min_user_name_bytes, limits::max_user_name_bytes,
                      presence::required);
  if (!r) return r.err();
  if (!valid_user_name_chars(**r)) return invalid(key, "may hold only a-z 0-9 _ . -");
  return std::move(**r);
}

result<std::string> password_field(const json::object& params, std::size_t min_bytes) {
  auto r =
      text_field(params, "password", min_bytes, limits::max_password_bytes, presence::required);
  if (!r) return r.err();
  return std::move(**r);
}

result<std::optional<std::string>> display_name_field(const json::object& params, presence p) {
  return text_field(params, "display_name", 1, limits::max_display_name_bytes, p);
}

result<std::string> device_name_field(const json::object& params) {
  auto r = text_field(params, "device", 0, limits::max_device_name_bytes, presence::optional);
  if (!r) return r.err();
  return r->value_or(std::string());
}

result<std::string> client_id_field(const json::object& params) {
  auto r = text_field(params, "client_id", 1, limits::max_client_id_bytes, presence::required);
  if (!r) return r.err();
  if (!valid_client_id_chars(**r)) return invalid("client_id", "may hold only A-Z a-z 0-9 _ -");
  return std::move(**r);
}

result<std::string> title_field(const json::object& params) {
  auto r = text_field(params, "title", 1, limits::max_room_title_bytes, presence::required);
  if (!r) return r.err();
  return std::move(**r);
}

result<std::string> body_field(const json::object& params) {
  auto r = text_field(params, "body", 1, limits::max_message_bytes, presence::required);
  if (!r) return r.err();
  return std::move(**r);
}

result<room_id> room_id_field(const json::object& params) {
  auto r = int_field(params, "room_id", 1, int64_max, presence::required);
  if (!r) return r.err();
  return room_id(**r);
}

result<seq_no> seq_field(const json::object& params, std::string_view key, presence p) {
  auto r = int_field(params, key, 0, int64_max, p);
  if (!r) return r.err();
  return r->value_or(0);
}

result<int> limit_field(const json::object& params) {
  auto r = int_field(params, "limit", 1, limits::max_page, presence::optional);
  if (!r) return r.err();
  return static_cast<int>(r->value_or(limits::default_page));
}

result<std::vector<std::string>> member_names_field(const json::object& params,
                                                    std::size_t min_count) {
  const json::value* v = params.if_contains("members");
  if (v == nullptr || v->is_null()) {
    if (min_count == 0) return std::vector<std::string>();
    return invalid("members", "is missing");
  }
  if (!v->is_array()) return invalid("members", "must be an array of user names");
  const json::array& a = v->get_array();
  if (a.size() > limits::max_members_per_request) {
    return make_error(
        errc::field_too_long,
        "members holds more than " + std::to_string(limits::max_members_per_request) + " names");
  }
  if (a.size() < min_count) return invalid("members", "must not be empty");
  std::vector<std::string> names;
  names.reserve(a.size());
  for (const json::value& item : a) {
    json::object holder;
    holder["members[]"] = item;
    auto name = user_name_field(holder, "members[]");
    if (!name) return name.err();
    names.push_back(std::move(*name));
  }
  return names;
}

}  // namespace haetae::api
