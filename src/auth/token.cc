#include "auth/token.h"

#include <sodium.h>

#include "auth/sodium_init.h"

namespace haetae::auth {

namespace {
std::string to_hex(const unsigned char* bytes, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();  // the terminating NUL
  return out;
}
}  // namespace

std::string new_token() {
  ensure_sodium();
  unsigned char bytes[token_chars / 2];
  randombytes_buf(bytes, sizeof bytes);
  return to_hex(bytes, sizeof bytes);
}

std::string hash_token(std::string_view token) {
  ensure_sodium();
  unsigned char digest[crypto_generichash_BYTES];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  return to_hex(digest, sizeof digest);
}

bool well_formed_token(std::string_view token) {
  if (token.size() != token_chars) return false;
  for (char c : token) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace haetae::auth
