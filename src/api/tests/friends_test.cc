// friends.add, friends.block, friends.list.
#include "api/tests/dispatcher_fixture.h"

namespace haetae::api::testing {
namespace {

using FriendsTest = DispatcherTest;

TEST_P(FriendsTest, AddListAndBlock) {
  auto minji = user("minji");
  user("jun");
  auto added = ok(minji, "friends.add", R"({"name":"jun"})");
  EXPECT_EQ(added["friend"].as_object()["name"], "jun");
  EXPECT_EQ(added["friend"].as_object()["state"], "friend");
  // Idempotent.
  ok(minji, "friends.add", R"({"name":"jun"})");
  auto list = ok(minji, "friends.list");
  ASSERT_EQ(list["friends"].as_array().size(), 1u);
  EXPECT_EQ(list["friends"].as_array()[0].as_object()["name"], "jun");

  auto blocked = ok(minji, "friends.block", R"({"name":"jun"})");
  EXPECT_EQ(blocked["friend"].as_object()["state"], "blocked");
  EXPECT_EQ(ok(minji, "friends.list")["friends"].as_array()[0].as_object()["state"], "blocked");
  // Adding again un-blocks.
  EXPECT_EQ(ok(minji, "friends.add", R"({"name":"jun"})")["friend"].as_object()["state"], "friend");
}

TEST_P(FriendsTest, UnknownNameIsNotFoundAndSelfIsInvalid) {
  auto minji = user("minji");
  EXPECT_EQ(call(minji, "friends.add", R"({"name":"ghost"})").code(), errc::not_found);
  EXPECT_EQ(call(minji, "friends.block", R"({"name":"ghost"})").code(), errc::not_found);
  EXPECT_EQ(call(minji, "friends.add", R"({"name":"minji"})").code(), errc::invalid_field);
  EXPECT_TRUE(ok(minji, "friends.list")["friends"].as_array().empty());
}

TEST_P(FriendsTest, BadNamesAreRejectedWithoutTouchingTheStore) {
  auto minji = user("minji");
  rejected_untouched(minji, "friends.add", "{}", errc::invalid_field);
  rejected_untouched(minji, "friends.add", R"({"name":null})", errc::invalid_field);
  rejected_untouched(minji, "friends.add", R"({"name":["jun"]})", errc::invalid_field);
  rejected_untouched(minji, "friends.block", R"({"name":"J"})", errc::invalid_field);
  rejected_untouched(minji, "friends.block", R"({"name":")" + std::string(33, 'j') + R"("})",
                     errc::field_too_long);
}

HAETAE_ALL_BACKENDS(FriendsTest);

}  // namespace
}  // namespace haetae::api::testing
