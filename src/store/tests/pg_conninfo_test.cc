// Connection-string rewriting: after a failover the dead primary's host is tried last.
#include <gtest/gtest.h>

#include "store/postgres/pg_conn.h"

namespace haetae::store::pg {
namespace {

TEST(ConninfoTest, TheLastGoodHostMovesToTheEndWithItsPort) {
  auto out = with_host_last(
      "host=10.0.0.1,10.0.0.2,10.0.0.3 port=5432,5433,5434 dbname=x "
      "target_session_attrs=read-write",
      "10.0.0.1");
  EXPECT_NE(out.find("host='10.0.0.2,10.0.0.3,10.0.0.1'"), std::string::npos) << out;
  EXPECT_NE(out.find("port='5433,5434,5432'"), std::string::npos) << out;
  EXPECT_NE(out.find("target_session_attrs='read-write'"), std::string::npos) << out;
  EXPECT_NE(out.find("dbname='x'"), std::string::npos) << out;
  auto middle = with_host_last("host=a,b,c port=5432", "b");
  EXPECT_NE(middle.find("host='c,a,b'"), std::string::npos) << middle;
  EXPECT_NE(middle.find("port='5432'"), std::string::npos) << middle;
}

TEST(ConninfoTest, ASingleOrUnknownHostOrBadStringIsLeftAlone) {
  EXPECT_EQ(with_host_last("host=a dbname=x", "a"), "host=a dbname=x");
  EXPECT_EQ(with_host_last("host=a,b dbname=x", "z"), "host=a,b dbname=x");
  EXPECT_EQ(with_host_last("host='unterminated", "a"), "host='unterminated");
}

TEST(ConninfoTest, AnOptionIsSetAndValuesAreQuoted) {
  auto out = with_option("host=a password='it\\'s me'", "tcp_user_timeout", "800");
  EXPECT_NE(out.find("tcp_user_timeout='800'"), std::string::npos) << out;
  EXPECT_NE(out.find("password='it\\'s me'"), std::string::npos) << out;
  auto uri = with_option("postgresql://u@h:5433/db", "connect_timeout", "2");
  EXPECT_NE(uri.find("host='h'"), std::string::npos) << uri;
  EXPECT_NE(uri.find("port='5433'"), std::string::npos) << uri;
  EXPECT_NE(uri.find("connect_timeout='2'"), std::string::npos) << uri;
}

}  // namespace
}  // namespace haetae::store::pg
