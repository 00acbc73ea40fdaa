#include "store/sqlite_error.hpp"

#include <string_view>

#include <sqlite3.h>

#include "util/error.hpp"

namespace router::store {

void rethrow(const SQLite::Exception& e, const std::filesystem::path& path,
             std::chrono::milliseconds busy_timeout) {
  const std::string file = path.string();
  switch (e.getErrorCode() & 0xff) {
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    throw util::BusyError("database is busy (another router process holds the write lock past " +
                          format_timeout(busy_timeout) + "); try again");
  case SQLITE_READONLY: throw util::DbError(file + " is read-only: " + e.what());
  case SQLITE_NOTADB: throw util::DbError(file + " is not a router database");
  case SQLITE_CORRUPT: throw util::DbError(file + " is corrupt: " + e.what());
  case SQLITE_FULL: throw util::DbError("no space left to write " + file + ": " + e.what());
  case SQLITE_CANTOPEN: throw util::DbError("cannot open " + file + ": " + e.what());
  default: throw util::DbError(file + ": " + e.what());
  }
}

void rethrow(const sql::Error& e, const std::filesystem::path& path,
             std::chrono::milliseconds busy_timeout) {
  switch (e.kind()) {
  case sql::Error::Kind::busy:
    // The writers' lock waited for past --busy-timeout reads as on SQLite (SPEC §3: the same
    // output); a deadlock or serialisation failure, also worth a retry, says which it was.
    if (std::string_view(e.what()).find("lock timeout") != std::string_view::npos) {
      throw util::BusyError("database is busy (another router process holds the write lock past " +
                            format_timeout(busy_timeout) + "); try again");
    }
    throw util::BusyError("database is busy (a lock was held past " + format_timeout(busy_timeout) +
                          "): " + e.what() + "; try again");
  case sql::Error::Kind::unavailable: throw util::DbError(e.what());
  case sql::Error::Kind::other: throw util::DbError(path.string() + ": " + e.what());
  }
  throw util::DbError(path.string() + ": " + e.what());
}

}  // namespace router::store
