#include "net/wire.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include "api/error_mapping.h"

namespace haetae::net {

namespace json = boost::json;

namespace {

std::string error_object(const error& e) { return json::serialize(api::error_object(e)); }

}  // namespace

std::string result_frame(const json::value& rid, const json::object& result) {
  std::string out = "{\"type\":\"result\",\"rid\":";
  out += json::serialize(rid);
  out += ",\"result\":";
  out += json::serialize(result);
  out += '}';
  return out;
}

std::string error_frame(const json::value& rid, const error& e) {
  std::string out = "{\"type\":\"error\",\"rid\":";
  out += json::serialize(rid);
  out += ",\"error\":";
  out += error_object(e);
  out += '}';
  return out;
}

std::string auth_error_frame(const error& e) {
  return "{\"type\":\"error\",\"error\":" + error_object(e) + "}";
}

std::string auth_ok_frame(std::int64_t user, std::int64_t device) {
  return "{\"type\":\"auth_ok\",\"user_id\":" + std::to_string(user) +
         ",\"device_id\":" + std::to_string(device) + "}";
}

}  // namespace haetae::net
