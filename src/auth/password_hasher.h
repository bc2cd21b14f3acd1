#pragma once
// argon2id password hashing (libsodium crypto_pwhash_str) on a bounded pool of threads. Each hash
// holds 64 MiB at the interactive cost, so the pool bounds both CPU and memory: a burst of logins
// beyond `max_queued` is refused with errc::overloaded at once.
//
// Callbacks run on a hash thread (or, for an immediate refusal, on the caller's thread) and must
// not block for long.
#include <cstddef>
#include <functional>
#include <optional>
#include <string>

#include "auth/work_pool.h"
#include "base/result.h"

namespace haetae::auth {

// `fast` is argon2id at libsodium's minimum cost: for tests and benchmarks only.
enum class hash_cost { interactive, fast };

struct hasher_options {
  int threads = 2;
  std::size_t max_queued = 64;
  hash_cost cost = hash_cost::interactive;
};

class password_hasher {
 public:
  explicit password_hasher(hasher_options options);
  ~password_hasher();  // finishes queued hashes

  // The encoded crypto_pwhash_str string (algorithm, cost and salt included).
  void hash(std::string password, std::function<void(result<std::string>)> done);

  // ok, or errc::invalid_credentials. `stored` empty (unknown user): a dummy hash is verified
  // anyway, so the answer takes as long as for a real user and does not reveal which names exist.
  void verify(std::optional<std::string> stored, std::string password,
              std::function<void(status)> done);

  std::size_t queued() const { return pool_.queued(); }

 private:
  result<std::string> hash_now(const std::string& password) const;

  unsigned long long opslimit_;
  std::size_t memlimit_;
  std::string dummy_hash_;  // hash of a random password at the same cost
  work_pool pool_;
};

}  // namespace haetae::auth
