#include "api/request_fields.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace haetae::api {
namespace {

boost::json::object obj(std::string_view text) { return boost::json::parse(text).as_object(); }

TEST(RequestFieldsTest, Utf8ValidatorAcceptsValidAndRejectsMalformed) {
  EXPECT_TRUE(valid_utf8(""));
  EXPECT_TRUE(valid_utf8("hello"));
  EXPECT_TRUE(valid_utf8("안녕하세요"));
  EXPECT_TRUE(valid_utf8("\xF0\x9F\x98\x80"));   // U+1F600
  EXPECT_TRUE(valid_utf8("\xF4\x8F\xBF\xBF"));   // U+10FFFF
  EXPECT_FALSE(valid_utf8("\x80"));              // lone continuation
  EXPECT_FALSE(valid_utf8("\xC3"));              // truncated
  EXPECT_FALSE(valid_utf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(valid_utf8("\xE0\x80\xAF"));      // overlong
  EXPECT_FALSE(valid_utf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(valid_utf8("\xF4\x90\x80\x80"));  // beyond U+10FFFF
  EXPECT_FALSE(valid_utf8("\xFF"));
  EXPECT_FALSE(valid_utf8("ok\xE4\xB8"));  // truncated at the end
}

TEST(RequestFieldsTest, InvalidUtf8InAStringFieldIsInvalidField) {
  boost::json::object o;
  o["body"] = boost::json::string("bad \xC3\x28 byte");
  EXPECT_EQ(body_field(o).code(), errc::invalid_field);
  o["title"] = boost::json::string("\xED\xA0\x80");
  EXPECT_EQ(title_field(o).code(), errc::invalid_field);
}

TEST(RequestFieldsTest, IntegersMustBeWholeAndInRange) {
  EXPECT_EQ(*room_id_field(obj(R"({"room_id":4})")), room_id(4));
  EXPECT_EQ(room_id_field(obj(R"({"room_id":0})")).code(), errc::invalid_field);
  EXPECT_EQ(room_id_field(obj(R"({"room_id":-3})")).code(), errc::invalid_field);
  EXPECT_EQ(room_id_field(obj(R"({"room_id":4.5})")).code(), errc::invalid_field);
  EXPECT_EQ(room_id_field(obj(R"({"room_id":"4"})")).code(), errc::invalid_field);
  EXPECT_EQ(room_id_field(obj(R"({"room_id":true})")).code(), errc::invalid_field);
  EXPECT_EQ(room_id_field(obj(R"({"room_id":18446744073709551615})")).code(), errc::invalid_field);
  EXPECT_EQ(room_id_field(obj(R"({})")).code(), errc::invalid_field);
  EXPECT_EQ(*limit_field(obj(R"({})")), 100);
  EXPECT_EQ(*limit_field(obj(R"({"limit":1})")), 1);
  EXPECT_EQ(*limit_field(obj(R"({"limit":500})")), 500);
  EXPECT_EQ(limit_field(obj(R"({"limit":501})")).code(), errc::invalid_field);
  EXPECT_EQ(limit_field(obj(R"({"limit":0})")).code(), errc::invalid_field);
  EXPECT_EQ(*seq_field(obj(R"({})"), "before", presence::optional), 0);
  EXPECT_EQ(seq_field(obj(R"({})"), "after", presence::required).code(), errc::invalid_field);
  EXPECT_EQ(seq_field(obj(R"({"after":-1})"), "after", presence::required).code(),
            errc::invalid_field);
}

TEST(RequestFieldsTest, ClientIdCharsetAndLength) {
  EXPECT_EQ(*client_id_field(obj(R"({"client_id":"Az09_-"})")), "Az09_-");
  EXPECT_TRUE(client_id_field(obj(R"({"client_id":")" + std::string(64, 'x') + R"("})")));
  EXPECT_EQ(client_id_field(obj(R"({"client_id":")" + std::string(65, 'x') + R"("})")).code(),
            errc::field_too_long);
  EXPECT_EQ(client_id_field(obj(R"({"client_id":""})")).code(), errc::invalid_field);
  EXPECT_EQ(client_id_field(obj(R"({"client_id":"a b"})")).code(), errc::invalid_field);
  EXPECT_EQ(client_id_field(obj(R"({"client_id":"a.b"})")).code(), errc::invalid_field);
  EXPECT_EQ(client_id_field(obj(R"({"client_id":"한"})")).code(), errc::invalid_field);
  EXPECT_EQ(client_id_field(obj(R"({"client_id":12})")).code(), errc::invalid_field);
}

TEST(RequestFieldsTest, MemberListsAreBoundedArraysOfNames) {
  EXPECT_EQ(member_names_field(obj(R"({})"), 0)->size(), 0u);
  EXPECT_EQ(member_names_field(obj(R"({})"), 1).code(), errc::invalid_field);
  EXPECT_EQ(member_names_field(obj(R"({"members":[]})"), 1).code(), errc::invalid_field);
  EXPECT_EQ(member_names_field(obj(R"({"members":"jun"})"), 0).code(), errc::invalid_field);
  EXPECT_EQ(member_names_field(obj(R"({"members":["jun",3]})"), 0).code(), errc::invalid_field);
  EXPECT_EQ(member_names_field(obj(R"({"members":["JUN"]})"), 0).code(), errc::invalid_field);
  boost::json::array names;
  for (int i = 0; i < 100; ++i) names.push_back(boost::json::string("user" + std::to_string(i)));
  boost::json::object o;
  o["members"] = names;
  EXPECT_EQ(member_names_field(o, 1)->size(), 100u);
  names.push_back("user100");
  o["members"] = names;
  EXPECT_EQ(member_names_field(o, 1).code(), errc::field_too_long);
}

TEST(RequestFieldsTest, UnknownFieldsAreIgnored) {
  EXPECT_TRUE(body_field(obj(R"({"body":"hi","colour":"red"})")));
}

}  // namespace
}  // namespace haetae::api
