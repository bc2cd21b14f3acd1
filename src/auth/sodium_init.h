#pragma once
// libsodium must be initialised once before use; safe to call from any thread, any number of times.
namespace haetae::auth {
void ensure_sodium();
}
