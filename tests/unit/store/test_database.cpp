#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>

#include <SQLiteCpp/Database.h>

#include "store/database.hpp"
#include "store/leads.hpp"
#include "store/schema.hpp"
#include "store/sql.hpp"
#include "temp_dir.hpp"
#include "util/error.hpp"

using namespace std::chrono_literals;
using router::store::Database;
using router::store::WriteTransaction;
using router::test::TempDir;

namespace {

std::string read_all(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The DbError message opening `path` produces ("" when it opens).
template <class Open> std::string db_error(Open open) {
  try {
    open();
  } catch (const router::util::DbError& e) {
    return e.what();
  }
  return "";
}

Database initialised(const std::filesystem::path& path) {
  auto db = Database::open_for_init(path, 1000ms);
  router::store::migrate(db);
  return db;
}

}  // namespace

TEST_SUITE("store.database") {
  TEST_CASE("a missing database is refused with a hint to run init") {
    TempDir dir;
    const auto path = dir / "router.db";
    CHECK(db_error([&] { Database::open(path, 1000ms); }) ==
          "database " + path.string() + " does not exist; run 'router init'");
    CHECK_FALSE(std::filesystem::exists(path));
  }

  TEST_CASE("init needs the parent folder to exist") {
    TempDir dir;
    const auto path = dir / "no-such-folder" / "router.db";
    CHECK(db_error([&] { Database::open_for_init(path, 1000ms); }) ==
          "cannot create " + path.string() + ": folder " + (dir / "no-such-folder").string() +
              " does not exist");
  }

  TEST_CASE("init creates a WAL database that open() then accepts") {
    TempDir dir;
    const auto path = dir / "router.db";
    {
      auto db = initialised(path);
      CHECK(db.schema_version() == router::store::k_schema_version);
    }
    auto db = Database::open(path, 1000ms);
    CHECK(db.sql().execAndGet("PRAGMA journal_mode").getString() == "wal");
    CHECK(db.sql().execAndGet("PRAGMA application_id").getInt() == router::store::k_application_id);
    CHECK(db.sql().execAndGet("PRAGMA busy_timeout").getInt() == 1000);
    CHECK(db.sql().execAndGet("PRAGMA synchronous").getInt() == 1);  // NORMAL
  }

  TEST_CASE("a file that is not SQLite is refused and left byte for byte untouched") {
    TempDir dir;
    const auto path = dir / "router.db";
    const std::string content = "this is not a database, just some text\n";
    std::ofstream(path, std::ios::binary) << content;
    const std::string message = path.string() + " is not a router database";
    CHECK(db_error([&] { Database::open(path, 1000ms); }) == message);
    CHECK(db_error([&] { Database::open_for_init(path, 1000ms); }) == message);
    CHECK(read_all(path) == content);
    CHECK_FALSE(std::filesystem::exists(dir / "router.db-wal"));
  }

  TEST_CASE("another application's SQLite database is refused, not migrated") {
    TempDir dir;
    const auto path = dir / "other.db";
    {
      SQLite::Database other(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      other.exec("CREATE TABLE customers(id INTEGER); PRAGMA user_version = 7");
    }
    const auto before = read_all(path);
    CHECK(db_error([&] { Database::open_for_init(path, 1000ms); }) ==
          path.string() + " is not a router database");
    CHECK(db_error([&] { Database::open(path, 1000ms); }) ==
          path.string() + " is not a router database");
    CHECK(read_all(path) == before);
  }

  TEST_CASE("an empty file is a database that still needs init") {
    TempDir dir;
    const auto path = dir / "router.db";
    std::ofstream(path).close();
    CHECK(db_error([&] { Database::open(path, 1000ms); }) ==
          "database " + path.string() + " is not initialised; run 'router init'");
    auto db = Database::open_for_init(path, 1000ms);
    CHECK(router::store::migrate(db).from == 0);
  }

  TEST_CASE("a newer schema is refused by every open") {
    TempDir dir;
    const auto path = dir / "router.db";
    initialised(path).sql().exec("PRAGMA user_version = 9");
    const std::string message = path.string() + " has schema version 9, newer than this router (" +
                                std::to_string(router::store::k_schema_version) +
                                "); upgrade router";
    CHECK(db_error([&] { Database::open(path, 1000ms); }) == message);
    CHECK(db_error([&] { Database::open_for_init(path, 1000ms); }) == message);
  }

  TEST_CASE("an older schema asks for init to migrate") {
    TempDir dir;
    const auto path = dir / "router.db";
    {
      // A router database at version 0 with the router's mark: as if step 1 was not run.
      SQLite::Database raw(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      raw.exec("PRAGMA application_id = " + std::to_string(router::store::k_application_id));
    }
    CHECK(db_error([&] { Database::open(path, 1000ms); }) ==
          path.string() + " has schema version 0, older than this router (" +
              std::to_string(router::store::k_schema_version) +
              "); run 'router init' to migrate it");
  }

  TEST_CASE("a folder in place of the database is refused") {
    TempDir dir;
    CHECK(db_error([&] { Database::open(dir.path(), 1000ms); }) ==
          dir.path().string() + " is a folder, not a router database");
  }

  TEST_CASE("closing leaves a small log in the -wal file and copies a big one into the file") {
    const TempDir dir;
    const auto path = dir / "r.db";
    const auto wal = std::filesystem::path(path.string() + "-wal");
    { initialised(path); }
    auto write_leads = [&](int from, int count, std::size_t attributes) {
      auto db = Database::open(path, 1000ms);
      router::store::LeadStore leads(db);
      WriteTransaction tx(db);
      for (int i = from; i < from + count; ++i) {
        leads.add({"L" + std::to_string(i), "web",
                   R"({"note":")" + std::string(attributes, 'x') + R"("})",
                   router::util::Time{1000s}});
      }
      tx.commit();
    };
    // One small run: its pages stay in the log, and every later connection reads them.
    write_leads(0, 3, 10);
    REQUIRE(std::filesystem::exists(wal));
    const auto small = std::filesystem::file_size(wal);
    CHECK(small > 0);
    CHECK(small < 1000 * 4096);
    {
      auto db = Database::open(path, 1000ms);
      CHECK(db.sql().execAndGet("SELECT count(*) FROM leads").getInt() == 3);
    }
    // A bulk run (about 6 MB of pages): closing copies the log into the file and empties it,
    // so the next process does not have to read it all back.
    write_leads(3, 1500, 4000);
    CHECK(std::filesystem::file_size(wal) == 0);
    SQLite::Database plain(path.string(), SQLite::OPEN_READONLY);
    CHECK(plain.execAndGet("SELECT count(*) FROM leads").getInt() == 1503);
  }

  TEST_CASE("a transaction destroyed without commit writes nothing") {
    auto db = Database::in_memory();
    router::store::LeadStore leads(db);
    try {
      WriteTransaction tx(db);
      CHECK(leads.add({"L1", "web", "{}", router::util::Time{1000s}}));
      CHECK(leads.exists("L1"));
      throw std::runtime_error("boom");
    } catch (const std::runtime_error&) {
    }
    CHECK_FALSE(leads.exists("L1"));
    CHECK(db.sql().execAndGet("SELECT count(*) FROM events").getInt() == 0);
    {
      WriteTransaction tx(db);
      leads.add({"L1", "web", "{}", router::util::Time{1000s}});
      tx.commit();
    }
    CHECK(leads.exists("L1"));
  }

  TEST_CASE("a write lock held past the busy timeout gives BusyError and writes nothing") {
    TempDir dir;
    const auto path = dir / "router.db";
    auto holder = initialised(path);
    auto waiter = Database::open(path, 100ms);
    WriteTransaction held(holder);
    router::store::LeadStore holder_leads(holder);
    holder_leads.add({"H1", "web", "{}", router::util::Time{1000s}});

    const auto start = std::chrono::steady_clock::now();
    std::string message;
    try {
      WriteTransaction tx(waiter);
      FAIL("BEGIN IMMEDIATE should have timed out");
    } catch (const router::util::BusyError& e) {
      message = e.what();
    }
    CHECK(std::chrono::steady_clock::now() - start >= 90ms);
    CHECK(message ==
          "database is busy (another router process holds the write lock past 100ms); try again");

    // Readers are not blocked in WAL mode, and see nothing uncommitted.
    router::store::LeadStore waiter_leads(waiter);
    CHECK_FALSE(waiter_leads.exists("H1"));
    held.commit();
    CHECK(waiter_leads.exists("H1"));
  }

  TEST_CASE("a busy import leaves the database as it was") {
    TempDir dir;
    const auto path = dir / "router.db";
    auto holder = initialised(path);
    auto waiter = Database::open(path, 50ms);
    router::store::LeadImport import(waiter);
    import.stage({"L1", "web", "{}", router::util::Time { 1000s }}, 1);
    WriteTransaction held(holder);
    CHECK_THROWS_AS(import.commit(), router::util::BusyError);
    held.commit();
    CHECK(router::store::LeadStore(waiter).count() == 0);
  }

  TEST_CASE("a reader notices when its database file is removed or replaced") {
    TempDir dir;
    const auto path = dir / "router.db";
    initialised(path);
    auto reader = Database::open_read_only(path, 1000ms);
    CHECK_FALSE(reader.snapshot());
    CHECK_NOTHROW(reader.check_present());
    std::filesystem::rename(path, dir / "moved.db");
    CHECK(db_error([&] { reader.check_present(); }) ==
          "database " + path.string() + " was removed or replaced");
    initialised(path);
    CHECK(db_error([&] { reader.check_present(); }) ==
          "database " + path.string() + " was removed or replaced");
    auto fresh = Database::open_read_only(path, 1000ms);
    CHECK_NOTHROW(fresh.check_present());
    std::filesystem::remove(path);
    CHECK(db_error([&] { fresh.check_present(); }) ==
          "database " + path.string() + " was removed or replaced");
    CHECK_NOTHROW(Database::in_memory().check_present());
  }

  TEST_CASE("busy timeouts are printed the way they were given") {
    CHECK(router::store::format_timeout(5000ms) == "5s");
    CHECK(router::store::format_timeout(90000ms) == "1m30s");
    CHECK(router::store::format_timeout(250ms) == "250ms");
  }
}
