#pragma once
// Internal to src/store: sql::Connection over one SQLite database (SQLiteCpp opens it; the
// statements use the C API directly, with SQLiteCpp's exceptions).

#include <memory>
#include <string>
#include <unordered_map>

#include "store/sql.hpp"

namespace SQLite {
class Database;
}

struct sqlite3_stmt;

namespace router::store::sql {

// Compiled statements let go by their users, kept for the next prepare of the same text:
// the store prepares its statements per transaction or per call, and compiling one costs
// more than running it (half of `router simulate`'s time, which runs thousands of short
// transactions). A kept statement is reset, holds no lock and no bindings; SQLite
// recompiles it by itself after a schema change.
class StatementCache {
public:
  StatementCache() = default;
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;
  ~StatementCache();
  // A kept statement of exactly this text, taken out of the cache; null when none.
  sqlite3_stmt* take(const std::string& sql);
  // Keeps a statement (reset first) for its text, or finalizes it when the cache is full.
  void give(const std::string& sql, sqlite3_stmt* stmt) noexcept;

private:
  static constexpr std::size_t k_capacity = 256;
  std::unordered_multimap<std::string, sqlite3_stmt*> m_kept;
};

class SqliteConnection final : public Connection {
public:
  explicit SqliteConnection(std::unique_ptr<SQLite::Database> db);
  ~SqliteConnection() override;

  Dialect dialect() const override { return Dialect::sqlite; }
  std::unique_ptr<StatementImpl> prepare(const std::string& sql) override;
  int exec(const std::string& sql) override;
  Value execAndGet(const std::string& sql) override;
  std::int64_t getLastInsertRowid() override;
  bool in_transaction() override;
  void listen(const std::string& /*channel*/) override {}
  bool wait_notification(std::chrono::milliseconds timeout) override;
  sqlite3* getHandle() override { return m_handle; }

private:
  std::unique_ptr<SQLite::Database> m_db;
  sqlite3* m_handle;
  // Declared after m_db: destroyed (its statements finalized) before the database closes.
  std::unique_ptr<StatementCache> m_cache = std::make_unique<StatementCache>();
};

}  // namespace router::store::sql
