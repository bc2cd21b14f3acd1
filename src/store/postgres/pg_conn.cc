#include "store/postgres/pg_conn.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <vector>

namespace haetae::store::pg {
namespace {

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
  return std::unique_ptr<pg_conn>(new pg_conn(c));
}

std::unique_ptr<pg_conn> pg_conn::open_or_later(const std::string& conninfo, std::string& why) {
  PGconn* c = PQconnectdb(conninfo.c_str());
  if (!c) throw std::bad_alloc();
  auto conn = std::unique_ptr<pg_conn>(new pg_conn(c));
  why = conn->connected() ? "" : conn->last_error();
  return conn;
}

std::string pg_conn::last_error() const { return trimmed(PQerrorMessage(c_)); }

pg_conn::pg_conn(PGconn* c) : c_(c) {
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
  pg_result r(values.empty() ? PQexec(c_, text.c_str())
                             : PQexecParams(c_, text.c_str(), static_cast<int>(values.size()),
                                            nullptr, values.data(), nullptr, nullptr, 0));
  auto st = r.raw() ? PQresultStatus(r.raw()) : PGRES_FATAL_ERROR;
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return r;
  const char* code = r.raw() ? PQresultErrorField(r.raw(), PG_DIAG_SQLSTATE) : nullptr;
  std::string why = trimmed(r.raw() ? PQresultErrorMessage(r.raw()) : PQerrorMessage(c_));
  if (why.empty()) why = trimmed(PQerrorMessage(c_));
  throw pg_error(why, code ? code : "", PQstatus(c_) != CONNECTION_OK);
}

status pg_conn::try_exec(std::string_view sql) {
  try {
    exec(sql);
    return ok_status();
  } catch (const pg_error& e) {
    return make_error(errc::store_unavailable, e.what());
  }
}

bool pg_conn::reset() {
  PQreset(c_);
  return connected();
}

}  // namespace haetae::store::pg
