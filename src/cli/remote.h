#pragma once
// What the client subcommands share: calling the server as the saved session, and reporting
// errors and usage the same way everywhere.
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "base/result.h"
#include "cli/args.h"
#include "cli/session_file.h"

namespace haetae::cli {

// `op` over HTTP as the logged-in user (session file; --server overrides its URL).
result<boost::json::object> call_as_session(const args& a, std::string_view op,
                                            const boost::json::object& params);
result<saved_session> current_session(const args& a);

// "haetae: <message>" on stderr; returns 1.
int report_error(const error& e);
// The usage line of `command` and `why` on stderr; returns 2.
int usage_error(std::string_view command, std::string_view why);

// Parsed positional room id, or an error.
result<room_id> parse_room_id(std::string_view text);

}  // namespace haetae::cli

namespace haetae::cli {
// --password, else $HAETAE_PASSWORD, else the first line of stdin.
result<std::string> read_password(const args& a);
}  // namespace haetae::cli
