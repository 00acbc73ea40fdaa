#include "store/read_transaction.hpp"

#include "store/sql.hpp"

#include "store/sqlite_error.hpp"

namespace router::store {

ReadTransaction::ReadTransaction(Database& db) : m_db(db) {
  // PostgreSQL: one snapshot for the whole transaction (read committed takes one per
  // statement).
  guarded(m_db, [&] {
    m_db.sql().exec(m_db.postgres() ? "BEGIN ISOLATION LEVEL REPEATABLE READ" : "BEGIN DEFERRED");
  });
}

ReadTransaction::~ReadTransaction() {
  try {
    m_db.sql().exec("COMMIT");
  } catch (...) {  // NOLINT(bugprone-empty-catch): a read-only transaction has nothing to lose
  }
}

}  // namespace router::store
