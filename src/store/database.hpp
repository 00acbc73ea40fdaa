#pragma once
// The database: the one SQLite file (opening it safely, its pragmas) or, for a
// postgresql:// URI, a PostgreSQL server; and write transactions on either.
// Other layers see this header only; SQLiteCpp and libpq stay inside src/store.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace SQLite {
class Database;
}
namespace router::store::sql {
class Connection;
}

namespace router::store {

// How a write transaction shares the database with other writers. SQLite's writers always
// take turns; on PostgreSQL a shared transaction runs beside other shared ones.
enum class Sharing {
  exclusive,  // alone: every writer but the two below
  shared,     // beside other shared writers (routing pending leads, and the sweep's expiry
              // of single-agent offers): it claims its lead rows with SKIP LOCKED, waits
              // only for the state it uses (lock_state) and for its turn to append events
              // (lock_appends)
};

// An open router database. Move-only; closes on destruction.
class Database {
public:
  // Every `path` below may also be a PostgreSQL URI (postgresql:// or postgres://): the same
  // checks then apply to the tables in the connection's schema, and messages show the URI
  // without its password (path() returns it so).
  //
  // Opens an existing, initialised database for any command but `init`. Throws DbError
  // (missing, not a router database, older or newer schema, read-only) or BusyError.
  static Database open(const std::filesystem::path& path, std::chrono::milliseconds busy_timeout);
  // Opens an existing, initialised database read-only, for the commands that only read
  // (report, events, explain, agent list/history): the user needs only read permission on
  // the file and its -wal and -shm, and nothing on disk is created or changed. Same errors.
  static Database open_read_only(const std::filesystem::path& path,
                                 std::chrono::milliseconds busy_timeout);
  // Opens or creates the file for `router init`, without checking the schema version
  // (migrate() does). The parent folder must exist. Same errors as open().
  static Database open_for_init(const std::filesystem::path& path,
                                std::chrono::milliseconds busy_timeout);
  // A private in-memory database with the current schema, for tests.
  static Database in_memory();
  // A private in-memory database at schema 0 (empty), for migration tests.
  static Database in_memory_empty();

  Database(Database&&) noexcept;
  Database& operator=(Database&&) noexcept;
  ~Database();

  // The connection, for repositories inside src/store.
  sql::Connection& sql() { return *m_db; }
  // The file's path as given (":memory:" for in-memory databases; a PostgreSQL URI without
  // its password).
  const std::filesystem::path& path() const { return m_path; }
  // True on PostgreSQL.
  bool postgres() const { return m_postgres; }
  // The busy timeout this connection waits for another process's write lock.
  std::chrono::milliseconds busy_timeout() const { return m_busy_timeout; }
  // PRAGMA user_version: the number of schema migrations applied.
  int schema_version();
  // True when opened read-only as an immutable snapshot (no -wal and a folder the user may
  // not write): it never sees later commits, so a long-running reader opens it again.
  bool snapshot();
  // Throws DbError when the file this connection reads was removed, renamed or replaced
  // since it was opened (SQLite would go on reading the old one without a word).
  void check_present();
  // PostgreSQL: this transaction wrote events, so its commit sends NOTIFY router_events with
  // the highest seq (SPEC's outbox; `events --follow` wakes on it). Nothing on SQLite.
  void events_written() { m_events_written = m_postgres; }
  // Subscribes to router_events (PostgreSQL), then waits up to `timeout` for one (SQLite:
  // sleeps). True when a notification came.
  void listen_events();
  bool wait_for_events(std::chrono::milliseconds timeout);
  // How many write transactions of this connection were rolled back: what a transaction
  // wrote may be cached only while this stays the same.
  std::uint64_t rollbacks() const { return m_rollbacks; }
  void count_rollback() { ++m_rollbacks; }
  // True inside a shared write transaction on PostgreSQL.
  bool sharing() const { return m_sharing; }
  // For a private SQLite database driven by many short transactions (`simulate`'s scratch
  // copies): keeps each agent's open offers and assigned leads counted as rows change, in a
  // TEMP table that TEMP triggers maintain, so a least_active snapshot reads those counts
  // instead of counting every open lead again. Call on an empty database.
  void count_active_leads();
  // True once count_active_leads() was called.
  bool counts_active_leads() const { return m_counts_active; }
  // True the first time it is called on this connection: connection settings made then
  // (RoutingStore::bulk_mode's PRAGMAs) last as long as it does.
  bool first_bulk_mode() { return !std::exchange(m_bulk_mode, true); }
  // In a shared transaction: takes the state these names stand for (core::StateGroups) until
  // the transaction ends, all or none. With `wait`, waits for it up to the busy timeout
  // (BusyError past it) and returns true; without, takes it only if no other transaction
  // holds any of it, and says whether it did. True at once outside a shared transaction.
  // An advisory lock per name on the key hashtextextended(name, 1380930900), taken in key
  // order: a transaction waits only while it holds no other state, so no two ever wait for
  // each other. Session locks, released just after COMMIT or ROLLBACK: unlike transaction
  // locks, those a failed attempt took can be given back at once.
  bool lock_state(const std::vector<std::string>& names, bool wait);
  // In a shared transaction: around a statement that claims rows with SKIP LOCKED, one
  // transaction at a time, so that each claims a run of rows in order rather than every
  // other row of one another (the order decisions are made in stays that of one process).
  // A session lock, held only for that statement. Nothing otherwise.
  void begin_claim();
  void end_claim();
  // In a shared transaction: waits for this transaction's turn to append events, held until
  // it ends, so that events still commit in the order of their seq (a reader that has seen
  // seq N never finds a smaller one later). Taken before the first event and before any row
  // every writer updates (the sweep's counters). Nothing otherwise.
  void lock_appends();

private:
  // Gives back the state locks of the transaction that just ended.
  void release_state();
  Database(std::unique_ptr<SQLite::Database> db, std::filesystem::path path,
           std::chrono::milliseconds busy_timeout);
  Database(std::unique_ptr<sql::Connection> db, std::filesystem::path path,
           std::chrono::milliseconds busy_timeout);
  // The three openings on PostgreSQL.
  static Database open_postgres(const std::string& uri, std::chrono::milliseconds busy_timeout,
                                bool read_only, bool for_init);
  // open() and open_read_only(): the checks every existing database goes through.
  static Database open_existing(const std::filesystem::path& path,
                                std::chrono::milliseconds busy_timeout, bool read_only);

  std::unique_ptr<sql::Connection> m_db;
  std::filesystem::path m_path;
  std::chrono::milliseconds m_busy_timeout;
  std::uint64_t m_rollbacks = 0;
  bool m_postgres = false;
  bool m_events_written = false;
  bool m_sharing = false;
  bool m_counts_active = false;
  bool m_bulk_mode = false;
  bool m_appends_locked = false;
  bool m_state_locked = false;  // session locks to release when the transaction ends
  friend class WriteTransaction;
};

// A write transaction: `BEGIN IMMEDIATE` on construction (BusyError past the busy
// timeout), COMMIT on commit(), ROLLBACK when destroyed uncommitted (an exception). On
// PostgreSQL, BEGIN and an advisory lock that writers hold exclusively (Sharing::exclusive)
// or together with other shared writers (Sharing::shared).
// Inside an open transaction it nests as a SAVEPOINT, so a dry run can wrap a whole
// command (whose batches each "commit") in one transaction that it rolls back.
class WriteTransaction {
public:
  explicit WriteTransaction(Database& db, Sharing sharing = Sharing::exclusive);
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  ~WriteTransaction();
  // Makes the changes durable. Throws BusyError or DbError; then nothing is written.
  void commit();

private:
  Database& m_db;
  bool m_open = true;
  bool m_nested = false;
};

// True when `db` names a PostgreSQL database (a postgresql:// or postgres:// URI), not a
// SQLite file.
bool names_postgres(const std::filesystem::path& db);

// The user-facing text for a busy timeout: "5s", "1m30s", "250ms".
std::string format_timeout(std::chrono::milliseconds timeout);

}  // namespace router::store
