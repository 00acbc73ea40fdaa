#pragma once
// Errors that reach the user: a message and the exit status `main` returns for it.

#include <stdexcept>
#include <string>

namespace router::util {

// Exit statuses of SPEC §4 (sysexits.h where one fits).
enum class ExitStatus : int {
  ok = 0,
  refused = 1,  // refused or partly done
  usage = 64,   // EX_USAGE
  data = 65,    // EX_DATAERR: bad input data
  db = 74,      // EX_IOERR: database error
  busy = 75,    // EX_TEMPFAIL: database busy past the timeout
  config = 78,  // EX_CONFIG: invalid configuration
};

// Base of every user-facing error; `main` prints "router: <what()>" and exits with status().
class Error : public std::runtime_error {
public:
  Error(ExitStatus status, const std::string& message)
      : std::runtime_error(message), m_status(status) {}
  // The process exit status this error maps to.
  ExitStatus status() const { return m_status; }

private:
  ExitStatus m_status;
};

// The configuration is invalid (78). Diagnostics were already printed when the message is empty.
class ConfigError : public Error {
public:
  explicit ConfigError(const std::string& message) : Error(ExitStatus::config, message) {}
};

// Bad input data, e.g. a lead file (65).
class InputError : public Error {
public:
  explicit InputError(const std::string& message) : Error(ExitStatus::data, message) {}
};

// The database is missing, unreadable, corrupt, too new or read-only (74).
class DbError : public Error {
public:
  explicit DbError(const std::string& message) : Error(ExitStatus::db, message) {}
};

// Another process held the write lock past the busy timeout (75).
class BusyError : public Error {
public:
  explicit BusyError(const std::string& message) : Error(ExitStatus::busy, message) {}
};

// Bad command line (64).
class UsageError : public Error {
public:
  explicit UsageError(const std::string& message) : Error(ExitStatus::usage, message) {}
};

// The request was understood and refused: unknown lead, claim not allowed... (1).
class Refused : public Error {
public:
  explicit Refused(const std::string& message) : Error(ExitStatus::refused, message) {}
};

}  // namespace router::util
