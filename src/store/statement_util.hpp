#pragma once
// Internal to src/store: small helpers for binding and reading optional columns.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Statement.h>

#include "store/database.hpp"
#include "util/clock.hpp"

namespace router::store {

// An instant as the unix seconds the tables store.
inline std::int64_t seconds(util::Time t) {
  return static_cast<std::int64_t>(t.time_since_epoch().count());
}

// The statement in `s`, prepared on first use and reset with its bindings cleared after.
inline SQLite::Statement& prepared(Database& db, std::unique_ptr<SQLite::Statement>& s,
                                   const char* sql) {
  if (!s) {
    s = std::make_unique<SQLite::Statement>(db.sql(), sql);
  }
  s->reset();
  s->clearBindings();
  return *s;
}
inline SQLite::Statement& prepared(Database& db, std::unique_ptr<SQLite::Statement>& s,
                                   const std::string& sql) {
  return prepared(db, s, sql.c_str());
}

// Binds a value, or NULL when absent.
inline void bind_optional(SQLite::Statement& s, int index, const std::optional<std::string>& v) {
  if (v) {
    s.bind(index, *v);
  } else {
    s.bind(index);
  }
}

// A nullable TEXT column.
inline std::optional<std::string> optional_text(const SQLite::Column& c) {
  return c.isNull() ? std::nullopt : std::optional<std::string>{c.getString()};
}

// A nullable INTEGER column of unix seconds.
inline std::optional<util::Time> optional_time(const SQLite::Column& c) {
  return c.isNull() ? std::nullopt
                    : std::optional<util::Time>{util::Time{std::chrono::seconds{c.getInt64()}}};
}

// A NOT NULL INTEGER column of unix seconds.
inline util::Time time_of(const SQLite::Column& c) {
  return util::Time{std::chrono::seconds{c.getInt64()}};
}

}  // namespace router::store
