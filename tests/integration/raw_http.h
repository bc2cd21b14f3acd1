#pragma once
// A deliberately dumb HTTP/1.1 client on POSIX sockets, for sending what no real client would:
// broken JSON, wrong lengths, oversized bodies, forged headers.
#include <string>

namespace haetae::testing {

struct raw_response {
  int status = 0;       // 0: no parsable response
  std::string headers;  // the header lines, as received
  std::string body;
};

// Sends `method path` with `body` and the given extra header lines ("Name: value\r\n" each),
// with Connection: close, and reads the whole response (bounded by a 30 s socket timeout).
raw_response raw_http(int port, const std::string& method, const std::string& path,
                      const std::string& body, const std::string& headers = {});

// Sends `request` as it is and reads the response up to the end of its headers (enough for an
// upgrade answer) or the end of the stream.
raw_response raw_exchange(int port, const std::string& request);

}  // namespace haetae::testing
