#pragma once
// RAII libpq connection and result, with text-format parameters. SQL errors throw pg_error
// inside the backend; the operation boundaries (group_commit, read_pool) turn them into errc.
#include <libpq-fe.h>

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "base/ids.h"
#include "base/result.h"

namespace haetae::store::pg {

// SQLSTATEs the backend reacts to.
inline constexpr std::string_view sqlstate_unique_violation = "23505";
inline constexpr std::string_view sqlstate_deadlock = "40P01";
inline constexpr std::string_view sqlstate_serialization = "40001";

class pg_error : public std::runtime_error {
 public:
  pg_error(std::string message, std::string sqlstate, bool connection_lost)
      : std::runtime_error(std::move(message)),
        sqlstate_(std::move(sqlstate)),
        connection_lost_(connection_lost) {}
  const std::string& sqlstate() const { return sqlstate_; }
  // The connection is gone: whatever was in flight has an unknown outcome.
  bool connection_lost() const { return connection_lost_; }
  // The transaction was aborted by a lock conflict and may be retried whole.
  bool retryable() const {
    return sqlstate_ == sqlstate_deadlock || sqlstate_ == sqlstate_serialization;
  }

 private:
  std::string sqlstate_;
  bool connection_lost_;
};

// One query parameter in text format; nullopt is SQL NULL.
struct param {
  param(std::int64_t v) : value(std::to_string(v)) {}
  param(int v) : value(std::to_string(v)) {}
  param(std::string_view v) : value(std::string(v)) {}
  param(const std::string& v) : value(v) {}
  param(const char* v) : value(std::string(v)) {}
  param(std::nullopt_t) {}
  template <class Tag>
  param(strong_id<Tag> id) : value(std::to_string(id.value)) {}
  std::optional<std::string> value;
};

class pg_result {
 public:
  explicit pg_result(PGresult* r) : r_(r, &PQclear) {}
  int rows() const { return PQntuples(r_.get()); }
  bool empty() const { return rows() == 0; }
  bool null(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }
  std::string text(int row, int col) const { return PQgetvalue(r_.get(), row, col); }
  std::int64_t i64(int row, int col) const;
  // Rows changed by INSERT/UPDATE/DELETE.
  std::int64_t affected() const;
  PGresult* raw() const { return r_.get(); }

 private:
  std::unique_ptr<PGresult, decltype(&PQclear)> r_;
};

// (host, conninfo for that host alone) for each host of a multi-host conninfo, in its order,
// per-host `hostaddr`/`port` entries kept aligned; one entry, the conninfo itself, otherwise.
std::vector<std::pair<std::string, std::string>> per_host_conninfos(const std::string& conninfo);
// `conninfo` with one option set (added or replaced).
std::string with_option(const std::string& conninfo, const std::string& key,
                        const std::string& value);

class pg_conn {
 public:
  // errc::store_unavailable with libpq's message when the server cannot be reached.
  static result<std::unique_ptr<pg_conn>> open(const std::string& conninfo);
  // A connection that may not be up yet (the server is unreachable or failing over): it keeps
  // the conninfo, and reset() tries again. `why` gets libpq's message when it is down.
  static std::unique_ptr<pg_conn> open_or_later(const std::string& conninfo, std::string& why);
  ~pg_conn();
  pg_conn(const pg_conn&) = delete;
  pg_conn& operator=(const pg_conn&) = delete;

  // Runs one statement; throws pg_error on failure.
  pg_result exec(std::string_view sql, std::initializer_list<param> params = {});
  // Like exec, but returns the error instead of throwing (for COMMIT/ROLLBACK paths).
  status try_exec(std::string_view sql);
  bool connected() const { return PQstatus(c_) == CONNECTION_OK; }
  // Reconnects; true when the connection is usable again. With several hosts it tries them one
  // by one in reconnect_order (pg_host_order.h): the host this connection last had, and hosts
  // whose connect timed out lately, come last, and a host that timed out in the last 3 s is left
  // out while another may answer, so a silent old primary does not hold up finding the new one.
  bool reset();
  bool in_transaction() const { return PQtransactionStatus(c_) != PQTRANS_IDLE; }
  // libpq's last message on this connection (why a connect or reset failed).
  std::string last_error() const;
  PGconn* raw() { return c_; }
  // WARNINGs the server sent on this connection so far. A COMMIT that raises one did not
  // finish normally: PostgreSQL reports a cancelled wait for the synchronous standby ("already
  // committed locally, but might not have been replicated") as a WARNING on a successful COMMIT.
  std::uint64_t warnings() const { return warnings_; }

  // Every later exec gives up after `timeout` without an answer (0: wait for ever): it closes the
  // socket (it never cancels) and throws pg_error with connection_lost(). For a server that
  // keeps TCP up but does not answer, which keepalives cannot see.
  void set_query_timeout(std::chrono::milliseconds timeout) { query_timeout_ = timeout; }
  std::chrono::milliseconds query_timeout() const { return query_timeout_; }

  // For pools: the pool generation this connection was last reset in (read_pool).
  std::uint64_t generation = 0;

 private:
  pg_conn(PGconn* c, std::string conninfo);
  static void on_notice(void* self, const PGresult* r);
  void note_host();                           // remembers the host of a good connection
  void note_silent(const std::string& host);  // its connect or query timed out (host_history)
  pg_result exec_within(const std::string& text, const std::vector<const char*>& values);
  PGconn* c_;
  std::string conninfo_;
  std::string good_host_;  // the host of the last good connection; empty: none since
  std::map<std::string, std::chrono::steady_clock::time_point> timed_out_;  // host -> when
  std::chrono::milliseconds query_timeout_{0};
  std::uint64_t warnings_ = 0;
};

}  // namespace haetae::store::pg
