#pragma once
// Every size limit of haetae in one place; docs/protocol.md lists the same numbers.
#include <cstddef>

namespace haetae::limits {

inline constexpr std::size_t max_http_body_bytes = 64 * 1024;
inline constexpr std::size_t max_ws_frame_bytes = 64 * 1024;
inline constexpr std::size_t max_user_name_bytes = 32;  // [a-z0-9_.-], at least 3
inline constexpr std::size_t min_user_name_bytes = 3;
inline constexpr std::size_t max_display_name_bytes = 64;  // UTF-8
inline constexpr std::size_t min_password_bytes = 8;
inline constexpr std::size_t max_password_bytes = 256;
inline constexpr std::size_t max_device_name_bytes = 64;
inline constexpr std::size_t max_room_title_bytes = 100;     // UTF-8
inline constexpr std::size_t max_message_bytes = 16 * 1024;  // UTF-8 text of one message
inline constexpr std::size_t max_client_id_bytes = 64;       // [A-Za-z0-9_-], at least 1
inline constexpr std::size_t max_members_per_request = 100;  // names in one create/invite
inline constexpr std::size_t max_room_members = 1000;
inline constexpr std::size_t max_cursors_per_sync = 500;  // rooms in one sync request
inline constexpr int default_page = 100;                  // events per history/sync page
inline constexpr int max_page = 500;
inline constexpr std::size_t max_ws_queued_bytes = 4 * 1024 * 1024;  // then the socket is closed
inline constexpr std::size_t max_in_flight_per_socket = 1000;        // requests awaiting replies

}  // namespace haetae::limits
