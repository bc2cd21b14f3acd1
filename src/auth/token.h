#pragma once
// Bearer tokens: 32 random bytes as 64 lowercase hex characters. The store keeps only
// hash_token(token), so a leaked database holds no usable token; tokens survive failover because
// the hash is replicated like any other row.
#include <cstddef>
#include <string>
#include <string_view>

namespace haetae::auth {

inline constexpr std::size_t token_chars = 64;

std::string new_token();
// BLAKE2b (crypto_generichash, 32 bytes) of the token, as lowercase hex.
std::string hash_token(std::string_view token);
// Exactly 64 characters of [0-9a-f]. Anything else is rejected before the store is asked.
bool well_formed_token(std::string_view token);

}  // namespace haetae::auth
