#pragma once
// Internal to src/store: sql::Connection over one SQLite database (SQLiteCpp opens it; the
// statements use the C API directly, with SQLiteCpp's exceptions).

#include <memory>

#include "store/sql.hpp"

namespace SQLite {
class Database;
}

namespace router::store::sql {

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
};

}  // namespace router::store::sql
