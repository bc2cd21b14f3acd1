#include "node/readiness_tracker.h"

#include <string>

namespace haetae::node {

net::readiness readiness_tracker::observe(const store::store_health& health, time_point now) {
  net::readiness r;
  r.reads = health.reads;
  r.writes = health.writes;
  r.reason = health.not_ready;
  if (health.writes) {
    ever_writable_ = true;
    unwritable_since_.reset();
  } else if (!unwritable_since_) {
    unwritable_since_ = now;
  }
  if (health.reads) {
    unreadable_since_.reset();
  } else if (!unreadable_since_) {
    unreadable_since_ = now;
  }
  if (unreadable_since_ && now - *unreadable_since_ >= unreadable_grace_) {
    r.keeps_clients = false;
  } else if (!ever_writable_) {
    // Never connected since it started: nothing suggests a failover it should wait out.
    r.keeps_clients = false;
  } else if (unwritable_since_ && now - *unwritable_since_ >= move_clients_after_) {
    r.keeps_clients = false;
    r.reason += "; unable to write for longer than a failover takes: clients go elsewhere";
  }
  return r;
}

}  // namespace haetae::node
