#pragma once
// Internal to src/store: the narrow interface the repositories speak to a database through,
// so the same SQL runs on SQLite (store/sqlite_connection.*) and PostgreSQL
// (store/pg_connection.*). Parameters are written `?` in both; the PostgreSQL side numbers
// them. The method names follow SQLiteCpp's, which the repositories were written against.
// Errors: SQLite::Exception from the SQLite side, sql::Error from PostgreSQL; guarded()
// (store/sqlite_error.hpp) turns either into DbError or BusyError.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;

namespace router::store::sql {

enum class Dialect { sqlite, postgresql };

// What went wrong on a server, in the terms the exit statuses need.
class Error : public std::runtime_error {
public:
  enum class Kind { busy, unavailable, other };
  Error(Kind kind, const std::string& message) : std::runtime_error(message), m_kind(kind) {}
  Kind kind() const { return m_kind; }

private:
  Kind m_kind;
};

// One backend's prepared statement. Columns are read from the current row only; a text
// view stays valid until the next step or reset.
class StatementImpl {
public:
  StatementImpl() = default;
  StatementImpl(const StatementImpl&) = delete;
  StatementImpl& operator=(const StatementImpl&) = delete;
  virtual ~StatementImpl() = default;

  virtual void bind_null(int index) = 0;
  virtual void bind_int64(int index, std::int64_t value) = 0;
  virtual void bind_double(int index, double value) = 0;
  // `copy` false: the bytes must stay unchanged until the statement is reset.
  virtual void bind_text(int index, std::string_view value, bool copy) = 0;
  virtual void bind_blob(int index, const void* data, std::size_t size, bool copy) = 0;
  virtual bool step() = 0;
  virtual int exec() = 0;
  virtual void reset() = 0;
  virtual void try_reset() noexcept = 0;
  virtual void clear_bindings() = 0;
  virtual int column_count() = 0;

  virtual bool is_null(int column) = 0;
  virtual std::int64_t int64(int column) = 0;
  virtual double real(int column) = 0;
  virtual std::string_view text(int column) = 0;  // NUL-terminated
  // The text, nullopt for NULL, in one call (the hot loops of reports read millions).
  virtual std::optional<std::string_view> optional_text(int column) = 0;
  virtual std::string blob(int column) = 0;
};

class Statement;

// Column `index` of a statement's current row.
class Column {
public:
  Column(StatementImpl& s, int index) : m_s(&s), m_index(index) {}
  bool isNull() const { return m_s->is_null(m_index); }
  std::int64_t getInt64() const { return m_s->int64(m_index); }
  int getInt() const { return static_cast<int>(m_s->int64(m_index)); }
  double getDouble() const { return m_s->real(m_index); }
  std::string getString() const { return std::string(m_s->text(m_index)); }
  std::string_view getView() const { return m_s->text(m_index); }
  std::optional<std::string_view> getOptionalView() const { return m_s->optional_text(m_index); }
  // The text, "" for NULL; valid until the next step.
  const char* getText() const { return m_s->text(m_index).data(); }
  std::string getBlob() const { return m_s->blob(m_index); }

private:
  StatementImpl* m_s;
  int m_index;
};

// A single value, owned: what Connection::execAndGet returns.
class Value {
public:
  Value() = default;
  explicit Value(std::optional<std::string> text) : m_text(std::move(text)) {}
  bool isNull() const { return !m_text; }
  std::int64_t getInt64() const;
  int getInt() const { return static_cast<int>(getInt64()); }
  double getDouble() const;
  std::string getString() const { return m_text.value_or(""); }

private:
  std::optional<std::string> m_text;
};

class Connection;

// A prepared statement on a connection, used as SQLiteCpp's: bind 1-based, step, read
// 0-based columns, reset to run again.
class Statement {
public:
  Statement(Connection& db, const std::string& sql);
  Statement(Statement&&) noexcept = default;
  Statement& operator=(Statement&&) noexcept = default;
  ~Statement() = default;

  void bind(int index) { m_impl->bind_null(index); }
  void bind(int index, int value) { m_impl->bind_int64(index, value); }
  void bind(int index, long value) { m_impl->bind_int64(index, value); }
  void bind(int index, long long value) { m_impl->bind_int64(index, value); }
  void bind(int index, unsigned value) { m_impl->bind_int64(index, value); }
  void bind(int index, double value) { m_impl->bind_double(index, value); }
  void bind(int index, const std::string& value) { m_impl->bind_text(index, value, true); }
  void bind(int index, std::string_view value) { m_impl->bind_text(index, value, true); }
  void bind(int index, const char* value) { m_impl->bind_text(index, value, true); }
  void bind(int index, const void* data, int size) {
    m_impl->bind_blob(index, data, static_cast<std::size_t>(size), true);
  }
  void bindNoCopy(int index, const std::string& value) { m_impl->bind_text(index, value, false); }
  void bindNoCopy(int index, const void* data, int size) {
    m_impl->bind_blob(index, data, static_cast<std::size_t>(size), false);
  }
  bool executeStep() { return m_impl->step(); }
  int exec() { return m_impl->exec(); }
  void reset() { m_impl->reset(); }
  void tryReset() noexcept { m_impl->try_reset(); }
  void clearBindings() { m_impl->clear_bindings(); }
  Column getColumn(int index) { return Column(*m_impl, index); }
  int getColumnCount() { return m_impl->column_count(); }

private:
  std::unique_ptr<StatementImpl> m_impl;
};

// One open connection of either backend.
class Connection {
public:
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  virtual ~Connection() = default;

  virtual Dialect dialect() const = 0;
  virtual std::unique_ptr<StatementImpl> prepare(const std::string& sql) = 0;
  // Runs one or more statements that return no rows; the rows the last one changed.
  virtual int exec(const std::string& sql) = 0;
  // The first column of the first row of `sql` (NULL when there is no row).
  virtual Value execAndGet(const std::string& sql) = 0;
  // The id the last INSERT on this connection gave its row.
  virtual std::int64_t getLastInsertRowid() = 0;
  // True inside an explicit transaction.
  virtual bool in_transaction() = 0;
  // Subscribes this connection to a notification channel (PostgreSQL's LISTEN; nothing on
  // SQLite, which has none).
  virtual void listen(const std::string& channel) = 0;
  // Waits up to `timeout` for a notification on a channel listened to; true when one came
  // (SQLite: sleeps the whole time and returns false).
  virtual bool wait_notification(std::chrono::milliseconds timeout) = 0;
  // The SQLite handle, or nullptr on PostgreSQL.
  virtual sqlite3* getHandle() { return nullptr; }
};

inline Statement::Statement(Connection& db, const std::string& sql) : m_impl(db.prepare(sql)) {}

// `values` as one PostgreSQL text[] literal, to bind for CAST(? AS TEXT[]): each quoted, with
// \ and " escaped.
std::string text_array(const std::vector<std::string>& values);

}  // namespace router::store::sql
