#include "auth/password_hasher.h"

#include <sodium.h>

#include <utility>

#include "auth/sodium_init.h"

namespace haetae::auth {

password_hasher::password_hasher(hasher_options options)
    : opslimit_(options.cost == hash_cost::fast ? crypto_pwhash_OPSLIMIT_MIN
                                                : crypto_pwhash_OPSLIMIT_INTERACTIVE),
      memlimit_(options.cost == hash_cost::fast ? crypto_pwhash_MEMLIMIT_MIN
                                                : crypto_pwhash_MEMLIMIT_INTERACTIVE),
      pool_("password hashing", options.threads, options.max_queued) {
  ensure_sodium();
  unsigned char random_password[32];
  randombytes_buf(random_password, sizeof random_password);
  auto dummy =
      hash_now(std::string(reinterpret_cast<const char*>(random_password), sizeof random_password));
  dummy_hash_ = dummy ? std::move(dummy.value()) : std::string();
}

password_hasher::~password_hasher() = default;

result<std::string> password_hasher::hash_now(const std::string& password) const {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), opslimit_, memlimit_) != 0) {
    return make_error(errc::overloaded, "out of memory while hashing a password");
  }
  return std::string(out);
}

void password_hasher::hash(std::string password, std::function<void(result<std::string>)> done) {
  auto shared_done = std::make_shared<std::function<void(result<std::string>)>>(std::move(done));
  status admitted = pool_.submit(
      [this, password = std::move(password), shared_done] { (*shared_done)(hash_now(password)); });
  if (!admitted) (*shared_done)(admitted.err());
}

void password_hasher::verify(std::optional<std::string> stored, std::string password,
                             std::function<void(status)> done) {
  auto shared_done = std::make_shared<std::function<void(status)>>(std::move(done));
  status admitted =
      pool_.submit([this, stored = std::move(stored), password = std::move(password), shared_done] {
        // The same work whether or not the user exists and whether or not the password is right.
        const std::string& against = stored ? *stored : dummy_hash_;
        bool match =
            against.size() < crypto_pwhash_STRBYTES &&
            crypto_pwhash_str_verify(against.c_str(), password.data(), password.size()) == 0;
        if (match && stored) {
          (*shared_done)(ok_status());
        } else {
          (*shared_done)(make_error(errc::invalid_credentials));
        }
      });
  if (!admitted) (*shared_done)(admitted.err());
}

}  // namespace haetae::auth
