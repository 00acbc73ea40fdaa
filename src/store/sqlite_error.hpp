#pragma once
// Internal to src/store: turns SQLiteCpp exceptions into the router's error types, so
// callers outside the store only ever see DbError (74) or BusyError (75).

#include <string>
#include <utility>

#include <SQLiteCpp/Exception.h>

#include "store/database.hpp"
#include "store/sql.hpp"

namespace router::store {

// Throws the router error matching `e`: BusyError for SQLITE_BUSY/LOCKED, DbError else.
[[noreturn]] void rethrow(const SQLite::Exception& e, const std::filesystem::path& path,
                          std::chrono::milliseconds busy_timeout);

// Throws the router error matching a PostgreSQL failure: BusyError for lock and statement
// timeouts, deadlocks and serialisation failures, DbError else.
[[noreturn]] void rethrow(const sql::Error& e, const std::filesystem::path& path,
                          std::chrono::milliseconds busy_timeout);

// Runs `work`, translating any database exception it throws.
template <class F> decltype(auto) guarded(Database& db, F&& work) {
  try {
    return std::forward<F>(work)();
  } catch (const SQLite::Exception& e) {
    rethrow(e, db.path(), db.busy_timeout());
  } catch (const sql::Error& e) {
    rethrow(e, db.path(), db.busy_timeout());
  }
}

}  // namespace router::store
