#include "base/errc.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace haetae {

TEST(ErrcTest, EveryCodeHasAUniqueNameAndAMessage) {
  std::set<std::string> names;
  for (errc code : all_errcs) {
    std::string name(errc_name(code));
    EXPECT_FALSE(name.empty());
    EXPECT_NE(name, "ok");
    EXPECT_TRUE(names.insert(name).second) << "duplicate name " << name;
    EXPECT_FALSE(errc_message(code).empty());
    if (code != errc::internal) {
      EXPECT_NE(errc_message(code), "internal error") << name;
    }
  }
  EXPECT_EQ(make_error_code(errc::not_room_member).message(), "you are not a member of this room");
}

}  // namespace haetae
