#include "client/node_url.h"

#include <boost/url/parse.hpp>

namespace haetae::client {

result<node_url> node_url::parse(std::string_view text) {
  auto u = boost::urls::parse_uri(text);
  if (!u) return make_error(errc::invalid_field, "not a URL: '" + std::string(text) + "'");
  std::string scheme(u->scheme());
  if (scheme != "http" && scheme != "ws") {
    return make_error(errc::invalid_field,
                      "unsupported scheme '" + scheme + "' (use http://host:port)");
  }
  node_url n;
  n.host = std::string(u->host());
  n.port = u->has_port() ? std::string(u->port()) : std::string("80");
  n.text = std::string(text);
  while (!n.text.empty() && n.text.back() == '/') n.text.pop_back();
  if (n.host.empty()) return make_error(errc::invalid_field, "URL has no host: '" + n.text + "'");
  return n;
}

}  // namespace haetae::client
