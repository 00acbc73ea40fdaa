#pragma once
// The transport tests' helpers: an environment variable set for one test, and the
// webhook receiver of tests/e2e/webhook_server.py run as a child process.

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../store/temp_dir.hpp"

extern char** environ;  // NOLINT: POSIX names it so

namespace router::test {

// The folder that holds fake_sendmail.sh and webhook_server.py.
inline std::filesystem::path e2e_dir() {
  return ROUTER_TEST_E2E;
}

// A whole file as text ("" when it cannot be read).
inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Sets (or, with nullptr, unsets) an environment variable; puts it back on destruction.
class Env {
public:
  Env(const char* name, const char* value) : m_name(name) {
    if (const char* old = std::getenv(name)) {
      m_old = old;
    }
    if (value != nullptr) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;
  ~Env() {
    if (m_old) {
      ::setenv(m_name, m_old->c_str(), 1);
    } else {
      ::unsetenv(m_name);
    }
  }

private:
  const char* m_name;
  std::optional<std::string> m_old;
};

// The first python3 on $PATH, or "" when there is none.
inline std::string find_python3() {
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path != nullptr ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const auto candidate = std::filesystem::path(dir.empty() ? "." : dir) / "python3";
    if (::access(candidate.c_str(), X_OK) == 0) {
      return candidate.string();
    }
  }
  return {};
}

// True when python3 is there to run the webhook receiver (checked once, at start-up).
inline bool have_python3() {
  static const bool found = !find_python3().empty();
  return found;
}

// webhook_server.py on a free port of 127.0.0.1 with the given --script (and --secret);
// stopped with SIGTERM on destruction.
class WebhookServer {
public:
  explicit WebhookServer(const std::string& script, const std::string& secret = "") {
    const std::string python = find_python3();
    std::vector<std::string> args = {python,        (e2e_dir() / "webhook_server.py").string(),
                                     "--port-file", (m_dir / "port").string(),
                                     "--log",       (m_dir / "log").string(),
                                     "--script",    script};
    if (!secret.empty()) {
      args.insert(args.end(), {"--secret", secret});
    }
    std::vector<char*> argv;
    for (auto& arg : args) {
      argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    if (::posix_spawn(&m_pid, python.c_str(), nullptr, nullptr, argv.data(), environ) != 0) {
      throw std::runtime_error("cannot start webhook_server.py");
    }
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!std::filesystem::exists(m_dir / "port")) {
      if (std::chrono::steady_clock::now() > give_up) {
        throw std::runtime_error("webhook_server.py did not start within 10 s");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    m_port = std::stoi(slurp(m_dir / "port"));
  }
  WebhookServer(const WebhookServer&) = delete;
  WebhookServer& operator=(const WebhookServer&) = delete;
  ~WebhookServer() {
    ::kill(m_pid, SIGTERM);
    int status = 0;
    ::waitpid(m_pid, &status, 0);
  }

  // The port it listens on.
  int port() const { return m_port; }
  // http://127.0.0.1:PORT + path.
  std::string url(const std::string& path = "/hook") const {
    return "http://127.0.0.1:" + std::to_string(m_port) + path;
  }
  // Every request received so far, one JSON object each.
  std::vector<nlohmann::json> requests() const {
    std::vector<nlohmann::json> result;
    std::istringstream lines(slurp(m_dir / "log"));
    for (std::string line; std::getline(lines, line);) {
      result.push_back(nlohmann::json::parse(line));
    }
    return result;
  }

private:
  TempDir m_dir;
  pid_t m_pid = 0;
  int m_port = 0;
};

}  // namespace router::test
