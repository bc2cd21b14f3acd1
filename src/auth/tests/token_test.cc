#include "auth/token.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace haetae::auth {

TEST(TokenTest, NewTokensAreWellFormedAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string t = new_token();
    EXPECT_EQ(t.size(), 64u);
    EXPECT_TRUE(well_formed_token(t)) << t;
    EXPECT_TRUE(seen.insert(t).second);
  }
}

TEST(TokenTest, HashIsStableHexAndDiffersFromToken) {
  std::string t = new_token();
  std::string h = hash_token(t);
  EXPECT_EQ(h, hash_token(t));
  EXPECT_EQ(h.size(), 64u);
  EXPECT_TRUE(well_formed_token(h));
  EXPECT_NE(h, t);
  EXPECT_NE(h, hash_token(new_token()));
}

TEST(TokenTest, HashOfEmptyIsBlake2bKnownAnswer) {
  // BLAKE2b-256 of the empty string.
  EXPECT_EQ(hash_token(""), "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
}

TEST(TokenTest, MalformedTokensAreRejected) {
  std::string good(64, 'a');
  EXPECT_TRUE(well_formed_token(good));
  EXPECT_FALSE(well_formed_token(""));
  EXPECT_FALSE(well_formed_token(std::string(63, 'a')));
  EXPECT_FALSE(well_formed_token(std::string(65, 'a')));
  EXPECT_FALSE(well_formed_token(std::string(64, 'A')));  // uppercase is not what we issue
  EXPECT_FALSE(well_formed_token(std::string(63, 'a') + "g"));
  EXPECT_FALSE(well_formed_token(std::string(63, 'a') + " "));
  EXPECT_FALSE(well_formed_token(std::string(63, 'a') + '\0'));
}

}  // namespace haetae::auth
