#include "store/postgres/pg_conn.h"

#include <fmt/format.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <functional>
#include <map>
#include <vector>

#include "store/postgres/pg_host_order.h"

namespace haetae::store::pg {
namespace {

// A silent host (burnt, cut off) times out instead of refusing: libpq's connect_timeout says
// "timeout expired"; a SYN or tcp_user_timeout that runs out first, "Connection timed out".
bool says_silent(const std::string& libpq_message) {
  return libpq_message.find("timeout expired") != std::string::npos ||
         libpq_message.find("timed out") != std::string::npos;
}

std::string trimmed(const char* s) {
  std::string out = s ? s : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace

std::int64_t pg_result::i64(int row, int col) const {
  if (null(row, col)) return 0;
  return std::stoll(PQgetvalue(r_.get(), row, col));
}

std::int64_t pg_result::affected() const {
  const char* n = PQcmdTuples(r_.get());
  return n && *n ? std::stoll(n) : 0;
}

result<std::unique_ptr<pg_conn>> pg_conn::open(const std::string& conninfo) {
  PGconn* c = PQconnectdb(conninfo.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    std::string why = c ? trimmed(PQerrorMessage(c)) : "out of memory";
    PQfinish(c);
    return make_error(errc::store_unavailable,
                      fmt::format("cannot connect to PostgreSQL: {}", why));
  }
  return std::unique_ptr<pg_conn>(new pg_conn(c, conninfo));
}

std::unique_ptr<pg_conn> pg_conn::open_or_later(const std::string& conninfo, std::string& why) {
  PGconn* c = PQconnectdb(conninfo.c_str());
  if (!c) throw std::bad_alloc();
  auto conn = std::unique_ptr<pg_conn>(new pg_conn(c, conninfo));
  why = conn->connected() ? "" : conn->last_error();
  return conn;
}

std::string pg_conn::last_error() const { return trimmed(PQerrorMessage(c_)); }

pg_conn::pg_conn(PGconn* c, std::string conninfo) : c_(c), conninfo_(std::move(conninfo)) {
  note_host();
  // Notices go to the log, not stderr; WARNINGs are counted (warnings()). Kept across PQreset.
  PQsetNoticeReceiver(c_, &pg_conn::on_notice, this);
}

void pg_conn::on_notice(void* self, const PGresult* r) {
  const char* severity = PQresultErrorField(r, PG_DIAG_SEVERITY_NONLOCALIZED);
  std::string text = trimmed(PQresultErrorMessage(r));
  if (severity && std::string_view(severity) == "WARNING") {
    static_cast<pg_conn*>(self)->warnings_++;
    spdlog::warn("postgres: {}", text);
  } else {
    spdlog::debug("postgres: {}", text);
  }
}

pg_conn::~pg_conn() { PQfinish(c_); }

pg_result pg_conn::exec(std::string_view sql, std::initializer_list<param> params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p.value ? p.value->c_str() : nullptr);
  std::string text(sql);
  // Without parameters: the simple protocol, which also runs several statements (migrations).
  pg_result r(nullptr);
  if (query_timeout_.count() == 0) {
    r = pg_result(values.empty() ? PQexec(c_, text.c_str())
                                 : PQexecParams(c_, text.c_str(), static_cast<int>(values.size()),
                                                nullptr, values.data(), nullptr, nullptr, 0));
  } else {
    r = exec_within(text, values);
  }
  auto st = r.raw() ? PQresultStatus(r.raw()) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return r;
  const char* code = r.raw() ? PQresultErrorField(r.raw(), PG_DIAG_SQLSTATE) : nullptr;
  std::string why = trimmed(r.raw() ? PQresultErrorMessage(r.raw()) : PQerrorMessage(c_));
  if (why.empty()) why = trimmed(PQerrorMessage(c_));
  throw pg_error(why, code ? code : "", PQstatus(c_) != CONNECTION_OK);
}

pg_result pg_conn::exec_within(const std::string& text, const std::vector<const char*>& values) {
  int sent = values.empty() ? PQsendQuery(c_, text.c_str())
                            : PQsendQueryParams(c_, text.c_str(), static_cast<int>(values.size()),
                                                nullptr, values.data(), nullptr, nullptr, 0);
  if (!sent) return pg_result(nullptr);
  auto deadline = std::chrono::steady_clock::now() + query_timeout_;
  while (PQisBusy(c_)) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd p{PQsocket(c_), POLLIN, 0};
    int ready = left.count() > 0 ? ::poll(&p, 1, static_cast<int>(left.count())) : 0;
    if (ready == 0) {
      // A server that keeps its TCP connection but never answers (a frozen process): close the
      // socket, never cancel (a cancelled commit could stay committed but unreplicated). The
      // outcome of whatever was in flight is unknown; the connection is gone.
      ::shutdown(PQsocket(c_), SHUT_RDWR);
      note_silent(good_host_);
      (void)PQconsumeInput(c_);
      while (PGresult* rest = PQgetResult(c_)) PQclear(rest);
      throw pg_error(fmt::format("no answer from PostgreSQL within {} ms; connection closed",
                                 query_timeout_.count()),
                     "", true);
    }
    if (ready < 0 && errno != EINTR) break;
    if (!PQconsumeInput(c_)) break;
  }
  // Like PQexec: the last result, but an error wins.
  pg_result out(nullptr);
  while (PGresult* next = PQgetResult(c_)) {
    if (out.raw() && PQresultStatus(out.raw()) == PGRES_FATAL_ERROR) {
      PQclear(next);
      continue;
    }
    out = pg_result(next);
  }
  return out;
}

status pg_conn::try_exec(std::string_view sql) {
  try {
    exec(sql);
    return ok_status();
  } catch (const pg_error& e) {
    return make_error(errc::store_unavailable, e.what());
  }
}

void pg_conn::note_host() {
  if (connected()) good_host_ = PQhost(c_) ? PQhost(c_) : "";
}

void pg_conn::note_silent(const std::string& host) {
  if (!host.empty()) timed_out_[host] = std::chrono::steady_clock::now();
}

bool pg_conn::reset() {
  auto targets = per_host_conninfos(conninfo_);
  if (targets.size() < 2) {
    PQreset(c_);
    note_host();
    return connected();
  }
  // Hosts one at a time, so the order is ours (pg_host_order): a multi-host connect in libpq
  // would pay every silent host's connect timeout on each attempt.
  if (says_silent(last_error())) note_silent(good_host_);  // the lost connection timed out
  std::vector<std::string> hosts;
  for (const auto& t : targets) hosts.push_back(t.first);
  const auto order =
      reconnect_order(hosts, {good_host_, timed_out_}, std::chrono::steady_clock::now());
  good_host_.clear();
  for (std::size_t i : order) {
    const auto& [host, conninfo] = targets[i];
    PGconn* c = PQconnectdb(conninfo.c_str());
    if (!c) throw std::bad_alloc();
    PQfinish(c_);
    c_ = c;
    PQsetNoticeReceiver(c_, &pg_conn::on_notice, this);
    if (connected()) {
      timed_out_.erase(host);
      note_host();
      return true;
    }
    if (says_silent(last_error())) note_silent(host);
  }
  return false;
}

namespace {

std::vector<std::string> split_list(const std::string& v) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    auto comma = v.find(',', start);
    out.push_back(v.substr(start, comma - start));
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

// Parses `conninfo` (key=value or URI), lets `edit` change the values (key -> value, absent
// keys unset), and writes it back as key='value' pairs. Unchanged when libpq cannot parse it.
std::string rewrite_conninfo(const std::string& conninfo,
                             const std::function<void(std::map<std::string, std::string>&)>& edit) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err);
  if (!opts) {
    PQfreemem(err);
    return conninfo;
  }
  std::map<std::string, std::string> values;
  for (auto* o = opts; o->keyword; ++o) {
    if (o->val) values[o->keyword] = o->val;
  }
  PQconninfoFree(opts);
  edit(values);
  std::string out;
  for (const auto& [key, val] : values) {
    std::string quoted;
    for (char ch : val) {
      if (ch == '\\' || ch == '\'') quoted += '\\';
      quoted += ch;
    }
    out += (out.empty() ? "" : " ") + key + "='" + quoted + "'";
  }
  return out;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> per_host_conninfos(const std::string& conninfo) {
  std::vector<std::pair<std::string, std::string>> out;
  std::vector<std::string> hosts;
  rewrite_conninfo(conninfo, [&](std::map<std::string, std::string>& v) {
    if (auto h = v.find("host"); h != v.end()) hosts = split_list(h->second);
  });
  if (hosts.size() < 2) return {{hosts.empty() ? "" : hosts[0], conninfo}};
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    out.emplace_back(hosts[i],
                     rewrite_conninfo(conninfo, [&](std::map<std::string, std::string>& v) {
                       // Per-host lists (host, hostaddr, port) keep entry i; one value is shared.
                       for (const char* key : {"host", "hostaddr", "port"}) {
                         auto e = v.find(key);
                         if (e == v.end()) continue;
                         auto list = split_list(e->second);
                         if (list.size() == hosts.size()) e->second = list[i];
                       }
                     }));
  }
  return out;
}

std::string with_option(const std::string& conninfo, const std::string& key,
                        const std::string& value) {
  return rewrite_conninfo(conninfo, [&](std::map<std::string, std::string>& v) { v[key] = value; });
}

}  // namespace haetae::store::pg
