#pragma once
// The rules of room membership and read markers, written once for both backends over their
// write transactions (room_tx.h): who may open, create, invite, leave and mark read, the member
// limit, which events each change appends in which order, who receives the change, and the
// typed errors. The contract is store.h's; each function is one store write.
#include <vector>

#include "base/result.h"
#include "store/room_tx.h"
#include "store/types.h"

namespace haetae::store::room_rules {

result<room_change> open_direct_room(room_tx& tx, user_id user, user_id other);
result<room_change> create_group_room(room_tx& tx, const group_request& request);
result<room_change> invite(room_tx& tx, user_id actor, room_id room,
                           const std::vector<user_id>& invitees);
result<room_change> leave(room_tx& tx, user_id user, room_id room);
result<read_update> mark_read(room_tx& tx, user_id user, room_id room, seq_no seq);

}  // namespace haetae::store::room_rules
