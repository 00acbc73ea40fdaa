#pragma once
// Internal to src/store: turns SQLiteCpp exceptions into the router's error types, so
// callers outside the store only ever see DbError (74) or BusyError (75).

#include <string>
#include <utility>

#include <SQLiteCpp/Exception.h>

#include "store/database.hpp"

namespace router::store {

// Throws the router error matching `e`: BusyError for SQLITE_BUSY/LOCKED, DbError else.
[[noreturn]] void rethrow(const SQLite::Exception& e, const std::filesystem::path& path,
                          std::chrono::milliseconds busy_timeout);

// Runs `work`, translating any SQLite exception it throws.
template <class F> decltype(auto) guarded(Database& db, F&& work) {
  try {
    return std::forward<F>(work)();
  } catch (const SQLite::Exception& e) {
    rethrow(e, db.path(), db.busy_timeout());
  }
}

}  // namespace router::store
