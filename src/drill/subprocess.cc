#include "drill/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace haetae::drill {

namespace {
using steady = std::chrono::steady_clock;

void echo_lines(std::string& pending, const std::string& prefix) {
  std::size_t nl;
  while ((nl = pending.find('\n')) != std::string::npos) {
    std::printf("%s%.*s\n", prefix.c_str(), static_cast<int>(nl), pending.data());
    pending.erase(0, nl + 1);
  }
  std::fflush(stdout);
}
}  // namespace

result<process_output> run_process(const std::vector<std::string>& argv,
                                   const process_options& options) {
  if (argv.empty()) return make_error(errc::invalid_field, "no program to run");
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return make_error(errc::internal, "pipe failed");
  std::vector<std::string> args = argv;
  std::vector<char*> cargs;
  for (auto& a : args) cargs.push_back(a.data());
  cargs.push_back(nullptr);
  std::fflush(stdout);
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    return make_error(errc::internal, "fork failed");
  }
  if (pid == 0) {
    ::setpgid(0, 0);
    ::dup2(pipe_fds[1], 1);
    ::close(0);
    ::open("/dev/null", O_RDONLY);
    for (const auto& [k, v] : options.env) ::setenv(k.c_str(), v.c_str(), 1);
    ::execvp(cargs[0], cargs.data());
    std::fprintf(stderr, "cannot run %s\n", cargs[0]);
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // also here: whichever runs first
  ::close(pipe_fds[1]);

  process_output result_out;
  std::string pending;
  const auto deadline = steady::now() + options.timeout;
  bool timed_out = false;
  bool exited = false;
  bool eof = false;
  int status = 0;
  // Read until the child has ended and its output is drained. A daemon it started may still hold
  // the pipe, so the end of the child, not the end of the output, ends the loop.
  for (;;) {
    if (!exited) {
      const pid_t w = ::waitpid(pid, &status, WNOHANG);
      exited = w == pid || (w < 0 && errno != EINTR);
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now()).count();
    if (!exited && left <= 0) {
      timed_out = true;
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
    if (eof) {
      if (exited) break;
      ::usleep(20000);
      continue;
    }
    pollfd p{pipe_fds[0], POLLIN, 0};
    const int wait_ms = exited ? 0 : static_cast<int>(std::min<long long>(left, 50));
    const int ready = ::poll(&p, 1, wait_ms);
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) {
      if (exited) break;  // ended, nothing more to read now
      continue;
    }
    char buf[4096];
    const ssize_t n = ::read(pipe_fds[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      eof = true;
      continue;
    }
    result_out.out.append(buf, static_cast<std::size_t>(n));
    if (!options.echo_prefix.empty()) {
      pending.append(buf, static_cast<std::size_t>(n));
      echo_lines(pending, options.echo_prefix);
    }
  }
  ::close(pipe_fds[0]);
  if (!pending.empty() && !options.echo_prefix.empty()) {
    pending += '\n';
    echo_lines(pending, options.echo_prefix);
  }
  if (timed_out) {
    return make_error(errc::internal, argv[0] + " " + (argv.size() > 1 ? argv[1] : "") +
                                          ": no end within the time limit; killed");
  }
  result_out.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result_out;
}

}  // namespace haetae::drill
