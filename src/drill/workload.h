#pragma once
// The drill's load (DESIGN §4 step 2): N accounts, one client::session each, whose node list
// starts at its home node (round-robin over the data centers) and goes on to the others; 1:1
// rooms (pairs) and group rooms; each client sends at a bounded rate with client ids and probes
// reads, and logs everything it does and sees (client_log) for the offline checks.
//
// Threading: one thread. The workload owns its io_context and drives it only inside its own
// calls (run_until, connect_and_make_rooms, read_final_logs, finish), which also send what is
// due and start due read probes between short slices. Not thread-safe.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "drill/client_log.h"

namespace haetae::drill {

struct workload_options {
  std::vector<std::string> nodes;  // one URL per data center; client i's home is nodes[i % n]
  std::string name_prefix;         // accounts are <prefix>_<i>; [a-z0-9_], unique per run
  int clients = 100;
  int group_size = 5;
  double rate = 2;  // messages per second per client while sending
  long long max_sends_per_client = 1000;
  std::chrono::milliseconds read_every{250};
  std::uint64_t seed = 1;
};

class workload {
 public:
  // Signs up and logs in every client at its home node (blocking, over HTTP).
  static result<std::unique_ptr<workload>> prepare(workload_options options);
  ~workload();
  workload(const workload&) = delete;
  workload& operator=(const workload&) = delete;

  // Connects every session and creates the rooms, within `limit`.
  status connect_and_make_rooms(std::chrono::steady_clock::duration limit);

  void start_sending();
  void stop_sending();

  // Runs the load (sends at the configured rate, read probes) until `done()` or `limit`; true if
  // done() held. `done` is checked every few milliseconds on this thread.
  bool run_until(std::chrono::steady_clock::duration limit, const std::function<bool()>& done);

  // Every outbox is empty and every client has been shown every room up to its highest
  // acknowledged seq.
  bool drained() const;
  std::size_t pending_sends() const;

  // Each client reads each of its rooms from seq 0 (`sync` until `more` is false) into its
  // log's final_rooms, within `limit`. True if every read finished.
  bool read_final_logs(std::chrono::steady_clock::duration limit);

  // Ends every session (the logs stay) and hands the logs over.
  std::vector<client_log> finish();

  struct impl;

 private:
  explicit workload(std::unique_ptr<impl> impl);
  std::unique_ptr<impl> impl_;
};

}  // namespace haetae::drill
