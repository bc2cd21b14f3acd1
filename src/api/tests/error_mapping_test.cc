#include "api/error_mapping.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace haetae::api {

TEST(ErrorMappingTest, EveryCodeHasAnErrorStatus) {
  for (errc code : all_errcs) {
    int status = http_status(code);
    EXPECT_GE(status, 400) << errc_name(code);
    EXPECT_LT(status, 600) << errc_name(code);
  }
  EXPECT_EQ(http_status(errc::ok), 200);
}

TEST(ErrorMappingTest, StatusesFollowTheProtocolTable) {
  EXPECT_EQ(http_status(errc::bad_request), 400);
  EXPECT_EQ(http_status(errc::invalid_field), 400);
  EXPECT_EQ(http_status(errc::field_too_long), 400);
  EXPECT_EQ(http_status(errc::payload_too_large), 413);
  EXPECT_EQ(http_status(errc::unknown_op), 404);
  EXPECT_EQ(http_status(errc::unauthorized), 401);
  EXPECT_EQ(http_status(errc::invalid_credentials), 401);
  EXPECT_EQ(http_status(errc::name_taken), 409);
  EXPECT_EQ(http_status(errc::not_found), 404);
  EXPECT_EQ(http_status(errc::not_room_member), 403);
  EXPECT_EQ(http_status(errc::blocked), 403);
  EXPECT_EQ(http_status(errc::rate_limited), 429);
  EXPECT_EQ(http_status(errc::overloaded), 503);
  EXPECT_EQ(http_status(errc::store_unavailable), 503);
  EXPECT_EQ(http_status(errc::internal), 500);
}

TEST(ErrorMappingTest, BodyCarriesCodeAndMessage) {
  EXPECT_EQ(
      error_body(make_error(errc::not_room_member)),
      R"({"error":{"code":"not_room_member","message":"you are not a member of this room"}})");
  EXPECT_EQ(error_body(make_error(errc::field_too_long, "body is longer than 16384 bytes")),
            R"({"error":{"code":"field_too_long","message":"body is longer than 16384 bytes"}})");
  for (errc code : all_errcs) {
    auto o = error_object(make_error(code));
    EXPECT_EQ(o["code"].as_string(), errc_name(code));
    EXPECT_FALSE(o["message"].as_string().empty());
  }
}

}  // namespace haetae::api
