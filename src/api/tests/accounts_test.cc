// signup, login, logout, me, profile.update, and authentication.
#include <string>

#include "api/tests/dispatcher_fixture.h"
#include "auth/token.h"

namespace haetae::api::testing {
namespace {

using AccountsTest = DispatcherTest;

TEST_P(AccountsTest, SignupReturnsTheUserWithDisplayNameDefaultingToName) {
  auto r = ok(std::nullopt, "signup", R"({"name":"minji","password":"password1"})");
  auto& user = r["user"].as_object();
  EXPECT_GT(user["id"].as_int64(), 0);
  EXPECT_EQ(user["name"], "minji");
  EXPECT_EQ(user["display_name"], "minji");
  EXPECT_FALSE(user.contains("password_hash"));
  auto r2 =
      ok(std::nullopt, "signup", R"({"name":"jun","password":"password1","display_name":"준"})");
  EXPECT_EQ(r2["user"].as_object()["display_name"], "준");
}

TEST_P(AccountsTest, SignupWithTakenNameFails) {
  ok(std::nullopt, "signup", R"({"name":"minji","password":"password1"})");
  EXPECT_EQ(call(std::nullopt, "signup", R"({"name":"minji","password":"password2"})").code(),
            errc::name_taken);
}

TEST_P(AccountsTest, SignupRejectsBadFieldsWithoutTouchingTheStore) {
  rejected_untouched(std::nullopt, "signup", R"({"password":"password1"})", errc::invalid_field);
  rejected_untouched(std::nullopt, "signup", R"({"name":"minji"})", errc::invalid_field);
  rejected_untouched(std::nullopt, "signup", R"({"name":5,"password":"password1"})",
                     errc::invalid_field);
  rejected_untouched(std::nullopt, "signup", R"({"name":"minji","password":12345678})",
                     errc::invalid_field);
  rejected_untouched(std::nullopt, "signup", R"({"name":"Minji","password":"password1"})",
                     errc::invalid_field);
  rejected_untouched(std::nullopt, "signup", R"({"name":"mi nji","password":"password1"})",
                     errc::invalid_field);
  rejected_untouched(std::nullopt, "signup", R"({"name":"mj","password":"password1"})",
                     errc::invalid_field);
  rejected_untouched(std::nullopt, "signup", R"({"name":"minji","password":"short77"})",
                     errc::invalid_field);
  rejected_untouched(std::nullopt, "signup",
                     R"({"name":"minji","password":"password1","display_name":""})",
                     errc::invalid_field);
  rejected_untouched(std::nullopt, "signup",
                     R"({"name":"minji","password":"password1","display_name":7})",
                     errc::invalid_field);
}

TEST_P(AccountsTest, NameLimitIs32BytesAndPasswordLimitIs256) {
  std::string name32(32, 'a');
  std::string pw256(256, 'p');
  rejected_untouched(std::nullopt, "signup",
                     R"({"name":")" + name32 + R"(a","password":"password1"})",
                     errc::field_too_long);
  rejected_untouched(std::nullopt, "signup", R"({"name":"minji","password":")" + pw256 + R"(p"})",
                     errc::field_too_long);
  ok(std::nullopt, "signup", R"({"name":")" + name32 + R"(","password":")" + pw256 + R"("})");
  // Three bytes, every allowed character class.
  ok(std::nullopt, "signup", R"({"name":"a.b","password":"password1"})");
  ok(std::nullopt, "signup", R"({"name":"0_-","password":"password1"})");
}

TEST_P(AccountsTest, DisplayNameLimitIs64Bytes) {
  std::string korean21 = "가나다라마바사아자차카타파하가나다라마바사";  // 21 × 3 bytes
  ASSERT_EQ(korean21.size(), 63u);
  rejected_untouched(
      std::nullopt, "signup",
      R"({"name":"minji","password":"password1","display_name":")" + korean21 + R"(가"})",
      errc::field_too_long);
  auto r = ok(std::nullopt, "signup",
              R"({"name":"minji","password":"password1","display_name":")" + korean21 + R"(!"})");
  EXPECT_EQ(r["user"].as_object()["display_name"].as_string().size(), 64u);
}

TEST_P(AccountsTest, LoginReturnsAWorkingTokenPerDevice) {
  ok(std::nullopt, "signup", R"({"name":"minji","password":"password1"})");
  auto phone =
      ok(std::nullopt, "login", R"({"name":"minji","password":"password1","device":"phone"})");
  auto pc = ok(std::nullopt, "login", R"({"name":"minji","password":"password1"})");
  std::string token(phone["token"].as_string());
  EXPECT_TRUE(auth::well_formed_token(token));
  EXPECT_NE(phone["token"], pc["token"]);
  EXPECT_NE(phone["device_id"], pc["device_id"]);
  EXPECT_EQ(phone["user"].as_object()["name"], "minji");
  EXPECT_FALSE(phone["user"].as_object().contains("password_hash"));

  auto who = authenticate(token);
  ASSERT_TRUE(who);
  EXPECT_EQ(who->device.value, phone["device_id"].as_int64());
  auto me = ok(*who, "me");
  EXPECT_EQ(me["user"].as_object()["id"].as_int64(), who->user.value);
}

TEST_P(AccountsTest, WrongPasswordAndUnknownUserGiveTheSameError) {
  ok(std::nullopt, "signup", R"({"name":"minji","password":"password1"})");
  auto wrong = call(std::nullopt, "login", R"({"name":"minji","password":"password2"})");
  auto unknown = call(std::nullopt, "login", R"({"name":"nobody","password":"password1"})");
  EXPECT_EQ(wrong.code(), errc::invalid_credentials);
  EXPECT_EQ(unknown.code(), errc::invalid_credentials);
  EXPECT_EQ(wrong.err().text(), unknown.err().text());
}

TEST_P(AccountsTest, LoginRejectsBadFieldsWithoutTouchingTheStore) {
  rejected_untouched(std::nullopt, "login", R"({"name":"minji"})", errc::invalid_field);
  rejected_untouched(std::nullopt, "login", R"({"name":"minji","password":"password1","device":1})",
                     errc::invalid_field);
  rejected_untouched(
      std::nullopt, "login",
      R"({"name":"minji","password":"password1","device":")" + std::string(65, 'd') + R"("})",
      errc::field_too_long);
}

TEST_P(AccountsTest, MalformedForgedAndMissingTokensAreUnauthorized) {
  auto before = store_->calls();
  EXPECT_EQ(authenticate("").code(), errc::unauthorized);
  EXPECT_EQ(authenticate("not-a-token").code(), errc::unauthorized);
  EXPECT_EQ(authenticate(std::string(64, 'G')).code(), errc::unauthorized);
  EXPECT_EQ(authenticate(std::string(65, 'a')).code(), errc::unauthorized);
  EXPECT_EQ(store_->calls(), before) << "a malformed token reached the store";
  // Well formed but never issued.
  EXPECT_EQ(authenticate(auth::new_token()).code(), errc::unauthorized);
  // Ops that need a token refuse a call without one.
  rejected_untouched(std::nullopt, "me", "{}", errc::unauthorized);
  rejected_untouched(std::nullopt, "send", R"({"room_id":1,"client_id":"a","body":"x"})",
                     errc::unauthorized);
}

TEST_P(AccountsTest, LogoutRevokesOnlyThatToken) {
  ok(std::nullopt, "signup", R"({"name":"minji","password":"password1"})");
  auto a = ok(std::nullopt, "login", R"({"name":"minji","password":"password1"})");
  auto b = ok(std::nullopt, "login", R"({"name":"minji","password":"password1"})");
  auto who_a = authenticate(std::string(a["token"].as_string()));
  ASSERT_TRUE(who_a);
  EXPECT_TRUE(ok(*who_a, "logout").empty());
  EXPECT_EQ(authenticate(std::string(a["token"].as_string())).code(), errc::unauthorized);
  EXPECT_TRUE(authenticate(std::string(b["token"].as_string())));
}

TEST_P(AccountsTest, ProfileUpdateChangesDisplayName) {
  auto me = user("minji");
  auto r = ok(me, "profile.update", R"({"display_name":"민지"})");
  EXPECT_EQ(r["user"].as_object()["display_name"], "민지");
  EXPECT_EQ(ok(me, "me")["user"].as_object()["display_name"], "민지");
  rejected_untouched(me, "profile.update", "{}", errc::invalid_field);
  rejected_untouched(me, "profile.update", R"({"display_name":""})", errc::invalid_field);
  rejected_untouched(me, "profile.update", R"({"display_name":["x"]})", errc::invalid_field);
}

TEST_P(AccountsTest, UnknownOpIsRejected) {
  auto me = user("minji");
  rejected_untouched(me, "drop_tables", "{}", errc::unknown_op);
  rejected_untouched(std::nullopt, "", "{}", errc::unknown_op);
  auto odd = call(me, "\xff\xfe\"<script>", "{}");
  EXPECT_EQ(odd.code(), errc::unknown_op);
  EXPECT_EQ(odd.err().text(), "no such operation");  // never echoes bytes that are not a name
  EXPECT_EQ(call(me, "rooms.explode", "{}").err().text(), "no such operation: rooms.explode");
  EXPECT_TRUE(dispatcher::needs_auth("drop_tables"));
  EXPECT_FALSE(dispatcher::needs_auth("signup"));
  EXPECT_FALSE(dispatcher::needs_auth("login"));
  EXPECT_TRUE(dispatcher::needs_auth("send"));
}

TEST_P(AccountsTest, FullHashPoolRefusesSignupAndLoginWithOverloaded) {
  auto me = user("minji");
  dispatcher_options options;
  options.hash_threads = 1;
  options.max_queued_hashes = 0;  // the queue is always full
  restart(options);
  EXPECT_EQ(call(std::nullopt, "signup", R"({"name":"jun","password":"password1"})").code(),
            errc::overloaded);
  EXPECT_EQ(call(std::nullopt, "login", R"({"name":"minji","password":"password1"})").code(),
            errc::overloaded);
  // Ops that need no hash still work; the refused signup created nothing.
  EXPECT_EQ(call(me, "friends.add", R"({"name":"jun"})").code(), errc::not_found);
}

TEST_P(AccountsTest, FullReadPoolRefusesReadsWithOverloaded) {
  auto me = user("minji");
  dispatcher_options options;
  options.max_queued_reads = 0;
  restart(options);
  EXPECT_EQ(call(me, "me").code(), errc::overloaded);
  EXPECT_EQ(call(me, "rooms.list").code(), errc::overloaded);
}

HAETAE_ALL_BACKENDS(AccountsTest);

}  // namespace
}  // namespace haetae::api::testing
