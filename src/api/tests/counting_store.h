#pragma once
// A hs::store decorator that counts every call before forwarding it, so a test can prove that
// a rejected request never reached the store, whatever the backend underneath.
#include <atomic>
#include <memory>

#include "store/store.h"

namespace haetae::api::testing {

namespace hs = ::haetae::store;

class counting_store final : public hs::store {
 public:
  explicit counting_store(std::unique_ptr<hs::store> inner) : inner_(std::move(inner)) {}

  std::uint64_t calls() const { return calls_.load(); }

  // Fault seam: while set, every write fails with `code` on the calling thread without reaching
  // the inner store (as a store that cannot commit would answer). errc::ok heals.
  void test_fail_writes(errc code) { fail_writes_ = code; }

  void create_user(std::string name, std::string display_name, std::string password_hash,
                   hs::completion<hs::user_record> done) override {
    ++calls_;
    if (failed(done)) return;
    inner_->create_user(std::move(name), std::move(display_name), std::move(password_hash),
                        std::move(done));
  }
  void create_session(user_id user, std::string token_hash, std::string device_name,
                      hs::completion<hs::session_record> done) override {
    ++calls_;
    if (failed(done)) return;
    inner_->create_session(user, std::move(token_hash), std::move(device_name), std::move(done));
  }
  void delete_session(std::string token_hash, hs::completion<done> d) override {
    ++calls_;
    if (failed(d)) return;
    inner_->delete_session(std::move(token_hash), std::move(d));
  }
  void update_display_name(user_id user, std::string display_name,
                           hs::completion<hs::user_record> done) override {
    ++calls_;
    if (failed(done)) return;
    inner_->update_display_name(user, std::move(display_name), std::move(done));
  }
  void add_friend(user_id user, user_id other, hs::completion<hs::friend_entry> done) override {
    ++calls_;
    if (failed(done)) return;
    inner_->add_friend(user, other, std::move(done));
  }
  void block_user(user_id user, user_id other, hs::completion<hs::friend_entry> done) override {
    ++calls_;
    if (failed(done)) return;
    inner_->block_user(user, other, std::move(done));
  }
  void open_direct_room(user_id user, user_id other,
                        hs::completion<hs::room_change> done) override {
    ++calls_;
    if (failed(done)) return;
    inner_->open_direct_room(user, other, std::move(done));
  }
  void create_group_room(hs::group_request request, hs::completion<hs::room_change> done) override {
    ++calls_;
    if (failed(done)) return;
    inner_->create_group_room(std::move(request), std::move(done));
  }
  void invite(user_id actor, room_id room, std::vector<user_id> members,
              hs::completion<hs::room_change> done) override {
    ++calls_;
    if (failed(done)) return;
    inner_->invite(actor, room, std::move(members), std::move(done));
  }
  void leave(user_id user, room_id room, hs::completion<hs::room_change> done) override {
    ++calls_;
    if (failed(done)) return;
    inner_->leave(user, room, std::move(done));
  }
  void send(hs::send_request request, hs::completion<hs::sent> done) override {
    ++calls_;
    if (failed(done)) return;
    inner_->send(std::move(request), std::move(done));
  }
  void mark_read(user_id user, room_id room, seq_no seq,
                 hs::completion<hs::read_update> done) override {
    ++calls_;
    if (failed(done)) return;
    inner_->mark_read(user, room, seq, std::move(done));
  }

  result<hs::user_record> user_by_name(std::string_view name) override {
    ++calls_;
    return inner_->user_by_name(name);
  }
  result<hs::user_record> user_by_id(user_id id) override {
    ++calls_;
    return inner_->user_by_id(id);
  }
  result<hs::session_record> session_by_token_hash(std::string_view token_hash) override {
    ++calls_;
    return inner_->session_by_token_hash(token_hash);
  }
  result<std::vector<hs::friend_entry>> friends(user_id user) override {
    ++calls_;
    return inner_->friends(user);
  }
  result<std::vector<hs::room_summary>> rooms(user_id user) override {
    ++calls_;
    return inner_->rooms(user);
  }
  result<hs::room_summary> room(user_id viewer, room_id room) override {
    ++calls_;
    return inner_->room(viewer, room);
  }
  result<hs::page> history(user_id viewer, room_id room, seq_no before_seq, int limit) override {
    ++calls_;
    return inner_->history(viewer, room, before_seq, limit);
  }
  result<hs::page> sync(user_id viewer, room_id room, seq_no after_seq, int limit) override {
    ++calls_;
    return inner_->sync(viewer, room, after_seq, limit);
  }
  result<hs::changes_page> changes(user_id user, change_no since, int limit) override {
    ++calls_;
    return inner_->changes(user, since, limit);
  }
  hs::store_stats stats() const override { return inner_->stats(); }

 private:
  template <class T>
  bool failed(hs::completion<T>& done) {
    errc code = fail_writes_.load();
    if (code == errc::ok) return false;
    done(make_error(code, "injected store failure"));
    return true;
  }

  std::unique_ptr<hs::store> inner_;
  std::atomic<errc> fail_writes_{errc::ok};
  std::atomic<std::uint64_t> calls_{0};
};

}  // namespace haetae::api::testing
