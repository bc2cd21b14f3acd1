#include "store/tests/pg_test_server.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

namespace haetae::store::testing {
namespace {

constexpr const char* pg_bin = "/usr/lib/postgresql/15/bin";
constexpr auto start_timeout = std::chrono::seconds(60);
constexpr auto stop_timeout = std::chrono::seconds(60);

std::mutex server_mu;
std::unique_ptr<pg_test_server> server;

struct run_as {
  bool drop = false;  // we are root: become `postgres`
  uid_t uid = 0;
  gid_t gid = 0;
};

result<run_as> server_user() {
  run_as who;
  if (::geteuid() != 0) return who;
  struct passwd* pw = ::getpwnam("postgres");
  if (!pw) {
    return make_error(errc::store_unavailable,
                      "running as root and there is no postgres user (PostgreSQL refuses root)");
  }
  who.drop = true;
  who.uid = pw->pw_uid;
  who.gid = pw->pw_gid;
  return who;
}

// fork + exec `argv` as `who`, output to `log`. Everything the child calls is async-signal-safe.
result<pid_t> spawn(const run_as& who, const std::vector<std::string>& args,
                    const std::string& log) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return make_error(errc::store_unavailable, "cannot open " + log);
  if (who.drop) (void)::fchown(fd, who.uid, who.gid);
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fd);
    return make_error(errc::store_unavailable, "fork failed");
  }
  if (pid == 0) {
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    if (who.drop) {
      if (::setgroups(0, nullptr) != 0 || ::setgid(who.gid) != 0 || ::setuid(who.uid) != 0) {
        ::_exit(126);
      }
    }
    // After the uid change (which would clear it): if the test process dies, stop the server.
    ::prctl(PR_SET_PDEATHSIG, SIGINT);
    if (::getppid() != parent) ::_exit(125);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(fd);
  return pid;
}

// Waits for `pid` to exit, at most `limit`; the exit status, or nullopt on time-out.
std::optional<int> wait_exit(pid_t pid, std::chrono::seconds limit) {
  auto until = std::chrono::steady_clock::now() + limit;
  for (;;) {
    int st = 0;
    pid_t r = ::waitpid(pid, &st, WNOHANG);
    if (r == pid) return st;
    if (r < 0) return -1;
    if (std::chrono::steady_clock::now() > until) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

class pg_environment : public ::testing::Environment {
 public:
  void TearDown() override { pg_test_server::shutdown(); }
};

[[maybe_unused]] ::testing::Environment* const environment =
    ::testing::AddGlobalTestEnvironment(new pg_environment);

}  // namespace

result<pg_test_server*> pg_test_server::get() {
  std::lock_guard lock(server_mu);
  if (!server) {
    std::unique_ptr<pg_test_server> s(new pg_test_server());
    if (auto st = s->start(); !st) return st.err();  // the destructor stops what started
    server = std::move(s);
  }
  return server.get();
}

void pg_test_server::shutdown() {
  std::lock_guard lock(server_mu);
  server.reset();
}

pg_test_server::~pg_test_server() {
  stop();
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

status pg_test_server::start() {
  auto who = server_user();
  if (!who) return who.err();
  // Short: the socket path (dir/.s.PGSQL.5432) must fit in 107 bytes.
  std::string pattern = "/tmp/haetae-pg-XXXXXX";
  if (!::mkdtemp(pattern.data())) return make_error(errc::store_unavailable, "mkdtemp failed");
  dir_ = pattern;
  if (who->drop && ::chown(dir_.c_str(), who->uid, who->gid) != 0) {
    return make_error(errc::store_unavailable, "cannot chown " + dir_ + " to postgres");
  }
  std::string data = dir_ + "/data", log = dir_ + "/server.log";
  // --no-sync: only initdb's own writes of a throwaway cluster; the server runs with fsync on.
  auto init = spawn(*who,
                    {std::string(pg_bin) + "/initdb", "-D", data, "-U", "postgres", "--auth=trust",
                     "--encoding=UTF8", "--locale=C", "--no-sync"},
                    log);
  if (!init) return init.err();
  auto st = wait_exit(*init, start_timeout);
  if (!st || !WIFEXITED(*st) || WEXITSTATUS(*st) != 0) {
    if (!st) {
      ::kill(*init, SIGKILL);
      (void)wait_exit(*init, stop_timeout);
    }
    return make_error(errc::store_unavailable, "initdb failed: " + log_tail());
  }
  auto postgres = spawn(*who,
                        {std::string(pg_bin) + "/postgres", "-D", data, "-k", dir_, "-c",
                         "listen_addresses=", "-c", "fsync=on", "-c", "synchronous_commit=on", "-c",
                         "max_connections=60", "-c", "shared_buffers=32MB"},
                        log);
  if (!postgres) return postgres.err();
  pid_ = *postgres;
  std::string ping = conninfo("postgres");
  auto until = std::chrono::steady_clock::now() + start_timeout;
  while (PQping(ping.c_str()) != PQPING_OK) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return make_error(errc::store_unavailable, "postgres exited at start: " + log_tail());
    }
    if (std::chrono::steady_clock::now() > until) {
      return make_error(errc::store_unavailable, "postgres did not start: " + log_tail());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return ok_status();
}

void pg_test_server::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGINT);  // fast shutdown: abort sessions, checkpoint, exit
  if (!wait_exit(pid_, stop_timeout)) {
    ::kill(pid_, SIGKILL);
    (void)wait_exit(pid_, stop_timeout);
  }
  pid_ = -1;
}

std::string pg_test_server::log_tail() const {
  std::ifstream in(dir_ + "/server.log");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string all = ss.str();
  return all.size() > 2000 ? all.substr(all.size() - 2000) : all;
}

std::string pg_test_server::conninfo(const std::string& database) const {
  return fmt::format("host={} port=5432 user=postgres dbname={}", dir_, database);
}

status pg_test_server::admin(const std::string& sql) {
  std::string ci = conninfo("postgres");
  std::unique_ptr<PGconn, decltype(&PQfinish)> c(PQconnectdb(ci.c_str()), &PQfinish);
  if (PQstatus(c.get()) != CONNECTION_OK) {
    return make_error(errc::store_unavailable, PQerrorMessage(c.get()));
  }
  std::unique_ptr<PGresult, decltype(&PQclear)> r(PQexec(c.get(), sql.c_str()), &PQclear);
  if (PQresultStatus(r.get()) != PGRES_COMMAND_OK && PQresultStatus(r.get()) != PGRES_TUPLES_OK) {
    return make_error(errc::store_unavailable, PQresultErrorMessage(r.get()));
  }
  return ok_status();
}

result<std::string> pg_test_server::create_database() {
  std::string name = fmt::format("haetae_test_{}", ++databases_);
  if (auto st = admin("CREATE DATABASE " + name); !st) return st.err();
  return name;
}

namespace {

// Whether a commit on the server now waits for a synchronous standby. pg_reload_conf() only
// signals: the checkpointer turns the wait on or off a little later (on a loaded machine, later
// than a test's next commit). The probe commits a transaction that wrote WAL (a commit waits only
// then) and watches it for 200 ms; a wait is cancelled (statement_timeout does not cover COMMIT).
// Its temporary table stays committed locally and ends with the session.
bool commits_wait_for_standby(const std::string& conninfo) {
  std::unique_ptr<PGconn, decltype(&PQfinish)> c(PQconnectdb(conninfo.c_str()), &PQfinish);
  if (PQstatus(c.get()) != CONNECTION_OK) return false;
  PQclear(PQexec(c.get(), "BEGIN"));
  PQclear(PQexec(c.get(), "CREATE TEMP TABLE probe (x int)"));
  if (!PQsendQuery(c.get(), "COMMIT")) return false;
  pollfd answer{PQsocket(c.get()), POLLIN, 0};
  bool waited = ::poll(&answer, 1, 200) == 0;
  if (waited) {
    std::unique_ptr<PGcancel, decltype(&PQfreeCancel)> cancel(PQgetCancel(c.get()), &PQfreeCancel);
    char why[256];
    if (cancel) (void)PQcancel(cancel.get(), why, sizeof why);
  }
  while (PGresult* r = PQgetResult(c.get())) PQclear(r);
  return waited;
}

// Polls until the reloaded setting is in force (bounded: 60 s).
bool await_standby_wait(const std::string& conninfo, bool wanted) {
  for (int i = 0; i < 300; ++i) {
    if (commits_wait_for_standby(conninfo) == wanted) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(i < 10 ? 20 : 200));
  }
  return false;
}

}  // namespace

missing_standby::missing_standby(pg_test_server& server) : server_(server) {
  ok_ = server_.admin("ALTER SYSTEM SET synchronous_standby_names = 'nobody'").ok() &&
        server_.admin("SELECT pg_reload_conf()").ok() &&
        await_standby_wait(server_.conninfo("postgres"), true);
}

missing_standby::~missing_standby() {
  (void)server_.admin("ALTER SYSTEM RESET synchronous_standby_names");
  (void)server_.admin("SELECT pg_reload_conf()");
  (void)await_standby_wait(server_.conninfo("postgres"), false);
}

}  // namespace haetae::store::testing
