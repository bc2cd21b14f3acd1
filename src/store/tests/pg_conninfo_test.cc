// Connection-string rewriting: after a failover the dead primary's host is tried last.
#include <gtest/gtest.h>

#include "store/postgres/pg_conn.h"

namespace haetae::store::pg {
namespace {

TEST(ConninfoTest, AMultiHostStringSplitsIntoOnePerHostWithItsPort) {
  auto out = per_host_conninfos(
      "host=10.0.0.1,10.0.0.2,10.0.0.3 port=5432,5433,5434 dbname=x "
      "target_session_attrs=read-write");
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[1].first, "10.0.0.2");
  EXPECT_NE(out[1].second.find("host='10.0.0.2'"), std::string::npos) << out[1].second;
  EXPECT_NE(out[1].second.find("port='5433'"), std::string::npos) << out[1].second;
  EXPECT_NE(out[1].second.find("dbname='x'"), std::string::npos) << out[1].second;
  EXPECT_NE(out[1].second.find("target_session_attrs='read-write'"), std::string::npos);
  auto shared_port = per_host_conninfos("host=a,b port=5432");
  ASSERT_EQ(shared_port.size(), 2u);
  EXPECT_NE(shared_port[0].second.find("port='5432'"), std::string::npos);
}

TEST(ConninfoTest, ASingleHostOrBadStringIsOneTargetLeftAlone) {
  auto one = per_host_conninfos("host=a dbname=x");
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].second, "host=a dbname=x");
  auto bad = per_host_conninfos("host='unterminated");
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0].second, "host='unterminated");
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
