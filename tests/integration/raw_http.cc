#include "raw_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstring>

namespace haetae::testing {

raw_response raw_http(int port, const std::string& method, const std::string& path,
                      const std::string& body, const std::string& headers) {
  return raw_exchange(
      port, method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers +
                "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
                "\r\nConnection: close\r\n\r\n" + body);
}

raw_response raw_exchange(int port, const std::string& request) {
  raw_response out;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return out;
  timeval timeout{30, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return out;
  }
  std::size_t written = 0;
  while (written < request.size()) {
    ssize_t n = send(fd, request.data() + written, request.size() - written, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer and close before reading an oversized body
    written += static_cast<std::size_t>(n);
  }
  std::string response;
  char buffer[8192];
  for (;;) {
    ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    response.append(buffer, static_cast<std::size_t>(n));
    // A 101 keeps the stream open: its headers are all there is to read.
    if (response.rfind("HTTP/1.1 101", 0) == 0 && response.find("\r\n\r\n") != std::string::npos) {
      break;
    }
  }
  close(fd);
  if (response.rfind("HTTP/1.1 ", 0) != 0 || response.size() < 12) return out;
  out.status = std::atoi(response.c_str() + 9);
  auto end_of_headers = response.find("\r\n\r\n");
  if (end_of_headers != std::string::npos) {
    out.headers = response.substr(0, end_of_headers);
    out.body = response.substr(end_of_headers + 4);
  }
  return out;
}

}  // namespace haetae::testing
