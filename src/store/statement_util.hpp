#pragma once
// Internal to src/store: small helpers for binding and reading optional columns.

#include <optional>
#include <string>

#include <SQLiteCpp/Statement.h>

#include "util/clock.hpp"

namespace router::store {

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
