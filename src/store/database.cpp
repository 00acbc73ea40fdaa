#include "store/database.hpp"

#include <unistd.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <tuple>
#include <utility>

#include <SQLiteCpp/Database.h>
#include <sqlite3.h>

#include "store/pg_connection.hpp"
#include "store/schema.hpp"
#include "store/sql.hpp"
#include "store/sqlite_connection.hpp"
#include "store/sqlite_error.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

namespace router::store {
namespace {

using util::DbError;

// What is at the path before SQLite is allowed to look at it.
enum class FileKind { missing, folder, empty, sqlite, other };

FileKind inspect(const std::filesystem::path& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status)) {
    return FileKind::missing;
  }
  if (std::filesystem::is_directory(status)) {
    return FileKind::folder;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw DbError("cannot read " + path.string() + ": " + std::strerror(errno));
  }
  std::array<char, 16> header{};
  in.read(header.data(), header.size());
  if (in.gcount() == 0) {
    return FileKind::empty;
  }
  // The 16-byte magic string every SQLite 3 database starts with, NUL included.
  static constexpr char k_magic[16] = "SQLite format 3";
  const bool magic = in.gcount() == 16 && std::memcmp(header.data(), k_magic, 16) == 0;
  return magic ? FileKind::sqlite : FileKind::other;
}

std::filesystem::path folder_of(const std::filesystem::path& path) {
  return path.has_parent_path() ? path.parent_path() : std::filesystem::path{"."};
}

// Refuses early, with a message naming the cause, instead of failing on the first write.
void check_writable(const std::filesystem::path& path, bool exists) {
  if (exists && ::access(path.c_str(), W_OK) != 0) {
    throw DbError(path.string() + " is read-only; router needs to write to it (" +
                  std::strerror(errno) + ")");
  }
  const auto folder = folder_of(path);
  if (::access(folder.c_str(), W_OK) != 0) {
    throw DbError("folder " + folder.string() + " is read-only; SQLite needs to create " +
                  path.filename().string() + "-wal and -shm beside the database (" +
                  std::strerror(errno) + ")");
  }
}

[[noreturn]] void not_ours(const std::filesystem::path& path) {
  throw DbError(path.string() + " is not a router database");
}

// Reads the identity pragmas only: nothing is written before the file is known to be ours.
struct Identity {
  int application_id = 0;
  int user_version = 0;
  bool has_objects = false;
  // A brand-new (or zero-byte) database nobody has used yet.
  bool blank() const { return application_id == 0 && user_version == 0 && !has_objects; }
};

Identity identify_unguarded(SQLite::Database& db) {
  Identity id;
  id.application_id = db.execAndGet("PRAGMA application_id").getInt();
  id.user_version = db.execAndGet("PRAGMA user_version").getInt();
  id.has_objects = db.execAndGet("SELECT count(*) FROM sqlite_master").getInt() > 0;
  return id;
}

[[noreturn]] void rethrow_open(const SQLite::Exception& e, const std::filesystem::path& path,
                               std::chrono::milliseconds busy) {
  if ((e.getErrorCode() & 0xff) == SQLITE_NOTADB) {
    not_ours(path);
  }
  rethrow(e, path, busy);
}

Identity identify(SQLite::Database& db, const std::filesystem::path& path,
                  std::chrono::milliseconds busy) {
  try {
    return identify_unguarded(db);
  } catch (const SQLite::Exception& e) {
    rethrow_open(e, path, busy);
  }
}

void check_version(const std::filesystem::path& path, int version) {
  if (version > k_schema_version) {
    throw DbError(path.string() + " has schema version " + std::to_string(version) +
                  ", newer than this router (" + std::to_string(k_schema_version) +
                  "); upgrade router");
  }
}

// Any command but `init` needs a router database at exactly this router's schema version.
void check_current(const std::filesystem::path& path, const Identity& id) {
  if (id.blank()) {
    throw DbError("database " + path.string() + " is not initialised; run 'router init'");
  }
  if (id.application_id != k_application_id) {
    not_ours(path);
  }
  check_version(path, id.user_version);
  if (id.user_version < k_schema_version) {
    throw DbError(path.string() + " has schema version " + std::to_string(id.user_version) +
                  ", older than this router (" + std::to_string(k_schema_version) +
                  "); run 'router init' to migrate it");
  }
}

// ~Database copies a log at least this big into the database file (SQLite's own automatic
// checkpoint size, 1000 pages).
constexpr std::uintmax_t k_checkpoint_at_close = 1000 * 4096;

// Tests only: $ROUTER_TEST_MAX_PAGE_COUNT caps the file at that many pages (SQLite's
// max_page_count; never below the pages already in use), so a test can fill the "disk"
// at a chosen point and check that every command fails cleanly (74) and a later run with
// room finishes the work. Not a setting: nothing documents it to users.
void limit_pages_for_tests(sql::Connection& db) {
  const char* pages = std::getenv("ROUTER_TEST_MAX_PAGE_COUNT");
  if (pages == nullptr || *pages == '\0') {
    return;
  }
  char* end = nullptr;
  const long long n = std::strtoll(pages, &end, 10);
  if (*end != '\0' || n < 1) {
    throw DbError("ROUTER_TEST_MAX_PAGE_COUNT must be a whole number of pages, not '" +
                  std::string(pages) + "'");
  }
  db.execAndGet("PRAGMA max_page_count = " + std::to_string(n));
}

// Connection settings; the first statement that may write to the file. `wal`: a file
// opened for writing (in-memory and read-only connections leave the journal mode alone).
void configure(sql::Connection& db, bool wal) {
  if (wal) {
    db.execAndGet("PRAGMA journal_mode=WAL");
    // Closing does not copy the log into the file (two fsyncs and two unlinks, a fifth of a
    // one-lead run): committed pages stay in the -wal file until an automatic checkpoint, a
    // writer that closes last, or ~Database when the log has grown past
    // k_checkpoint_at_close. Commits are exactly as durable as before (synchronous=NORMAL).
    sqlite3_db_config(db.getHandle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  }
  db.exec("PRAGMA synchronous=NORMAL");
  // Private tables carry no foreign keys (CRM-inserted rows must never be rejected).
  db.exec("PRAGMA foreign_keys=OFF");
  if (wal) {
    limit_pages_for_tests(db);
  }
}

// Process-wide SQLite settings, before the library initialises: no memory statistics, which
// take a global mutex on every allocation (router reports none).
void configure_library() {
  static const bool done = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);  // SQLITE_MISUSE if already initialised: fine
    return true;
  }();
  (void)done;
}

// Opens `name` (the path, or a URI naming it); errors name `path`.
std::unique_ptr<SQLite::Database> connect(const std::string& name,
                                          const std::filesystem::path& path, int flags,
                                          std::chrono::milliseconds busy) {
  configure_library();
  try {
    // A connection is only ever used by the thread that opened it: no per-call mutex.
    return std::make_unique<SQLite::Database>(name, flags | SQLITE_OPEN_NOMUTEX,
                                              static_cast<int>(busy.count()));
  } catch (const SQLite::Exception& e) {
    rethrow(e, path, busy);
  }
}

// `path` as an SQLite URI that opens the file as a snapshot nobody changes (no locks, no
// -wal or -shm).
std::string immutable_uri(const std::filesystem::path& path) {
  std::string uri = "file:";
  for (const char c : std::filesystem::absolute(path).string()) {
    switch (c) {
    case '%': uri += "%25"; break;
    case '?': uri += "%3f"; break;
    case '#': uri += "%23"; break;
    default: uri += c;
    }
  }
  return uri + "?immutable=1";
}

// A read-only connection and the file's identity. SQLite reads a WAL database read-only
// when its -wal and -shm exist and are readable, or when it may create them. When there is
// no -wal and the folder is not writable, every commit is in the file itself (a copy, or
// no writer since the log was removed): it is read as it stands.
std::pair<std::unique_ptr<SQLite::Database>, Identity>
connect_read_only(const std::filesystem::path& path, std::chrono::milliseconds busy) {
  auto db = connect(path.string(), path, SQLite::OPEN_READONLY, busy);
  try {
    Identity id = identify_unguarded(*db);
    return {std::move(db), id};
  } catch (const SQLite::Exception& e) {
    const int code = e.getErrorCode() & 0xff;
    std::error_code ec;
    const bool no_log = !std::filesystem::exists(path.string() + "-wal", ec);
    const bool folder_locked = ::access(folder_of(path).c_str(), W_OK) != 0;
    if ((code != SQLITE_READONLY && code != SQLITE_CANTOPEN) || !no_log || !folder_locked) {
      rethrow_open(e, path, busy);
    }
  }
  db = connect(immutable_uri(path), path, SQLite::OPEN_READONLY | SQLite::OPEN_URI, busy);
  Identity id = identify(*db, path, busy);
  return {std::move(db), id};
}

// The identity of a PostgreSQL database: the `meta` rows that stand for the pragmas, and
// whether the connection's schema holds any table or view at all.
Identity identify_postgres(sql::Connection& db) {
  Identity id;
  id.has_objects = db.execAndGet("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON "
                                 "n.oid = c.relnamespace WHERE n.nspname = current_schema() "
                                 "AND c.relkind IN ('r', 'v', 'p', 'm', 'f')")
                       .getInt() > 0;
  if (!db.execAndGet("SELECT to_regclass('meta')").isNull()) {
    id.application_id =
        db.execAndGet("SELECT value FROM meta WHERE key = 'schema.application'").getInt();
    id.user_version = db.execAndGet("SELECT value FROM meta WHERE key = 'schema.version'").getInt();
  }
  return id;
}

// The advisory lock every write transaction on PostgreSQL takes first ('ROUT'): exclusive
// writers take turns, as SQLite's BEGIN IMMEDIATE makes them, and shared ones run together.
constexpr const char* k_pg_begin_write = "BEGIN; SELECT pg_advisory_xact_lock(1380930900)";
constexpr const char* k_pg_begin_shared = "BEGIN; SELECT pg_advisory_xact_lock_shared(1380930900)";
// A shared writer's turn to append events ('ROUT' + 1).
constexpr const char* k_pg_lock_appends = "SELECT pg_advisory_xact_lock(1380930901)";
// The keys of the state's names, in the order they are locked.
constexpr const char* k_pg_state_keys = "SELECT DISTINCT hashtextextended(n, 1380930900) AS k "
                                        "FROM unnest(CAST(? AS TEXT[])) AS n ORDER BY k";

}  // namespace

Database::Database(std::unique_ptr<sql::Connection> db, std::filesystem::path path,
                   std::chrono::milliseconds busy_timeout)
    : m_db(std::move(db)), m_path(std::move(path)), m_busy_timeout(busy_timeout),
      m_postgres(m_db->dialect() == sql::Dialect::postgresql) {}

Database Database::open_postgres(const std::string& uri, std::chrono::milliseconds busy,
                                 bool read_only, bool for_init) {
  const std::filesystem::path name = sql::redact_uri(uri);
  std::unique_ptr<sql::Connection> conn;
  try {
    conn = std::make_unique<sql::PgConnection>(uri, busy);
  } catch (const sql::Error& e) {
    rethrow(e, name, busy);
  }
  Database result(std::move(conn), name, busy);
  const Identity id = guarded(result, [&] { return identify_postgres(result.sql()); });
  if (for_init) {
    if (!id.blank() && id.application_id != k_application_id) {
      throw DbError(name.string() + " is not a router database (its schema has other tables; "
                                    "give router a schema of its own with search_path)");
    }
    check_version(name, id.user_version);
    return result;
  }
  check_current(name, id);
  if (read_only) {
    guarded(result, [&] { result.sql().exec("SET default_transaction_read_only = on"); });
  }
  return result;
}

Database::Database(std::unique_ptr<SQLite::Database> db, std::filesystem::path path,
                   std::chrono::milliseconds busy_timeout)
    : m_db(std::make_unique<sql::SqliteConnection>(std::move(db))), m_path(std::move(path)),
      m_busy_timeout(busy_timeout) {}

Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;
Database::~Database() {
  if (!m_db || m_postgres || m_path == ":memory:" ||
      sqlite3_db_readonly(m_db->getHandle(), "main") == 1) {
    return;
  }
  // A log this big would make the next process's first read slow (it rebuilds its index
  // from the whole log) and may hold a bulk run's work: copy it into the file now.
  std::error_code ec;
  const auto wal = std::filesystem::file_size(m_path.string() + "-wal", ec);
  if (!ec && wal >= k_checkpoint_at_close) {
    // Best effort, and without waiting: a reader in the way leaves the log for the next one.
    sqlite3_busy_timeout(m_db->getHandle(), 0);
    sqlite3_wal_checkpoint_v2(m_db->getHandle(), "main", SQLITE_CHECKPOINT_TRUNCATE, nullptr,
                              nullptr);
  }
}

Database Database::open(const std::filesystem::path& path, std::chrono::milliseconds busy) {
  if (sql::is_postgres_uri(path.native())) {
    return open_postgres(path.native(), busy, false, false);
  }
  return open_existing(path, busy, false);
}

Database Database::open_read_only(const std::filesystem::path& path,
                                  std::chrono::milliseconds busy) {
  if (sql::is_postgres_uri(path.native())) {
    return open_postgres(path.native(), busy, true, false);
  }
  return open_existing(path, busy, true);
}

Database Database::open_existing(const std::filesystem::path& path, std::chrono::milliseconds busy,
                                 bool read_only) {
  switch (inspect(path)) {
  case FileKind::missing:
    throw DbError("database " + path.string() + " does not exist; run 'router init'");
  case FileKind::folder: throw DbError(path.string() + " is a folder, not a router database");
  case FileKind::other: not_ours(path);
  case FileKind::empty:
  case FileKind::sqlite: break;
  }
  std::unique_ptr<SQLite::Database> db;
  Identity id;
  if (read_only) {
    std::tie(db, id) = connect_read_only(path, busy);
  } else {
    check_writable(path, true);
    db = connect(path.string(), path, SQLite::OPEN_READWRITE, busy);
    id = identify(*db, path, busy);
  }
  check_current(path, id);
  Database result(std::move(db), path, busy);
  guarded(result, [&] { configure(result.sql(), !read_only); });
  return result;
}

Database Database::open_for_init(const std::filesystem::path& path,
                                 std::chrono::milliseconds busy) {
  if (sql::is_postgres_uri(path.native())) {
    return open_postgres(path.native(), busy, false, true);
  }
  const auto folder = folder_of(path);
  if (!std::filesystem::is_directory(folder)) {
    throw DbError("cannot create " + path.string() + ": folder " + folder.string() +
                  " does not exist");
  }
  const FileKind kind = inspect(path);
  switch (kind) {
  case FileKind::folder: throw DbError(path.string() + " is a folder, not a router database");
  case FileKind::other: not_ours(path);
  case FileKind::missing:
  case FileKind::empty:
  case FileKind::sqlite: break;
  }
  check_writable(path, kind != FileKind::missing);
  auto db = connect(path.string(), path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, busy);
  const Identity id = identify(*db, path, busy);
  if (!id.blank() && id.application_id != k_application_id) {
    not_ours(path);
  }
  check_version(path, id.user_version);
  Database result(std::move(db), path, busy);
  guarded(result, [&] { configure(result.sql(), true); });
  return result;
}

Database Database::in_memory_empty() {
  Database result(std::make_unique<SQLite::Database>(":memory:", SQLite::OPEN_READWRITE),
                  ":memory:", std::chrono::milliseconds{0});
  configure(result.sql(), false);
  return result;
}

Database Database::in_memory() {
  Database result = in_memory_empty();
  migrate(result);
  return result;
}

int Database::schema_version() {
  if (m_postgres) {
    return guarded(*this, [&] { return identify_postgres(*m_db).user_version; });
  }
  return guarded(*this, [&] { return m_db->execAndGet("PRAGMA user_version").getInt(); });
}

bool Database::snapshot() {
  if (m_postgres) {
    return false;
  }
  const char* name = sqlite3_db_filename(m_db->getHandle(), "main");
  return name != nullptr && sqlite3_uri_boolean(name, "immutable", 0) != 0;
}

void Database::check_present() {
  if (m_postgres) {
    return;
  }
  int moved = 0;
  if (sqlite3_file_control(m_db->getHandle(), "main", SQLITE_FCNTL_HAS_MOVED, &moved) ==
          SQLITE_OK &&
      moved != 0) {
    throw DbError("database " + m_path.string() + " was removed or replaced");
  }
}

WriteTransaction::WriteTransaction(Database& db, Sharing sharing) : m_db(db) {
  guarded(m_db, [&] {
    m_nested = m_db.sql().in_transaction();
    const bool shared = m_db.postgres() && sharing == Sharing::shared;
    m_db.sql().exec(m_nested          ? "SAVEPOINT nested_write"
                    : shared          ? k_pg_begin_shared
                    : m_db.postgres() ? k_pg_begin_write
                                      : "BEGIN IMMEDIATE");
    if (!m_nested) {
      m_db.m_sharing = shared;
      m_db.m_appends_locked = false;
    }
  });
}

bool Database::lock_state(const std::vector<std::string>& names, bool wait) {
  if (!m_sharing || names.empty()) {
    return true;
  }
  return guarded(*this, [&] {
    std::vector<std::string> keys;
    {
      sql::Statement s(*m_db, k_pg_state_keys);
      s.bind(1, sql::text_array(names));
      while (s.executeStep()) {
        keys.push_back(s.getColumn(0).getString());
      }
    }
    m_state_locked = true;
    sql::Statement lock(*m_db, wait ? "SELECT pg_advisory_lock(CAST(? AS BIGINT))"
                                    : "SELECT pg_try_advisory_lock(CAST(? AS BIGINT))");
    for (std::size_t i = 0; i < keys.size(); ++i) {
      lock.reset();
      lock.bind(1, keys[i]);
      lock.executeStep();
      if (!wait && lock.getColumn(0).getInt() == 0) {
        sql::Statement unlock(*m_db, "SELECT pg_advisory_unlock(CAST(? AS BIGINT))");
        for (std::size_t j = 0; j < i; ++j) {
          unlock.reset();
          unlock.bind(1, keys[j]);
          unlock.executeStep();
        }
        return false;
      }
    }
    return true;
  });
}

void Database::begin_claim() {
  if (!m_sharing) {
    return;
  }
  m_state_locked = true;  // released with the state if the claim fails
  guarded(*this, [&] { m_db->exec("SELECT pg_advisory_lock(1380930902)"); });
}

void Database::end_claim() {
  if (!m_sharing) {
    return;
  }
  guarded(*this, [&] { m_db->exec("SELECT pg_advisory_unlock(1380930902)"); });
}

void Database::release_state() {
  if (!m_state_locked) {
    return;
  }
  m_state_locked = false;
  m_db->exec("SELECT pg_advisory_unlock_all()");
}

void Database::lock_appends() {
  if (!m_sharing || m_appends_locked) {
    return;
  }
  guarded(*this, [&] { m_db->exec(k_pg_lock_appends); });
  m_appends_locked = true;
}

WriteTransaction::~WriteTransaction() {
  if (m_open) {
    m_db.count_rollback();
    if (!m_nested) {
      m_db.m_events_written = false;
      m_db.m_sharing = false;
    }
    try {
      m_db.sql().exec(m_nested ? "ROLLBACK TO nested_write; RELEASE nested_write" : "ROLLBACK");
    } catch (...) {  // NOLINT(bugprone-empty-catch): SQLite already rolled back on error
    }
    if (!m_nested) {
      try {
        m_db.release_state();
      } catch (...) {  // NOLINT(bugprone-empty-catch): a lost connection has released them
      }
    }
  }
}

void WriteTransaction::commit() {
  guarded(m_db, [&] {
    if (!m_nested && m_db.m_events_written) {
      // Delivered at COMMIT, in commit order, to every session that LISTENs.
      m_db.sql().exec("SELECT pg_notify('router_events', max(seq)::text) FROM events");
    }
    m_db.sql().exec(m_nested ? "RELEASE nested_write" : "COMMIT");
    if (!m_nested) {
      m_db.release_state();
    }
  });
  if (!m_nested) {
    m_db.m_events_written = false;
    m_db.m_sharing = false;
  }
  m_open = false;
}

void Database::listen_events() {
  guarded(*this, [&] { m_db->listen("router_events"); });
}

bool Database::wait_for_events(std::chrono::milliseconds timeout) {
  return guarded(*this, [&] { return m_db->wait_notification(timeout); });
}

bool names_postgres(const std::filesystem::path& db) {
  return sql::is_postgres_uri(db.native());
}

std::string format_timeout(std::chrono::milliseconds timeout) {
  if (timeout.count() % 1000 == 0) {
    return util::format_duration(timeout.count() / 1000);
  }
  return std::to_string(timeout.count()) + "ms";
}

namespace {

// The TEMP table and triggers of Database::count_active_leads(). A lead counts for its agent
// while offered or assigned (a broadcast lead has no agent: its open offers count instead).
// An UPDATE that names state or agent takes the old row's count away and gives the new
// row's, so it is right whether or not the values changed.
// temp_store is set first: changing it later (RoutingStore::bulk_mode sets MEMORY) would drop
// every TEMP table and trigger; setting the value it has changes nothing.
constexpr const char* k_count_active = R"sql(
PRAGMA temp_store = MEMORY;
CREATE TEMP TABLE active_leads(agent TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
CREATE TEMP TRIGGER active_leads_insert AFTER INSERT ON main.leads
  WHEN NEW.state IN ('offered', 'assigned') AND NEW.agent IS NOT NULL BEGIN
  INSERT INTO active_leads(agent, n) VALUES (NEW.agent, 1)
    ON CONFLICT(agent) DO UPDATE SET n = n + 1;
END;
CREATE TEMP TRIGGER active_leads_update AFTER UPDATE OF state, agent ON main.leads BEGIN
  UPDATE active_leads SET n = n - 1
    WHERE agent = OLD.agent AND OLD.state IN ('offered', 'assigned');
  INSERT INTO active_leads(agent, n) SELECT NEW.agent, 1
    WHERE NEW.state IN ('offered', 'assigned') AND NEW.agent IS NOT NULL
    ON CONFLICT(agent) DO UPDATE SET n = n + 1;
END;
CREATE TEMP TRIGGER active_leads_delete AFTER DELETE ON main.leads
  WHEN OLD.state IN ('offered', 'assigned') AND OLD.agent IS NOT NULL BEGIN
  UPDATE active_leads SET n = n - 1 WHERE agent = OLD.agent;
END;
CREATE TEMP TRIGGER active_offers_insert AFTER INSERT ON main.broadcast_offers
  WHEN NEW.state = 'open' BEGIN
  INSERT INTO active_leads(agent, n) VALUES (NEW.agent, 1)
    ON CONFLICT(agent) DO UPDATE SET n = n + 1;
END;
CREATE TEMP TRIGGER active_offers_update AFTER UPDATE OF state, agent ON main.broadcast_offers
BEGIN
  UPDATE active_leads SET n = n - 1 WHERE agent = OLD.agent AND OLD.state = 'open';
  INSERT INTO active_leads(agent, n) SELECT NEW.agent, 1 WHERE NEW.state = 'open'
    ON CONFLICT(agent) DO UPDATE SET n = n + 1;
END;
CREATE TEMP TRIGGER active_offers_delete AFTER DELETE ON main.broadcast_offers
  WHEN OLD.state = 'open' BEGIN
  UPDATE active_leads SET n = n - 1 WHERE agent = OLD.agent;
END;
)sql";

}  // namespace

void Database::count_active_leads() {
  if (m_postgres) {
    throw util::DbError("counting active leads as they change needs a private SQLite database");
  }
  guarded(*this, [&] { m_db->exec(k_count_active); });
  m_counts_active = true;
}

}  // namespace router::store
