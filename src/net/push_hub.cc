#include "net/push_hub.h"

#include <algorithm>

namespace haetae::net {

push_hub::push_hub(boost::asio::io_context& io) : mailbox_(io) {}

void push_hub::push(const std::vector<user_id>& users, std::shared_ptr<const std::string> frame) {
  if (users.empty() || !frame) return;
  // One post per push, not per recipient: the io thread fans out.
  mailbox_.post([this, users, frame = std::move(frame)] { deliver(users, frame); });
}

void push_hub::deliver(const std::vector<user_id>& users,
                       const std::shared_ptr<const std::string>& frame) {
  std::uint64_t n = 0;
  for (user_id u : users) {
    auto it = by_user_.find(u);
    if (it == by_user_.end()) continue;
    // push_frame never removes from the hub, so iterating in place is safe.
    for (push_target* t : it->second) {
      t->push_frame(frame);
      ++n;
    }
  }
  delivered_.fetch_add(n, std::memory_order_relaxed);
}

void push_hub::add(user_id user, push_target* target) { by_user_[user].push_back(target); }

void push_hub::remove(user_id user, push_target* target) {
  auto it = by_user_.find(user);
  if (it == by_user_.end()) return;
  auto& v = it->second;
  v.erase(std::remove(v.begin(), v.end(), target), v.end());
  if (v.empty()) by_user_.erase(it);
}

void push_hub::close_all() {
  std::vector<push_target*> all;
  for (auto& [user, targets] : by_user_) all.insert(all.end(), targets.begin(), targets.end());
  for (push_target* t : all) t->close_stalled();
}

std::size_t push_hub::sessions_of(user_id user) const {
  auto it = by_user_.find(user);
  return it == by_user_.end() ? 0 : it->second.size();
}

}  // namespace haetae::net
