#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <string>

#include <SQLiteCpp/Database.h>
#include <sqlite3.h>

#include "store/database.hpp"
#include "store/events.hpp"
#include "store/leads.hpp"
#include "store/routing.hpp"
#include "store/schema.hpp"
#include "store/sql.hpp"
#include "store/statement_util.hpp"
#include "temp_dir.hpp"
#include "util/error.hpp"

using namespace std::chrono_literals;
using router::store::Database;
using router::store::WriteTransaction;
using router::test::TempDir;

namespace {

// How many of the connection's statements are between their first step and a reset.
int busy_statements(Database& db) {
  int busy = 0;
  for (sqlite3_stmt* s = sqlite3_next_stmt(db.sql().getHandle(), nullptr); s != nullptr;
       s = sqlite3_next_stmt(db.sql().getHandle(), s)) {
    busy += sqlite3_stmt_busy(s) != 0 ? 1 : 0;
  }
  return busy;
}

// The connection's transaction on `main`: SQLITE_TXN_NONE, _READ or _WRITE.
int txn_state(Database& db) {
  return sqlite3_txn_state(db.sql().getHandle(), "main");
}

Database initialised(const std::filesystem::path& path) {
  auto db = Database::open_for_init(path, 1000ms);
  router::store::migrate(db);
  return db;
}

}  // namespace

TEST_SUITE("store.statement_util") {
  TEST_CASE("a statement read through prepared() is reset when the reading scope ends") {
    auto db = Database::in_memory();
    std::unique_ptr<router::store::sql::Statement> cached;
    {
      auto q = router::store::prepared(db, cached, "SELECT 1 UNION ALL SELECT 2");
      REQUIRE(q.executeStep());
      CHECK(busy_statements(db) == 1);
    }
    CHECK(busy_statements(db) == 0);
    // Used again: the rows start over.
    auto q = router::store::prepared(db, cached, "SELECT 1 UNION ALL SELECT 2");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getInt() == 1);
  }

  TEST_CASE("a moved query resets the statement once, when the last owner ends") {
    auto db = Database::in_memory();
    std::unique_ptr<router::store::sql::Statement> cached;
    auto outer = [&] {
      auto q = router::store::prepared(db, cached, "SELECT 1 UNION ALL SELECT 2");
      q.executeStep();
      return q;
    }();
    CHECK(busy_statements(db) == 1);
    CHECK(outer.getColumn(0).getInt() == 1);
  }

  TEST_CASE("repository reads that step once leave no statement busy") {
    auto db = Database::in_memory();
    router::store::LeadStore leads(db);
    leads.add({"L1", "web", "{}", router::util::Time{1000s}});
    router::store::RoutingStore routing(db);
    CHECK(leads.exists("L1"));
    CHECK(leads.find("L1").has_value());
    CHECK(routing.find("L1").has_value());
    CHECK(routing.current_round("L1") == 0);
    CHECK_FALSE(routing.reassign_in_progress("L1"));
    CHECK_FALSE(
        routing.prior_owner({"email:a@example.com"}, "L1", router::util::Time{0s}).has_value());
    CHECK(routing.pending_after(router::util::Time{0s}, 0, 1).size() == 1);
    router::store::EventStore events(db);
    events.append({"L1", router::util::Time{1000s}, "touched", {}, {}, {}, "{}"}, "web");
    events.append({"L1", router::util::Time{1001s}, "touched", {}, {}, {}, "{}"}, "web");
    CHECK(events.list_after(0, 1).size() == 1);
    CHECK(events.for_lead("L1").size() == 3);  // with the received event add() wrote
    CHECK(busy_statements(db) == 0);
    CHECK(txn_state(db) == SQLITE_TXN_NONE);
  }

  TEST_CASE("a read in one batch does not keep the next batch from waiting for the lock") {
    TempDir dir;
    const auto path = dir / "router.db";
    auto other = initialised(path);
    auto db = Database::open(path, 200ms);
    router::store::RoutingStore routing(db);
    {
      WriteTransaction tx(db);
      CHECK(routing.current_round("L1") == 0);
      tx.commit();
    }
    // The read ended with the batch: no snapshot is left behind for SQLite to refuse.
    CHECK(txn_state(db) == SQLITE_TXN_NONE);

    // Another process commits, and holds the lock again briefly.
    {
      WriteTransaction tx(other);
      router::store::LeadStore(other).add({"O1", "web", "{}", router::util::Time{1000s}});
      tx.commit();
    }
    // The next batch begins at once: it would fail with BusyError (SQLITE_BUSY_SNAPSHOT,
    // no wait) if the read above still held its snapshot.
    CHECK_NOTHROW(WriteTransaction(db).commit());
    auto held = std::make_unique<WriteTransaction>(other);
    const auto start = std::chrono::steady_clock::now();
    CHECK_THROWS_AS(WriteTransaction{db}, router::util::BusyError);
    // It waited for its whole busy timeout before giving up.
    CHECK(std::chrono::steady_clock::now() - start >= 180ms);
    held.reset();
  }
}
