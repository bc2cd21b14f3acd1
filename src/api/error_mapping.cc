#include "api/error_mapping.h"

#include <boost/json.hpp>

namespace haetae::api {

int http_status(errc code) {
  switch (code) {
    case errc::ok:
      return 200;
    case errc::bad_request:
      return 400;
    case errc::invalid_field:
      return 400;
    case errc::field_too_long:
      return 400;
    case errc::payload_too_large:
      return 413;
    case errc::unknown_op:
      return 404;
    case errc::unauthorized:
      return 401;
    case errc::invalid_credentials:
      return 401;
    case errc::name_taken:
      return 409;
    case errc::not_found:
      return 404;
    case errc::not_room_member:
      return 403;
    case errc::blocked:
      return 403;
    case errc::rate_limited:
      return 429;
    case errc::overloaded:
      return 503;
    case errc::store_unavailable:
      return 503;
    case errc::internal:
      return 500;
  }
  return 500;  // a value outside the enum is a bug
}

boost::json::object error_object(const error& e) {
  boost::json::object o;
  o["code"] = errc_name(e.code);
  o["message"] = e.text();
  return o;
}

std::string error_body(const error& e) {
  boost::json::object o;
  o["error"] = error_object(e);
  return boost::json::serialize(o);
}

}  // namespace haetae::api
