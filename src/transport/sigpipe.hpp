#pragma once
// Writing to a pipe or socket whose reader is gone raises SIGPIPE, which would end router.
// Rather than ignore SIGPIPE for the whole process (router's own `events | head` must still
// end quietly on a closed standard output), a transport call blocks it in its own thread
// for the duration, gets EPIPE from the write instead, and discards the signal it caused.

#include <csignal>
#include <ctime>

#include <pthread.h>

namespace router::transport {

// Blocks SIGPIPE in this thread while alive; on destruction discards a SIGPIPE raised
// meanwhile and restores the thread's signal mask.
class SigpipeGuard {
public:
  SigpipeGuard() {
    sigemptyset(&m_pipe);
    sigaddset(&m_pipe, SIGPIPE);
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    m_was_pending = sigismember(&pending, SIGPIPE) == 1;
    pthread_sigmask(SIG_BLOCK, &m_pipe, &m_old);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;
  ~SigpipeGuard() {
    sigset_t pending;
    sigemptyset(&pending);
    if (!m_was_pending && sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1) {
      const timespec now{0, 0};
      sigtimedwait(&m_pipe, nullptr, &now);
    }
    pthread_sigmask(SIG_SETMASK, &m_old, nullptr);
  }

private:
  sigset_t m_pipe{};
  sigset_t m_old{};
  bool m_was_pending = false;
};

}  // namespace router::transport
