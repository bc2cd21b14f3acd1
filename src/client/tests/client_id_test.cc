#include "client/client_id.h"

#include <gtest/gtest.h>

#include <set>

namespace haetae::client {
namespace {

TEST(ClientIdTest, IdsAre32HexDigitsAndDistinct) {
  client_id_generator g;
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) {
    std::string id = g.next();
    ASSERT_EQ(id.size(), 32u);
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 1000u);
}

TEST(ClientIdTest, SeededGeneratorsRepeat) {
  client_id_generator a(5), b(5), c(6);
  EXPECT_EQ(a.next(), b.next());
  EXPECT_NE(a.next(), c.next());
}

}  // namespace
}  // namespace haetae::client
