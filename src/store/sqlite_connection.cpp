#include "store/sqlite_connection.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <sqlite3.h>

#include <thread>

namespace router::store::sql {
namespace {

void check(sqlite3* db, int rc) {
  if (rc != SQLITE_OK) {
    throw SQLite::Exception(db, rc);
  }
}

class SqliteStatement final : public StatementImpl {
public:
  SqliteStatement(sqlite3* db, const std::string& sql) : m_db(db) {
    check(m_db,
          sqlite3_prepare_v2(m_db, sql.c_str(), static_cast<int>(sql.size()), &m_stmt, nullptr));
  }
  ~SqliteStatement() override { sqlite3_finalize(m_stmt); }

  void bind_null(int index) override { check(m_db, sqlite3_bind_null(m_stmt, index)); }
  void bind_int64(int index, std::int64_t value) override {
    check(m_db, sqlite3_bind_int64(m_stmt, index, value));
  }
  void bind_double(int index, double value) override {
    check(m_db, sqlite3_bind_double(m_stmt, index, value));
  }
  void bind_text(int index, std::string_view value, bool copy) override {
    check(m_db, sqlite3_bind_text(m_stmt, index, value.data(), static_cast<int>(value.size()),
                                  copy ? SQLITE_TRANSIENT : SQLITE_STATIC));
  }
  void bind_blob(int index, const void* data, std::size_t size, bool copy) override {
    check(m_db, sqlite3_bind_blob(m_stmt, index, data, static_cast<int>(size),
                                  copy ? SQLITE_TRANSIENT : SQLITE_STATIC));
  }
  bool step() override {
    if (m_done) {
      throw SQLite::Exception("Statement needs to be reset", SQLITE_MISUSE);
    }
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) {
      return true;
    }
    if (rc == SQLITE_DONE) {
      m_done = true;
      return false;
    }
    throw SQLite::Exception(m_db, rc);
  }
  int exec() override {
    if (step()) {
      throw SQLite::Exception("exec() does not expect results. Use executeStep.", SQLITE_MISUSE);
    }
    return sqlite3_changes(m_db);
  }
  void reset() override {
    m_done = false;
    check(m_db, sqlite3_reset(m_stmt));
  }
  void try_reset() noexcept override {
    m_done = false;
    sqlite3_reset(m_stmt);
  }
  void clear_bindings() override { check(m_db, sqlite3_clear_bindings(m_stmt)); }
  int column_count() override { return sqlite3_column_count(m_stmt); }

  bool is_null(int column) override { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }
  std::int64_t int64(int column) override { return sqlite3_column_int64(m_stmt, column); }
  double real(int column) override { return sqlite3_column_double(m_stmt, column); }
  std::string_view text(int column) override {
    // Null for NULL: no separate type call.
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    if (p == nullptr) {
      return {""};
    }
    return {p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column))};
  }
  std::optional<std::string_view> optional_text(int column) override {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    if (p == nullptr) {
      return std::nullopt;
    }
    return std::string_view{p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column))};
  }
  std::string blob(int column) override {
    const void* p = sqlite3_column_blob(m_stmt, column);
    const auto n = static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column));
    return p == nullptr ? std::string() : std::string(static_cast<const char*>(p), n);
  }

private:
  sqlite3* m_db;
  sqlite3_stmt* m_stmt = nullptr;
  bool m_done = false;
};

}  // namespace

SqliteConnection::SqliteConnection(std::unique_ptr<SQLite::Database> db)
    : m_db(std::move(db)), m_handle(m_db->getHandle()) {}

SqliteConnection::~SqliteConnection() = default;

std::unique_ptr<StatementImpl> SqliteConnection::prepare(const std::string& sql) {
  return std::make_unique<SqliteStatement>(m_handle, sql);
}

int SqliteConnection::exec(const std::string& sql) {
  return m_db->exec(sql);
}

Value SqliteConnection::execAndGet(const std::string& sql) {
  SqliteStatement s(m_handle, sql);
  if (!s.step() || s.is_null(0)) {
    return Value{};
  }
  return Value{std::string(s.text(0))};
}

std::int64_t SqliteConnection::getLastInsertRowid() {
  return sqlite3_last_insert_rowid(m_handle);
}

bool SqliteConnection::wait_notification(std::chrono::milliseconds timeout) {
  std::this_thread::sleep_for(timeout);
  return false;
}

bool SqliteConnection::in_transaction() {
  return sqlite3_get_autocommit(m_handle) == 0;
}

}  // namespace router::store::sql
