#include "base/errc.h"

#include <string>

namespace haetae {

std::string_view errc_name(errc code) {
  switch (code) {
    case errc::ok:
      return "ok";
    case errc::bad_request:
      return "bad_request";
    case errc::invalid_field:
      return "invalid_field";
    case errc::field_too_long:
      return "field_too_long";
    case errc::payload_too_large:
      return "payload_too_large";
    case errc::unknown_op:
      return "unknown_op";
    case errc::unauthorized:
      return "unauthorized";
    case errc::invalid_credentials:
      return "invalid_credentials";
    case errc::name_taken:
      return "name_taken";
    case errc::not_found:
      return "not_found";
    case errc::not_room_member:
      return "not_room_member";
    case errc::blocked:
      return "blocked";
    case errc::rate_limited:
      return "rate_limited";
    case errc::overloaded:
      return "overloaded";
    case errc::store_unavailable:
      return "store_unavailable";
    case errc::internal:
      return "internal";
  }
  return "internal";
}

std::string_view errc_message(errc code) {
  switch (code) {
    case errc::ok:
      return "success";
    case errc::bad_request:
      return "the request is not a valid JSON object";
    case errc::invalid_field:
      return "a field is missing, of the wrong type or invalid";
    case errc::field_too_long:
      return "a field is longer than its limit";
    case errc::payload_too_large:
      return "the request is larger than the size limit";
    case errc::unknown_op:
      return "no such operation";
    case errc::unauthorized:
      return "missing, invalid or revoked session token";
    case errc::invalid_credentials:
      return "wrong user name or password";
    case errc::name_taken:
      return "this user name is taken";
    case errc::not_found:
      return "no such user or room";
    case errc::not_room_member:
      return "you are not a member of this room";
    case errc::blocked:
      return "this user does not accept messages from you";
    case errc::rate_limited:
      return "too many requests; slow down and retry";
    case errc::overloaded:
      return "the server is busy; retry shortly";
    case errc::store_unavailable:
      return "the store is unavailable; retry with the same ids";
    case errc::internal:
      return "internal error";
  }
  return "internal error";
}

namespace {
class category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "haetae"; }
  std::string message(int ev) const override {
    return std::string(errc_message(static_cast<errc>(ev)));
  }
};
}  // namespace

const std::error_category& haetae_category() {
  static const category instance;
  return instance;
}

std::error_code make_error_code(errc code) { return {static_cast<int>(code), haetae_category()}; }

}  // namespace haetae
