#pragma once
// An in-memory store::store for the dispatcher tests: the contract of store/store.h in its simplest
// form (one mutex, one writer thread so completions arrive on a store thread as in production).
// It counts every call, so a test can prove that a rejected request never reached the store.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "base/clock.h"
#include "store/store.h"

namespace haetae::api::testing {

class fake_store final : public store::store {
 public:
  fake_store() : writer_([this] { run(); }) {}
  ~fake_store() override {
    {
      std::lock_guard lock(queue_mu_);
      stopping_ = true;
    }
    queue_cv_.notify_all();
    writer_.join();
  }

  std::uint64_t calls() const { return calls_.load(); }

  // --- writes ---
  void create_user(std::string name, std::string display_name, std::string password_hash,
                   ::haetae::store::completion<::haetae::store::user_record> done) override {
    write(
        [=, this]() -> result<::haetae::store::user_record> {
          for (auto& [id, u] : users_) {
            if (u.name == name) return errc::name_taken;
          }
          ::haetae::store::user_record u{user_id(next_user_++), name, display_name, password_hash};
          users_[u.id.value] = u;
          return u;
        },
        std::move(done));
  }
  void create_session(user_id user, std::string token_hash, std::string device_name,
                      ::haetae::store::completion<::haetae::store::session_record> done) override {
    write(
        [=, this]() -> result<::haetae::store::session_record> {
          ::haetae::store::session_record s{user, device_id(next_device_++), device_name};
          sessions_[token_hash] = s;
          return s;
        },
        std::move(done));
  }
  void delete_session(std::string token_hash, ::haetae::store::completion<done> d) override {
    write(
        [=, this]() -> result<done> {
          sessions_.erase(token_hash);
          return done{};
        },
        std::move(d));
  }
  void update_display_name(
      user_id user, std::string display_name,
      ::haetae::store::completion<::haetae::store::user_record> done) override {
    write(
        [=, this]() -> result<::haetae::store::user_record> {
          auto it = users_.find(user.value);
          if (it == users_.end()) return errc::not_found;
          it->second.display_name = display_name;
          return it->second;
        },
        std::move(done));
  }
  void add_friend(user_id user, user_id other,
                  ::haetae::store::completion<::haetae::store::friend_entry> done) override {
    set_friend(user, other, ::haetae::store::friend_state::friend_, std::move(done));
  }
  void block_user(user_id user, user_id other,
                  ::haetae::store::completion<::haetae::store::friend_entry> done) override {
    set_friend(user, other, ::haetae::store::friend_state::blocked, std::move(done));
  }
  void open_direct_room(user_id user, user_id other,
                        ::haetae::store::completion<::haetae::store::room_change> done) override {
    write(
        [=, this]() -> result<::haetae::store::room_change> {
          if (!users_.count(other.value)) return errc::not_found;
          auto blocked = friends_.find({other.value, user.value});
          if (blocked != friends_.end() &&
              blocked->second == ::haetae::store::friend_state::blocked) {
            return errc::blocked;
          }
          auto key = std::minmax(user.value, other.value);
          auto existing = direct_.find(key);
          if (existing != direct_.end())
            return ::haetae::store::room_change{room_id(existing->second), {}, {user, other}};
          room_state& r = new_room(::haetae::store::room_kind::direct, "");
          direct_[key] = r.id.value;
          ::haetae::store::room_change change{r.id, {}, {}};
          change.events.push_back(
              append(r, ::haetae::store::event_kind::created, user, user_id(), "", ""));
          for (user_id m : {user, other}) change.events.push_back(join(r, user, m));
          change.recipients = member_ids(r);
          return change;
        },
        std::move(done));
  }
  void create_group_room(::haetae::store::group_request request,
                         ::haetae::store::completion<::haetae::store::room_change> done) override {
    write(
        [=, this]() -> result<::haetae::store::room_change> {
          auto existing = groups_.find({request.creator.value, request.client_id});
          if (existing != groups_.end()) {
            return ::haetae::store::room_change{
                room_id(existing->second), {}, member_ids(rooms_.at(existing->second))};
          }
          room_state& r = new_room(::haetae::store::room_kind::group, request.title);
          groups_[{request.creator.value, request.client_id}] = r.id.value;
          ::haetae::store::room_change change{r.id, {}, {}};
          change.events.push_back(append(r, ::haetae::store::event_kind::created, request.creator,
                                         user_id(), request.client_id, request.title));
          change.events.push_back(join(r, request.creator, request.creator));
          for (user_id m : request.members) change.events.push_back(join(r, request.creator, m));
          change.recipients = member_ids(r);
          return change;
        },
        std::move(done));
  }
  void invite(user_id actor, room_id room_id_, std::vector<user_id> members,
              ::haetae::store::completion<::haetae::store::room_change> done) override {
    write(
        [=, this]() -> result<::haetae::store::room_change> {
          auto it = rooms_.find(room_id_.value);
          if (it == rooms_.end() || !it->second.members.count(actor.value))
            return errc::not_room_member;
          room_state& r = it->second;
          if (r.kind == ::haetae::store::room_kind::direct) return errc::invalid_field;
          ::haetae::store::room_change change{r.id, {}, {}};
          for (user_id m : members) {
            if (!r.members.count(m.value)) change.events.push_back(join(r, actor, m));
          }
          change.recipients = member_ids(r);
          return change;
        },
        std::move(done));
  }
  void leave(user_id user, room_id room_id_,
             ::haetae::store::completion<::haetae::store::room_change> done) override {
    write(
        [=, this]() -> result<::haetae::store::room_change> {
          auto it = rooms_.find(room_id_.value);
          if (it == rooms_.end()) return errc::not_room_member;
          room_state& r = it->second;
          if (!r.members.count(user.value)) {
            if (r.former.count(user.value)) return ::haetae::store::room_change{r.id, {}, {}};
            return errc::not_room_member;
          }
          auto recipients = member_ids(r);
          ::haetae::store::room_change change{r.id, {}, recipients};
          change.events.push_back(append(r, ::haetae::store::event_kind::left, user, user, "", ""));
          r.members.erase(user.value);
          r.former.insert(user.value);
          return change;
        },
        std::move(done));
  }
  void send(::haetae::store::send_request request,
            ::haetae::store::completion<::haetae::store::sent> done) override {
    write(
        [=, this]() -> result<::haetae::store::sent> {
          auto it = rooms_.find(request.room.value);
          if (it == rooms_.end() || !it->second.members.count(request.sender.value)) {
            return errc::not_room_member;
          }
          auto dup = sends_.find({request.sender.value, request.client_id});
          if (dup != sends_.end()) {
            ::haetae::store::send_ack ack = dup->second;
            ack.duplicate = true;
            return ::haetae::store::sent{ack, {ack.room, {}, {}}};
          }
          room_state& r = it->second;
          auto e = append(r, ::haetae::store::event_kind::message, request.sender, user_id(),
                          request.client_id, request.body);
          r.members[request.sender.value].read_seq = e.seq;
          e.unread = unread_of(r, e);
          r.events.back().unread = e.unread;
          ::haetae::store::send_ack ack{r.id, e.seq, e.time_ms, false};
          sends_[{request.sender.value, request.client_id}] = ack;
          return ::haetae::store::sent{ack, {r.id, {e}, member_ids(r)}};
        },
        std::move(done));
  }
  void mark_read(user_id user, room_id room_id_, seq_no seq,
                 ::haetae::store::completion<::haetae::store::read_update> done) override {
    write(
        [=, this]() -> result<::haetae::store::read_update> {
          auto it = rooms_.find(room_id_.value);
          if (it == rooms_.end() || !it->second.members.count(user.value))
            return errc::not_room_member;
          room_state& r = it->second;
          auto& m = r.members[user.value];
          m.read_seq = std::max(m.read_seq, std::min<seq_no>(seq, last_seq(r)));
          return ::haetae::store::read_update{r.id, user, m.read_seq, member_ids(r)};
        },
        std::move(done));
  }

  // --- reads ---
  result<::haetae::store::user_record> user_by_name(std::string_view name) override {
    std::lock_guard lock(mu_);
    ++calls_;
    for (auto& [id, u] : users_) {
      if (u.name == name) return u;
    }
    return errc::not_found;
  }
  result<::haetae::store::user_record> user_by_id(user_id id) override {
    std::lock_guard lock(mu_);
    ++calls_;
    auto it = users_.find(id.value);
    if (it == users_.end()) return errc::not_found;
    return it->second;
  }
  result<::haetae::store::session_record> session_by_token_hash(std::string_view h) override {
    std::lock_guard lock(mu_);
    ++calls_;
    auto it = sessions_.find(std::string(h));
    if (it == sessions_.end()) return errc::not_found;
    return it->second;
  }
  result<std::vector<::haetae::store::friend_entry>> friends(user_id user) override {
    std::lock_guard lock(mu_);
    ++calls_;
    std::vector<::haetae::store::friend_entry> out;
    for (auto& [key, state] : friends_) {
      if (key.first != user.value) continue;
      auto& u = users_.at(key.second);
      out.push_back({u.id, u.name, u.display_name, state});
    }
    return out;
  }
  result<std::vector<::haetae::store::room_summary>> rooms(user_id user) override {
    std::lock_guard lock(mu_);
    ++calls_;
    std::vector<::haetae::store::room_summary> out;
    for (auto& [id, r] : rooms_) {
      if (r.members.count(user.value)) out.push_back(summary(r, user));
    }
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.change > b.change; });
    return out;
  }
  result<::haetae::store::room_summary> room(user_id viewer, room_id id) override {
    std::lock_guard lock(mu_);
    ++calls_;
    auto it = rooms_.find(id.value);
    if (it == rooms_.end() || !it->second.members.count(viewer.value)) return errc::not_room_member;
    return summary(it->second, viewer);
  }
  result<::haetae::store::page> history(user_id viewer, room_id id, seq_no before,
                                        int limit) override {
    std::lock_guard lock(mu_);
    ++calls_;
    auto it = rooms_.find(id.value);
    if (it == rooms_.end() || !it->second.members.count(viewer.value)) return errc::not_room_member;
    room_state& r = it->second;
    seq_no from = r.members.at(viewer.value).joined_seq;
    std::vector<::haetae::store::room_event> visible;
    for (auto& e : r.events) {
      if (e.seq >= from && (before == 0 || e.seq < before)) visible.push_back(with_unread(r, e));
    }
    ::haetae::store::page p;
    std::size_t n = std::min<std::size_t>(visible.size(), static_cast<std::size_t>(limit));
    p.more = visible.size() > n;
    p.events.assign(visible.end() - static_cast<std::ptrdiff_t>(n), visible.end());
    return p;
  }
  result<::haetae::store::page> sync(user_id viewer, room_id id, seq_no after, int limit) override {
    std::lock_guard lock(mu_);
    ++calls_;
    auto it = rooms_.find(id.value);
    if (it == rooms_.end() || !it->second.members.count(viewer.value)) return errc::not_room_member;
    room_state& r = it->second;
    seq_no from = r.members.at(viewer.value).joined_seq;
    ::haetae::store::page p;
    for (auto& e : r.events) {
      if (e.seq < from || e.seq <= after) continue;
      if (p.events.size() == static_cast<std::size_t>(limit)) {
        p.more = true;
        break;
      }
      p.events.push_back(with_unread(r, e));
    }
    return p;
  }
  result<::haetae::store::changes_page> changes(user_id user, change_no since, int limit) override {
    std::lock_guard lock(mu_);
    ++calls_;
    std::vector<::haetae::store::room_summary> out;
    for (auto& [id, r] : rooms_) {
      if ((r.members.count(user.value) || r.former.count(user.value)) && r.change > since) {
        out.push_back(summary(r, user));
      }
    }
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.change < b.change; });
    ::haetae::store::changes_page p;
    p.next = since;
    for (auto& s : out) {
      if (p.rooms.size() == static_cast<std::size_t>(limit)) {
        p.more = true;
        break;
      }
      p.next = s.change;
      p.rooms.push_back(std::move(s));
    }
    return p;
  }
  ::haetae::store::store_stats stats() const override { return {}; }

 private:
  struct member {
    seq_no joined_seq = 0;
    seq_no read_seq = 0;
  };
  struct room_state {
    room_id id;
    ::haetae::store::room_kind kind;
    std::string title;
    std::map<std::int64_t, member> members;
    std::set<std::int64_t> former;
    std::vector<::haetae::store::room_event> events;
    change_no change = 0;
  };

  template <class T, class F>
  void write(F body, ::haetae::store::completion<T> done) {
    ++calls_;
    {
      std::lock_guard lock(queue_mu_);
      queue_.push_back([this, body = std::move(body), done = std::move(done)]() mutable {
        result<T> r = [&] {
          std::lock_guard lock(mu_);
          return body();
        }();
        done(std::move(r));
      });
    }
    queue_cv_.notify_one();
  }

  void run() {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock lock(queue_mu_);
        queue_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;
        task = std::move(queue_.front());
        queue_.pop_front();
      }
      task();
    }
  }

  void set_friend(user_id user, user_id other, ::haetae::store::friend_state state,
                  ::haetae::store::completion<::haetae::store::friend_entry> done) {
    write(
        [=, this]() -> result<::haetae::store::friend_entry> {
          if (user == other) return errc::invalid_field;
          auto it = users_.find(other.value);
          if (it == users_.end()) return errc::not_found;
          friends_[{user.value, other.value}] = state;
          return ::haetae::store::friend_entry{other, it->second.name, it->second.display_name,
                                               state};
        },
        std::move(done));
  }

  room_state& new_room(::haetae::store::room_kind kind, std::string title) {
    room_state r;
    r.id = room_id(next_room_++);
    r.kind = kind;
    r.title = std::move(title);
    return rooms_[r.id.value] = std::move(r);
  }
  static seq_no last_seq(const room_state& r) { return r.events.empty() ? 0 : r.events.back().seq; }
  ::haetae::store::room_event append(room_state& r, ::haetae::store::event_kind kind,
                                     user_id sender, user_id subject, std::string client_id,
                                     std::string body) {
    ::haetae::store::room_event e{r.id,
                                  last_seq(r) + 1,
                                  kind,
                                  sender,
                                  subject,
                                  std::move(client_id),
                                  std::move(body),
                                  now_ms(),
                                  0};
    r.events.push_back(e);
    r.change = ++next_change_;
    return e;
  }
  ::haetae::store::room_event join(room_state& r, user_id actor, user_id m) {
    auto e = append(r, ::haetae::store::event_kind::joined, actor, m, "", "");
    r.members[m.value] = member{e.seq, e.seq};
    r.former.erase(m.value);
    return e;
  }
  std::vector<user_id> member_ids(const room_state& r) const {
    std::vector<user_id> out;
    for (auto& [id, m] : r.members) out.push_back(user_id(id));
    return out;
  }
  int unread_of(const room_state& r, const ::haetae::store::room_event& e) const {
    if (e.kind != ::haetae::store::event_kind::message) return 0;
    int n = 0;
    for (auto& [id, m] : r.members) {
      if (id != e.sender.value && m.read_seq < e.seq) ++n;
    }
    return n;
  }
  ::haetae::store::room_event with_unread(const room_state& r,
                                          ::haetae::store::room_event e) const {
    e.unread = unread_of(r, e);
    return e;
  }
  ::haetae::store::room_summary summary(const room_state& r, user_id viewer) const {
    ::haetae::store::room_summary s;
    s.id = r.id;
    s.kind = r.kind;
    s.title = r.title;
    for (auto& [id, m] : r.members) {
      auto& u = users_.at(id);
      s.members.push_back({u.id, u.name, u.display_name, m.joined_seq, m.read_seq});
    }
    s.last_seq = last_seq(r);
    auto me = r.members.find(viewer.value);
    seq_no read = me == r.members.end() ? last_seq(r) : me->second.read_seq;
    seq_no from = me == r.members.end() ? 0 : me->second.joined_seq;
    for (auto& e : r.events) {
      if (e.kind != ::haetae::store::event_kind::message || e.seq < from) continue;
      s.last_message = with_unread(r, e);
      if (e.seq > read && e.sender != viewer) ++s.unread;
    }
    s.left = me == r.members.end();
    s.change = r.change;
    return s;
  }

  std::atomic<std::uint64_t> calls_{0};
  std::mutex mu_;
  std::map<std::int64_t, ::haetae::store::user_record> users_;
  std::map<std::string, ::haetae::store::session_record> sessions_;
  std::map<std::pair<std::int64_t, std::int64_t>, ::haetae::store::friend_state> friends_;
  std::map<std::int64_t, room_state> rooms_;
  std::map<std::pair<std::int64_t, std::int64_t>, std::int64_t> direct_;
  std::map<std::pair<std::int64_t, std::string>, std::int64_t> groups_;
  std::map<std::pair<std::int64_t, std::string>, ::haetae::store::send_ack> sends_;
  std::int64_t next_user_ = 1, next_device_ = 1, next_room_ = 1;
  change_no next_change_ = 0;

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::thread writer_;  // last: started after every member above exists
};

}  // namespace haetae::api::testing
