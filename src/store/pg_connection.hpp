#pragma once
// Internal to src/store: sql::Connection over a PostgreSQL server, through libpq. libpq is
// loaded with dlopen on the first connection, not linked: linking it would make every run of
// every command map libpq and its TLS, Kerberos and LDAP libraries before main, for the
// SQLite users too (src/transport/http.cpp does the same for libcurl).

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "store/sql.hpp"

namespace router::store::sql {

// True when `target` (a --db, $ROUTER_DB or `database:` value) names a PostgreSQL
// database: a libpq URI, postgresql:// or postgres://.
bool is_postgres_uri(std::string_view target);

// The URI without its password (userinfo's and a `password=` parameter's), for messages.
std::string redact_uri(std::string_view uri);

class PgConnection final : public Connection {
public:
  // Connects; lock waits longer than `busy_timeout` fail as Error::Kind::busy. Throws
  // Error(unavailable) naming the redacted URI when libpq cannot be loaded, the server
  // cannot be reached or refuses the login.
  PgConnection(const std::string& uri, std::chrono::milliseconds busy_timeout);
  ~PgConnection() override;

  Dialect dialect() const override { return Dialect::postgresql; }
  std::unique_ptr<StatementImpl> prepare(const std::string& sql) override;
  int exec(const std::string& sql) override;
  Value execAndGet(const std::string& sql) override;
  std::int64_t getLastInsertRowid() override;
  bool in_transaction() override;
  void listen(const std::string& channel) override;
  bool wait_notification(std::chrono::milliseconds timeout) override;

  struct Handle;

private:
  std::unique_ptr<Handle> m_handle;
};

// The repositories' SQL, written for SQLite, in PostgreSQL's terms. Only what is a matter of
// spelling is rewritten here (outside quotes); what differs in meaning is written per
// dialect where it is used:
//   `?` and `?N` parameters       -> `$N` (a bare `?` takes the number after the highest)
//   `main.t`, `temp.t`            -> `t`, `pg_temp.t`
//   `INDEXED BY i`, `NOT INDEXED` -> nothing (the planner chooses)
//   `INSERT OR IGNORE ...`        -> `INSERT ... ON CONFLICT DO NOTHING`
//   `max(a, b)`, `min(a, b)`      -> `greatest(a, b)`, `least(a, b)` (aggregates stay)
//   `CAST(x AS INTEGER)`          -> `CAST(x AS BIGINT)` (SQLite's integers are 64-bit)
//   `PRAGMA ...` statements       -> dropped (SQLite's tuning)
// Exposed for the unit tests.
std::string postgres_sql(std::string_view sql);

}  // namespace router::store::sql
