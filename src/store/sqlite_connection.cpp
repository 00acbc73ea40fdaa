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
  // Compiles `sql`, or reuses a compiled one from `cache` (null: none), to which the
  // statement returns when destroyed.
  SqliteStatement(sqlite3* db, const std::string& sql, StatementCache* cache = nullptr)
      : m_db(db), m_cache(cache) {
    m_stmt = cache ? cache->take(sql) : nullptr;
    if (!m_stmt) {
      check(m_db,
            sqlite3_prepare_v2(m_db, sql.c_str(), static_cast<int>(sql.size()), &m_stmt, nullptr));
    }
    if (cache) {
      m_sql = sql;
    }
  }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;
  ~SqliteStatement() override {
    if (m_cache && m_stmt) {
      m_cache->give(m_sql, m_stmt);
    } else {
      sqlite3_finalize(m_stmt);
    }
  }

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
  StatementCache* m_cache;
  std::string m_sql;  // the text, when the statement goes back to m_cache
  sqlite3_stmt* m_stmt = nullptr;
  bool m_done = false;
};

}  // namespace

StatementCache::~StatementCache() {
  for (auto& [sql, stmt] : m_kept) {
    sqlite3_finalize(stmt);
  }
}

sqlite3_stmt* StatementCache::take(const std::string& sql) {
  const auto it = m_kept.find(sql);
  if (it == m_kept.end()) {
    return nullptr;
  }
  sqlite3_stmt* stmt = it->second;
  m_kept.erase(it);
  return stmt;
}

void StatementCache::give(const std::string& sql, sqlite3_stmt* stmt) noexcept {
  // A statement that failed or was left mid-way is reset here: it must hold no read lock.
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  if (m_kept.size() >= k_capacity) {
    sqlite3_finalize(stmt);
    return;
  }
  try {
    m_kept.emplace(sql, stmt);
  } catch (...) {
    sqlite3_finalize(stmt);
  }
}

SqliteConnection::SqliteConnection(std::unique_ptr<SQLite::Database> db)
    : m_db(std::move(db)), m_handle(m_db->getHandle()) {}

SqliteConnection::~SqliteConnection() = default;

std::unique_ptr<StatementImpl> SqliteConnection::prepare(const std::string& sql) {
  return std::make_unique<SqliteStatement>(m_handle, sql, m_cache.get());
}

int SqliteConnection::exec(const std::string& sql) {
  // One statement (BEGIN, COMMIT, a PRAGMA...) through the cache, its rows ignored as
  // sqlite3_exec ignores them; a script of several through sqlite3_exec.
  if (sql.find(';') != std::string::npos) {
    return m_db->exec(sql);
  }
  SqliteStatement s(m_handle, sql, m_cache.get());
  while (s.step()) {
  }
  return sqlite3_changes(m_handle);
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
