// The net tests' blocking HTTP/WebSocket client, built into node_tests too (one definition,
// no copy): see src/net/tests/test_client.h.
#include "net/tests/test_client.cc"  // NOLINT(bugprone-suspicious-include)
