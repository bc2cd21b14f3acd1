// The node serves the built web client at / (issue 3): right content types, index.html
// revalidated and hashed assets cached for good, nothing outside the loaded files, and a
// WebSocket only for pages of this node's own origin or the cluster's.
#include <gtest/gtest.h>

#include <fstream>

#include "raw_http.h"
#include "server_process.h"

namespace haetae::testing {
namespace {

bool has_header(const raw_response& r, const std::string& line) {
  return r.headers.find(line) != std::string::npos;
}

class WebServingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto web = dir_.path() / "web";
    std::filesystem::create_directories(web / "assets");
    std::ofstream(web / "index.html") << "<!doctype html><title>haetae</title>";
    std::ofstream(web / "assets" / "app-1a2b3c.js") << "console.log('hi')";
    server_ = std::make_unique<server_process>(
        dir_.path() / "data", 0,
        std::vector<std::string>{"--web", web.string(), "--allow-origin", "http://dc2.example"});
  }

  raw_response upgrade(const std::string& origin_line) {
    return raw_exchange(server_->port(),
                        "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(server_->port()) +
                            "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                            "Sec-WebSocket-Version: 13\r\n" +
                            origin_line + "\r\n");
  }

  temp_dir dir_;
  std::unique_ptr<server_process> server_;
};

TEST_F(WebServingTest, IndexIsRevalidatedAndHashedAssetsAreCachedForGood) {
  auto index = raw_http(server_->port(), "GET", "/", "");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<!doctype html><title>haetae</title>");
  EXPECT_TRUE(has_header(index, "Content-Type: text/html; charset=utf-8")) << index.headers;
  EXPECT_TRUE(has_header(index, "Cache-Control: no-cache")) << index.headers;
  EXPECT_TRUE(has_header(index, "X-Content-Type-Options: nosniff")) << index.headers;
  EXPECT_TRUE(has_header(index, "Content-Security-Policy: default-src 'self'")) << index.headers;

  auto script = raw_http(server_->port(), "GET", "/assets/app-1a2b3c.js", "");
  EXPECT_EQ(script.status, 200);
  EXPECT_TRUE(has_header(script, "Content-Type: text/javascript")) << script.headers;
  EXPECT_TRUE(has_header(script, "immutable")) << script.headers;
}

TEST_F(WebServingTest, NothingOutsideTheWebClientIsServed) {
  EXPECT_EQ(raw_http(server_->port(), "GET", "/../../../etc/passwd", "").status, 404);
  EXPECT_EQ(raw_http(server_->port(), "GET", "/assets/../../data/haetae.db", "").status, 404);
  EXPECT_EQ(raw_http(server_->port(), "GET", "/nope.html", "").status, 404);
}

TEST_F(WebServingTest, WebSocketOpensOnlyForOwnOrAllowedOrigins) {
  const std::string own = "http://127.0.0.1:" + std::to_string(server_->port());
  EXPECT_EQ(upgrade("Origin: " + own + "\r\n").status, 101);
  EXPECT_EQ(upgrade("Origin: http://dc2.example\r\n").status, 101);
  EXPECT_EQ(upgrade("").status, 101) << "clients that are not browsers send no Origin";
  auto refused = upgrade("Origin: http://evil.example\r\n");
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("unauthorized"), std::string::npos) << refused.body;
}

TEST(WebServingWithoutClientTest, RootSaysTheWebClientIsNotBuilt) {
  temp_dir dir;
  server_process server(dir.path() / "data", 0, {"--web", (dir.path() / "missing").string()});
  auto page = raw_http(server.port(), "GET", "/", "");
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("not built"), std::string::npos);
}

}  // namespace
}  // namespace haetae::testing
