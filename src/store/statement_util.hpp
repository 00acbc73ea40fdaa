#pragma once
// Internal to src/store: small helpers for binding and reading optional columns.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "store/sql.hpp"

#include "store/database.hpp"
#include "util/clock.hpp"

namespace router::store {

// An instant as the unix seconds the tables store.
inline std::int64_t seconds(util::Time t) {
  return static_cast<std::int64_t>(t.time_since_epoch().count());
}

// A cached statement in use for one read or write. It is reset (its rows let go) when the
// handle goes out of scope: a statement stepped once and left busy keeps the connection's
// read transaction open past COMMIT, and SQLite then fails the next `BEGIN IMMEDIATE` at
// once, without waiting for the busy timeout. Cached statements are reached only this way.
class [[nodiscard]] Query {
public:
  explicit Query(sql::Statement& s) : m_s(&s) {}
  Query(Query&& other) noexcept : m_s(std::exchange(other.m_s, nullptr)) {}
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  Query& operator=(Query&&) = delete;
  ~Query() {
    if (m_s) {
      m_s->tryReset();
    }
  }

  // Binds parameter `index` (1-based) as sql::Statement::bind does.
  template <class... Args> void bind(Args&&... args) { m_s->bind(std::forward<Args>(args)...); }
  // Binds without copying: the value must outlive the step.
  template <class... Args> void bindNoCopy(Args&&... args) {
    m_s->bindNoCopy(std::forward<Args>(args)...);
  }
  // Steps to the next row; false when there are no more.
  bool executeStep() { return m_s->executeStep(); }
  // Runs a statement that returns no rows; the number of rows it changed.
  int exec() { return m_s->exec(); }
  // Column `index` (0-based) of the current row.
  sql::Column getColumn(int index) { return m_s->getColumn(index); }
  // Rewinds to run again with new bindings (inside one scope, e.g. a loop over keys).
  void reset() { m_s->reset(); }
  // The statement, for the row readers.
  operator sql::Statement&() { return *m_s; }  // NOLINT(google-explicit-constructor)

private:
  sql::Statement* m_s;
};

// The statement in `s`, prepared on first use, its bindings cleared; reset again when the
// returned Query goes out of scope.
inline Query prepared(Database& db, std::unique_ptr<sql::Statement>& s, const char* sql) {
  if (!s) {
    s = std::make_unique<sql::Statement>(db.sql(), sql);
  }
  s->tryReset();  // the Query before already reset it; a failed step is not reported twice
  s->clearBindings();
  return Query(*s);
}
inline Query prepared(Database& db, std::unique_ptr<sql::Statement>& s, const std::string& sql) {
  return prepared(db, s, sql.c_str());
}

// Binds a value, or NULL when absent.
inline void bind_optional(sql::Statement& s, int index, const std::optional<std::string>& v) {
  if (v) {
    s.bind(index, *v);
  } else {
    s.bind(index);
  }
}

// Binds an integer, or NULL when absent.
inline void bind_optional(sql::Statement& s, int index, const std::optional<std::int64_t>& v) {
  if (v) {
    s.bind(index, *v);
  } else {
    s.bind(index);
  }
}

// A nullable TEXT column.
inline std::optional<std::string> optional_text(const sql::Column& c) {
  return c.isNull() ? std::nullopt : std::optional<std::string>{c.getString()};
}

// A nullable INTEGER column of unix seconds.
inline std::optional<util::Time> optional_time(const sql::Column& c) {
  return c.isNull() ? std::nullopt
                    : std::optional<util::Time>{util::Time{std::chrono::seconds{c.getInt64()}}};
}

// A NOT NULL INTEGER column of unix seconds.
inline util::Time time_of(const sql::Column& c) {
  return util::Time{std::chrono::seconds{c.getInt64()}};
}

}  // namespace router::store
