// Mail through the system's sendmail interface: `SENDMAIL -t -i`, the message on its
// standard input, no shell in between.
#include "transport/sigpipe.hpp"
#include "transport/transport.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;  // NOLINT: POSIX names it so

namespace router::transport {
namespace {

using Clock = std::chrono::steady_clock;

// What sendmail says on stderr (and stdout) is kept up to this many bytes; its first line
// becomes the error text.
constexpr std::size_t k_capture_limit = 4096;

// pump()'s answer when the child's wait status cannot be had.
constexpr int k_lost = -1;

// A file descriptor closed when it goes out of scope.
class Fd {
public:
  Fd() = default;
  explicit Fd(int fd) : m_fd(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  int get() const { return m_fd; }
  // Closes the descriptor held, then holds `fd`.
  void reset(int fd = -1) {
    if (m_fd >= 0) {
      ::close(m_fd);
    }
    m_fd = fd;
  }

private:
  int m_fd = -1;
};

// A pipe whose ends are closed on exec (the child gets its copies through dup2).
bool make_pipe(Fd& read_end, Fd& write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    return false;
  }
  read_end.reset(fds[0]);
  write_end.reset(fds[1]);
  return true;
}

void set_nonblocking(int fd) {
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
}

Outcome failure(std::string error, long status = 0) {
  Outcome outcome;
  outcome.error = std::move(error);
  outcome.status = status;
  return outcome;
}

// Starts `path -t -i` in its own process group (so a timeout kills what it started too),
// its standard input reading `in`, its standard output and error writing `out`. The child
// gets SIGPIPE's default action and an empty signal mask whatever router's are. Returns
// the pid, or 0 with errno-style `error` set.
pid_t spawn(const std::string& path, int in, int out, int& error) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in, STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out, STDERR_FILENO);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigset_t empty;
  sigemptyset(&empty);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setsigmask(&attributes, &empty);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setflags(&attributes,
                           POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);
  std::string t = "-t";
  std::string i = "-i";
  std::string program = path;
  char* argv[] = {program.data(), t.data(), i.data(), nullptr};
  pid_t pid = 0;
  error = ::posix_spawn(&pid, path.c_str(), &actions, &attributes, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  return error == 0 ? pid : 0;
}

// Reads what is available from `fd` into `captured` (up to the limit; the rest is read and
// dropped so the child never blocks on a full pipe). False at end of file or on error.
bool drain(int fd, std::string& captured) {
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
      const auto room = k_capture_limit - std::min(k_capture_limit, captured.size());
      captured.append(buffer, std::min(room, static_cast<std::size_t>(n)));
      continue;
    }
    if (n < 0 && errno == EINTR) {
      continue;
    }
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
}

// The child's wait status once it exits (k_lost when it cannot be had), or nothing when
// `deadline` passes first. Feeds `message` to `in` (closed once written, or when sendmail
// stops reading) and collects `out` meanwhile. The exit of the child ends the wait, not the
// end of its output: a process it left behind may hold the pipe open.
std::optional<int> pump(pid_t pid, Fd& in, Fd& out, std::string_view message,
                        Clock::time_point deadline, std::string& captured) {
  std::size_t written = 0;
  if (message.empty()) {
    in.reset();
  }
  for (;;) {
    int status = 0;
    const pid_t done = ::waitpid(pid, &status, WNOHANG);
    if (done < 0 && errno != EINTR) {
      return k_lost;  // someone else reaped it (SIGCHLD ignored?): its status is unknown
    }
    if (done == pid) {
      if (out.get() >= 0) {
        drain(out.get(), captured);
      }
      return status;
    }
    const auto now = Clock::now();
    if (now >= deadline) {
      return std::nullopt;
    }
    pollfd fds[2] = {{in.get(), POLLOUT, 0}, {out.get(), POLLIN, 0}};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
    // Short slices: a child's exit shows up only through waitpid.
    ::poll(fds, 2, static_cast<int>(std::clamp<long long>(left, 1, 20)));
    if (in.get() >= 0 && (fds[0].revents & (POLLOUT | POLLERR | POLLHUP)) != 0) {
      const ssize_t n = ::write(in.get(), message.data() + written, message.size() - written);
      if (n > 0) {
        written += static_cast<std::size_t>(n);
      }
      // EPIPE: sendmail stopped reading; its exit status tells what became of the message.
      if (written == message.size() || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        in.reset();
      }
    }
    if (out.get() >= 0 && (fds[1].revents & (POLLIN | POLLERR | POLLHUP)) != 0 &&
        !drain(out.get(), captured)) {
      out.reset();
    }
  }
}

std::string first_line(const std::string& text) {
  const auto start = text.find_first_not_of(" \t\r\n");
  if (start == std::string::npos) {
    return {};
  }
  const auto end = text.find_first_of("\r\n", start);
  return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

Outcome describe(int status, const std::string& captured) {
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    Outcome outcome;
    outcome.ok = true;
    return outcome;
  }
  if (WIFSIGNALED(status)) {
    return failure("sendmail was killed by signal " + std::to_string(WTERMSIG(status)));
  }
  const int code = WEXITSTATUS(status);
  std::string error = "sendmail exited with status " + std::to_string(code);
  if (const auto line = first_line(captured); !line.empty()) {
    error += ": " + line;
  }
  return failure(std::move(error), code);
}

}  // namespace

Outcome send_mail(const std::string& sendmail, std::string_view message,
                  std::chrono::seconds timeout) {
  const auto deadline = Clock::now() + timeout;
  const SigpipeGuard no_sigpipe;
  Fd child_in;
  Fd in;
  Fd out;
  Fd child_out;
  if (!make_pipe(child_in, in) || !make_pipe(out, child_out)) {
    return failure("cannot run " + sendmail + ": " + std::strerror(errno));
  }
  int error = 0;
  const pid_t pid = spawn(sendmail, child_in.get(), child_out.get(), error);
  if (pid == 0) {
    return failure("cannot run " + sendmail + ": " + std::strerror(error));
  }
  child_in.reset();
  child_out.reset();
  set_nonblocking(in.get());
  set_nonblocking(out.get());

  std::string captured;
  const auto status = pump(pid, in, out, message, deadline, captured);
  if (status == k_lost) {
    return failure("cannot wait for sendmail: " + std::string(std::strerror(ECHILD)));
  }
  if (status) {
    return describe(*status, captured);
  }
  ::kill(-pid, SIGKILL);
  int ignored = 0;
  while (::waitpid(pid, &ignored, 0) < 0 && errno == EINTR) {
  }
  return failure("sendmail timed out after " + std::to_string(timeout.count()) + "s");
}

}  // namespace router::transport
