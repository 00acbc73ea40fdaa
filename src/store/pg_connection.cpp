#include "store/pg_connection.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <optional>
#include <vector>

#include <dlfcn.h>
#include <libpq-fe.h>
#include <poll.h>

namespace router::store::sql {
namespace {

constexpr const char* k_libpq = "libpq.so.5";

// The libpq functions this file calls.
struct Pq {
  decltype(&::PQconnectdb) connectdb = nullptr;
  decltype(&::PQstatus) status = nullptr;
  decltype(&::PQerrorMessage) error_message = nullptr;
  decltype(&::PQfinish) finish = nullptr;
  decltype(&::PQexec) exec = nullptr;
  decltype(&::PQprepare) prepare = nullptr;
  decltype(&::PQexecPrepared) exec_prepared = nullptr;
  decltype(&::PQresultStatus) result_status = nullptr;
  decltype(&::PQresultErrorField) result_error_field = nullptr;
  decltype(&::PQresultErrorMessage) result_error_message = nullptr;
  decltype(&::PQclear) clear = nullptr;
  decltype(&::PQntuples) ntuples = nullptr;
  decltype(&::PQnfields) nfields = nullptr;
  decltype(&::PQgetvalue) getvalue = nullptr;
  decltype(&::PQgetlength) getlength = nullptr;
  decltype(&::PQgetisnull) getisnull = nullptr;
  decltype(&::PQcmdTuples) cmd_tuples = nullptr;
  decltype(&::PQtransactionStatus) transaction_status = nullptr;
  decltype(&::PQunescapeBytea) unescape_bytea = nullptr;
  decltype(&::PQfreemem) freemem = nullptr;
  decltype(&::PQsetNoticeProcessor) set_notice_processor = nullptr;
  decltype(&::PQsocket) socket = nullptr;
  decltype(&::PQconsumeInput) consume_input = nullptr;
  decltype(&::PQnotifies) notifies = nullptr;
};

const Pq* g_pq = nullptr;

template <typename Function>
bool resolve(void* library, const char* name, Function& function, std::string& error) {
  dlerror();
  void* symbol = dlsym(library, name);
  if (symbol == nullptr) {
    const char* why = dlerror();
    error = std::string("cannot load ") + k_libpq + ": " + (why != nullptr ? why : name);
    return false;
  }
  function = reinterpret_cast<Function>(symbol);  // NOLINT: dlsym's documented use
  return true;
}

// The loaded library; throws Error(unavailable) when it cannot be loaded.
const Pq& load_pq() {
  static std::mutex mutex;
  const std::lock_guard<std::mutex> lock(mutex);
  if (g_pq != nullptr) {
    return *g_pq;
  }
  std::string error;
  void* library = dlopen(k_libpq, RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    const char* why = dlerror();
    throw Error(Error::Kind::unavailable, std::string("cannot load ") + k_libpq +
                                              " (install libpq5 to use PostgreSQL): " +
                                              (why != nullptr ? why : "unknown error"));
  }
  static Pq pq;
  Pq loaded;
  if (!resolve(library, "PQconnectdb", loaded.connectdb, error) ||
      !resolve(library, "PQstatus", loaded.status, error) ||
      !resolve(library, "PQerrorMessage", loaded.error_message, error) ||
      !resolve(library, "PQfinish", loaded.finish, error) ||
      !resolve(library, "PQexec", loaded.exec, error) ||
      !resolve(library, "PQprepare", loaded.prepare, error) ||
      !resolve(library, "PQexecPrepared", loaded.exec_prepared, error) ||
      !resolve(library, "PQresultStatus", loaded.result_status, error) ||
      !resolve(library, "PQresultErrorField", loaded.result_error_field, error) ||
      !resolve(library, "PQresultErrorMessage", loaded.result_error_message, error) ||
      !resolve(library, "PQclear", loaded.clear, error) ||
      !resolve(library, "PQntuples", loaded.ntuples, error) ||
      !resolve(library, "PQnfields", loaded.nfields, error) ||
      !resolve(library, "PQgetvalue", loaded.getvalue, error) ||
      !resolve(library, "PQgetlength", loaded.getlength, error) ||
      !resolve(library, "PQgetisnull", loaded.getisnull, error) ||
      !resolve(library, "PQcmdTuples", loaded.cmd_tuples, error) ||
      !resolve(library, "PQtransactionStatus", loaded.transaction_status, error) ||
      !resolve(library, "PQunescapeBytea", loaded.unescape_bytea, error) ||
      !resolve(library, "PQfreemem", loaded.freemem, error) ||
      !resolve(library, "PQsetNoticeProcessor", loaded.set_notice_processor, error) ||
      !resolve(library, "PQsocket", loaded.socket, error) ||
      !resolve(library, "PQconsumeInput", loaded.consume_input, error) ||
      !resolve(library, "PQnotifies", loaded.notifies, error)) {
    dlclose(library);
    throw Error(Error::Kind::unavailable, error);
  }
  pq = loaded;
  g_pq = &pq;
  return *g_pq;
}

// libpq's messages end in a newline and may run over several lines: the first line.
std::string first_line(const char* message) {
  std::string s = message != nullptr ? message : "";
  const auto end = s.find('\n');
  if (end != std::string::npos) {
    s.resize(end);
  }
  return s.empty() ? std::string("unknown error") : s;
}

struct ResultDeleter {
  void operator()(PGresult* r) const { g_pq->clear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

// What a failed result means for the exit status: lock and statement timeouts, deadlocks
// and serialisation failures are "busy" (75, try again); a lost connection or a server
// shutting down is "unavailable" (74).
Error::Kind kind_of(const char* sqlstate) {
  if (sqlstate == nullptr) {
    return Error::Kind::unavailable;  // no server answer at all: the connection is gone
  }
  const std::string_view s(sqlstate);
  if (s == "55P03" || s == "57014" || s == "40001" || s == "40P01") {
    return Error::Kind::busy;
  }
  if (s.substr(0, 2) == "08" || s == "57P01" || s == "57P02" || s == "57P03") {
    return Error::Kind::unavailable;
  }
  return Error::Kind::other;
}

// Throws for a result that is not `expected` (nor, for commands, PGRES_TUPLES_OK).
Result check(PGconn* conn, PGresult* raw) {
  Result r(raw);
  const ExecStatusType status = r ? g_pq->result_status(r.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
    return r;
  }
  if (!r) {
    throw Error(Error::Kind::unavailable, first_line(g_pq->error_message(conn)));
  }
  throw Error(kind_of(g_pq->result_error_field(r.get(), PG_DIAG_SQLSTATE)),
              first_line(g_pq->result_error_message(r.get())));
}

void ignore_notice(void* /*arg*/, const char* /*message*/) {}

// The rows a command changed, 0 for one that changes none.
int changed_rows(PGresult* r) {
  const char* n = g_pq->cmd_tuples(r);
  return (n != nullptr && *n != '\0') ? std::atoi(n) : 0;
}

// An integer column's text. A boolean (EXISTS, a comparison) reads as SQLite gives it: 1 or 0.
std::int64_t integer_of(const char* text) {
  if (text[0] == 't' && text[1] == '\0') {
    return 1;
  }
  return std::strtoll(text, nullptr, 10);  // "f" reads as 0
}

constexpr Oid k_text_oid = 25;  // pg_type's `text`

class PgStatement final : public StatementImpl {
public:
  PgStatement(PGconn* conn, std::string name, const std::string& sql)
      : m_conn(conn), m_name(std::move(name)) {
    const std::string text = postgres_sql(sql);
    // PostgreSQL prepares only SELECT, INSERT, UPDATE, DELETE and VALUES: a FETCH from a
    // cursor (how a large table is read in pieces) runs unprepared, each time it is stepped.
    if (text.rfind("FETCH ", 0) == 0) {
      m_direct = text;
      return;
    }
    // The server infers each parameter's type from its use; one the text skips (numbered
    // parameters, some left out of one shape of a statement) is declared text.
    std::vector<Oid> types;
    for (std::size_t i = 0; i + 1 < text.size(); ++i) {
      if (text[i] == '$' && std::isdigit(static_cast<unsigned char>(text[i + 1])) != 0) {
        const auto n = static_cast<std::size_t>(std::atoi(text.c_str() + i + 1));
        if (n > types.size()) {
          types.resize(n, k_text_oid);
        }
        types[n - 1] = 0;
      }
    }
    check(m_conn, g_pq->prepare(m_conn, m_name.c_str(), text.c_str(),
                                static_cast<int>(types.size()), types.data()));
    m_values.resize(types.size());
  }
  ~PgStatement() override {
    if (!m_direct.empty()) {
      return;
    }
    // A statement outlives nothing: the server forgets it with the connection. Deallocate
    // now so a long-running process preparing statements anew does not pile them up.
    if (PGresult* r = g_pq->exec(m_conn, ("DEALLOCATE " + m_name).c_str())) {
      g_pq->clear(r);
    }
  }

  void bind_null(int index) override { slot(index).reset(); }
  void bind_int64(int index, std::int64_t value) override { slot(index) = std::to_string(value); }
  void bind_double(int index, double value) override {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.17g", value);
    slot(index) = buffer;
  }
  void bind_text(int index, std::string_view value, bool /*copy*/) override {
    // Text parameters travel as C strings: a NUL would cut the value short, silently.
    if (value.find('\0') != std::string_view::npos) {
      throw Error(Error::Kind::other, "a text value holds a NUL byte, which PostgreSQL refuses");
    }
    slot(index) = std::string(value);
  }
  void bind_blob(int index, const void* data, std::size_t size, bool /*copy*/) override {
    // bytea's hex input form.
    static constexpr char k_hex[] = "0123456789abcdef";
    std::string text = "\\x";
    text.reserve(2 + 2 * size);
    const auto* bytes = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i) {
      text += k_hex[bytes[i] >> 4];
      text += k_hex[bytes[i] & 15];
    }
    slot(index) = std::move(text);
  }
  bool step() override {
    if (!m_result) {
      run();
      m_row = -1;
    }
    ++m_row;
    return m_row < g_pq->ntuples(m_result.get());
  }
  int exec() override {
    run();
    const int changed = changed_rows(m_result.get());
    m_result.reset();
    return changed;
  }
  void reset() override { m_result.reset(); }
  void try_reset() noexcept override { m_result.reset(); }
  void clear_bindings() override {
    for (auto& v : m_values) {
      v.reset();
    }
  }
  int column_count() override { return m_result ? g_pq->nfields(m_result.get()) : 0; }

  bool is_null(int column) override { return g_pq->getisnull(m_result.get(), m_row, column) != 0; }
  std::int64_t int64(int column) override {
    return integer_of(g_pq->getvalue(m_result.get(), m_row, column));
  }
  double real(int column) override {
    return std::strtod(g_pq->getvalue(m_result.get(), m_row, column), nullptr);
  }
  std::string_view text(int column) override {
    return {g_pq->getvalue(m_result.get(), m_row, column),
            static_cast<std::size_t>(g_pq->getlength(m_result.get(), m_row, column))};
  }
  std::optional<std::string_view> optional_text(int column) override {
    if (is_null(column)) {
      return std::nullopt;
    }
    return text(column);
  }
  std::string blob(int column) override {
    if (is_null(column)) {
      return {};
    }
    std::size_t n = 0;
    unsigned char* bytes = g_pq->unescape_bytea(
        reinterpret_cast<const unsigned char*>(g_pq->getvalue(m_result.get(), m_row, column)), &n);
    if (bytes == nullptr) {
      throw Error(Error::Kind::other, "cannot decode a bytea value");
    }
    std::string out(reinterpret_cast<const char*>(bytes), n);
    g_pq->freemem(bytes);
    return out;
  }

private:
  std::optional<std::string>& slot(int index) {
    if (index < 1 || static_cast<std::size_t>(index) > m_values.size()) {
      throw Error(Error::Kind::other, "bind index " + std::to_string(index) + " out of range");
    }
    return m_values[static_cast<std::size_t>(index - 1)];
  }
  void run() {
    if (!m_direct.empty()) {
      m_result = check(m_conn, g_pq->exec(m_conn, m_direct.c_str()));
      return;
    }
    std::vector<const char*> values(m_values.size());
    for (std::size_t i = 0; i < m_values.size(); ++i) {
      values[i] = m_values[i] ? m_values[i]->c_str() : nullptr;
    }
    m_result =
        check(m_conn, g_pq->exec_prepared(m_conn, m_name.c_str(), static_cast<int>(values.size()),
                                          values.data(), nullptr, nullptr, 0));
  }

  PGconn* m_conn;
  std::string m_name;
  std::string m_direct;  // a FETCH, run unprepared
  std::vector<std::optional<std::string>> m_values;
  Result m_result;
  int m_row = -1;
};

}  // namespace

struct PgConnection::Handle {
  PGconn* conn = nullptr;
  std::uint64_t statements = 0;
  ~Handle() {
    if (conn != nullptr) {
      g_pq->finish(conn);
    }
  }
};

bool is_postgres_uri(std::string_view target) {
  return target.rfind("postgresql://", 0) == 0 || target.rfind("postgres://", 0) == 0;
}

std::string redact_uri(std::string_view uri) {
  std::string out(uri);
  // scheme://user:password@host...: the userinfo ends at the last '@' before the path.
  const auto scheme = out.find("://");
  if (scheme != std::string::npos) {
    const auto start = scheme + 3;
    const auto path = out.find_first_of("/?", start);
    const auto at = out.rfind('@', path == std::string::npos ? std::string::npos : path);
    if (at != std::string::npos && at >= start) {
      const auto colon = out.find(':', start);
      if (colon != std::string::npos && colon < at) {
        out.erase(colon, at - colon);
      }
    }
  }
  // password=... among the parameters.
  for (auto p = out.find("password="); p != std::string::npos; p = out.find("password=", p)) {
    const bool parameter = p > 0 && (out[p - 1] == '?' || out[p - 1] == '&');
    if (!parameter) {
      p += 9;
      continue;
    }
    const auto end = out.find('&', p);
    const auto from = out[p - 1] == '&' ? p - 1 : p;
    out.erase(from, end == std::string::npos ? std::string::npos
                                             : (out[p - 1] == '&' ? end : end + 1) - from);
    p = from;
  }
  if (!out.empty() && (out.back() == '?' || out.back() == '&')) {
    out.pop_back();
  }
  return out;
}

namespace {

bool ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

// Case-insensitive: does `sql` hold `word` at `at`, as a whole word?
bool word_at(std::string_view sql, std::size_t at, std::string_view word) {
  if (at + word.size() > sql.size() || (at > 0 && ident_char(sql[at - 1]))) {
    return false;
  }
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (std::toupper(static_cast<unsigned char>(sql[at + i])) !=
        std::toupper(static_cast<unsigned char>(word[i]))) {
      return false;
    }
  }
  const std::size_t end = at + word.size();
  return end == sql.size() || !ident_char(sql[end]) || !ident_char(word.back());
}

std::size_t skip_space(std::string_view sql, std::size_t at) {
  while (at < sql.size() && std::isspace(static_cast<unsigned char>(sql[at])) != 0) {
    ++at;
  }
  return at;
}

// Does the call whose '(' is at `open` have more than one argument at its own level?
bool several_arguments(std::string_view sql, std::size_t open) {
  int depth = 0;
  char quote = 0;
  for (std::size_t i = open; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote != 0) {
      quote = c == quote ? 0 : quote;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (--depth == 0) {
        return false;
      }
    } else if (c == ',' && depth == 1) {
      return true;
    }
  }
  return false;
}

// One statement (no ';' outside quotes) in PostgreSQL's terms.
std::string rewrite_statement(std::string_view sql, int& parameters) {
  std::string out;
  out.reserve(sql.size() + 32);
  bool ignore_conflicts = false;
  char quote = 0;
  std::size_t i = 0;
  while (i < sql.size()) {
    const char c = sql[i];
    if (quote != 0) {
      quote = c == quote ? 0 : quote;
      out += c;
      ++i;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      out += c;
      ++i;
    } else if (c == '?') {
      std::size_t j = i + 1;
      while (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j])) != 0) {
        ++j;
      }
      const int n =
          j > i + 1 ? std::atoi(std::string(sql.substr(i + 1, j - i - 1)).c_str()) : parameters + 1;
      parameters = std::max(parameters, n);
      out += '$';
      out += std::to_string(n);
      i = j;
    } else if (word_at(sql, i, "main.")) {
      i += 5;
    } else if (word_at(sql, i, "temp.")) {
      out += "pg_temp.";
      i += 5;
    } else if (word_at(sql, i, "NOT INDEXED")) {
      i = skip_space(sql, i + 11);
    } else if (word_at(sql, i, "INDEXED BY")) {
      i = skip_space(sql, i + 10);
      while (i < sql.size() && ident_char(sql[i])) {
        ++i;
      }
      i = skip_space(sql, i);
    } else if (word_at(sql, i, "INSERT OR IGNORE")) {
      out += "INSERT";
      ignore_conflicts = true;
      i += 16;
    } else if (word_at(sql, i, "AS INTEGER")) {
      out += "AS BIGINT";
      i += 10;
    } else if ((word_at(sql, i, "max") || word_at(sql, i, "min")) &&
               skip_space(sql, i + 3) < sql.size() && sql[skip_space(sql, i + 3)] == '(' &&
               several_arguments(sql, skip_space(sql, i + 3))) {
      out += (sql[i + 1] == 'a' || sql[i + 1] == 'A') ? "greatest" : "least";
      i += 3;
    } else if (ident_char(c)) {
      // A whole identifier, so the words above only match at its start.
      const std::size_t start = i;
      while (i < sql.size() && ident_char(sql[i])) {
        ++i;
      }
      out.append(sql.substr(start, i - start));
    } else {
      out += c;
      ++i;
    }
  }
  if (ignore_conflicts) {
    while (!out.empty() && std::isspace(static_cast<unsigned char>(out.back())) != 0) {
      out.pop_back();
    }
    out += " ON CONFLICT DO NOTHING";
  }
  return out;
}

}  // namespace

std::string postgres_sql(std::string_view sql) {
  std::string out;
  int parameters = 0;
  char quote = 0;
  std::size_t start = 0;
  const auto flush = [&](std::size_t end) {
    const std::string_view statement = sql.substr(start, end - start);
    const std::size_t first = skip_space(statement, 0);
    if (first < statement.size() && !word_at(statement, first, "PRAGMA")) {
      if (!out.empty()) {
        out += ';';
      }
      out += rewrite_statement(statement, parameters);
    }
    start = end + 1;
  };
  for (std::size_t i = 0; i < sql.size(); ++i) {
    const char c = sql[i];
    if (quote != 0) {
      quote = c == quote ? 0 : quote;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == ';') {
      flush(i);
    }
  }
  flush(sql.size());
  return out;
}

PgConnection::PgConnection(const std::string& uri, std::chrono::milliseconds busy_timeout)
    : m_handle(std::make_unique<Handle>()) {
  const Pq& pq = load_pq();
  m_handle->conn = pq.connectdb(uri.c_str());
  if (m_handle->conn == nullptr || pq.status(m_handle->conn) != CONNECTION_OK) {
    const std::string why =
        m_handle->conn != nullptr ? first_line(pq.error_message(m_handle->conn)) : "out of memory";
    throw Error(Error::Kind::unavailable, "cannot connect to " + redact_uri(uri) + ": " + why);
  }
  pq.set_notice_processor(m_handle->conn, ignore_notice, nullptr);
  // Lock waits (row locks, the writers' advisory lock) give up as --busy-timeout says;
  // times are read and written as unix seconds in UTC.
  exec("SET lock_timeout = " + std::to_string(busy_timeout.count()) +
       "; SET TIME ZONE 'UTC'; SET client_min_messages = warning");
}

PgConnection::~PgConnection() = default;

std::unique_ptr<StatementImpl> PgConnection::prepare(const std::string& sql) {
  return std::make_unique<PgStatement>(m_handle->conn, "s" + std::to_string(++m_handle->statements),
                                       sql);
}

int PgConnection::exec(const std::string& sql) {
  const std::string text = postgres_sql(sql);
  if (text.empty()) {
    return 0;  // PRAGMAs only
  }
  Result r = check(m_handle->conn, g_pq->exec(m_handle->conn, text.c_str()));
  return changed_rows(r.get());
}

Value PgConnection::execAndGet(const std::string& sql) {
  Result r = check(m_handle->conn, g_pq->exec(m_handle->conn, postgres_sql(sql).c_str()));
  if (g_pq->ntuples(r.get()) == 0 || g_pq->getisnull(r.get(), 0, 0) != 0) {
    return Value{};
  }
  return Value{std::string(g_pq->getvalue(r.get(), 0, 0))};
}

std::int64_t PgConnection::getLastInsertRowid() {
  return execAndGet("SELECT lastval()").getInt64();
}

bool PgConnection::in_transaction() {
  return g_pq->transaction_status(m_handle->conn) != PQTRANS_IDLE;
}

void PgConnection::listen(const std::string& channel) {
  exec("LISTEN " + channel);
}

bool PgConnection::wait_notification(std::chrono::milliseconds timeout) {
  PGconn* conn = m_handle->conn;
  // Takes every notification already received; true when there was one.
  const auto drain = [&] {
    bool any = false;
    if (g_pq->consume_input(conn) == 0) {
      throw Error(Error::Kind::unavailable, first_line(g_pq->error_message(conn)));
    }
    while (PGnotify* n = g_pq->notifies(conn)) {
      any = true;
      g_pq->freemem(n);
    }
    return any;
  };
  if (drain()) {
    return true;
  }
  pollfd fd{g_pq->socket(conn), POLLIN, 0};
  if (fd.fd < 0) {
    throw Error(Error::Kind::unavailable, "the connection to the server is gone");
  }
  // A signal (TERM for a follower) ends the wait early, as it ended the sleep before.
  if (::poll(&fd, 1, static_cast<int>(timeout.count())) <= 0) {
    return false;
  }
  return drain();
}

}  // namespace router::store::sql
