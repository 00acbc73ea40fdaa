#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "store/database.hpp"
#include "store/schema.hpp"

using router::store::Database;

namespace {

// "name type notnull default pk" per column, as PRAGMA table_info reports them.
std::vector<std::string> columns(Database& db, const std::string& table) {
  SQLite::Statement s(db.sql(), "PRAGMA table_info(" + table + ")");
  std::vector<std::string> out;
  while (s.executeStep()) {
    out.push_back(s.getColumn(1).getString() + " " + s.getColumn(2).getString() + " " +
                  s.getColumn(3).getString() + " " +
                  (s.getColumn(4).isNull() ? "-" : s.getColumn(4).getString()) + " " +
                  s.getColumn(5).getString());
  }
  return out;
}

std::vector<std::string> names(Database& db, const std::string& type) {
  SQLite::Statement s(db.sql(), "SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE "
                                "'sqlite_%' ORDER BY name");
  s.bind(1, type);
  std::vector<std::string> out;
  while (s.executeStep()) {
    out.push_back(s.getColumn(0).getString());
  }
  return out;
}

}  // namespace

TEST_SUITE("store.schema") {
  TEST_CASE("the public leads table has exactly the columns of SPEC section 3") {
    auto db = Database::in_memory();
    CHECK(columns(db, "leads") ==
          std::vector<std::string>{
              "id TEXT 0 - 1",
              "source TEXT 1 - 0",
              "attributes TEXT 1 '{}' 0",
              "received_at INTEGER 1 CAST(strftime('%s','now') AS INTEGER) 0",
              "state TEXT 1 'pending' 0",
              "agent TEXT 0 - 0",
              "pool TEXT 0 - 0",
              "rule TEXT 0 - 0",
              "deadline INTEGER 0 - 0",
              "attempts INTEGER 1 0 0",
              "updated_at INTEGER 0 - 0",
              "touched_at INTEGER 0 - 0",
          });
  }

  TEST_CASE("the public events table has exactly the columns of SPEC section 3") {
    auto db = Database::in_memory();
    CHECK(columns(db, "events") == std::vector<std::string>{
                                       "seq INTEGER 0 - 1",
                                       "lead_id TEXT 1 - 0",
                                       "at INTEGER 1 - 0",
                                       "type TEXT 1 - 0",
                                       "agent TEXT 0 - 0",
                                       "pool TEXT 0 - 0",
                                       "rule TEXT 0 - 0",
                                       "detail TEXT 0 - 0",
                                       "source TEXT 0 - 0",  // added by schema 3
                                   });
    // AUTOINCREMENT: seq never reuses a number, which the outbox relies on.
    CHECK(db.sql()
              .execAndGet("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_sequence'")
              .getInt() == 1);
  }

  TEST_CASE("the private tables and the routing indexes exist") {
    auto db = Database::in_memory();
    CHECK(names(db, "table") ==
          std::vector<std::string>{"agent_log", "agent_metrics", "agent_state", "configs", "contacts",
                                   "decisions", "deliveries", "delivery_payloads", "events", "leads", "meta", "offers",
                                   "outcomes",
                                   "reassignments", "rotation", "trails", "usage"});
    const auto indexes = names(db, "index");
    for (const char* wanted :
         {"leads_state_received", "events_lead", "events_at", "offers_state_deadline",
          "offers_agent_state", "outcomes_agent_at", "deliveries_open", "deliveries_queue",
          "deliveries_failed", "deliveries_sent"}) {
      CAPTURE(wanted);
      CHECK(std::find(indexes.begin(), indexes.end(), wanted) != indexes.end());
    }
  }

  TEST_CASE("routing's pending-leads query uses the state index") {
    auto db = Database::in_memory();
    SQLite::Statement s(db.sql(), "EXPLAIN QUERY PLAN SELECT id FROM leads WHERE state = "
                                  "'pending' ORDER BY received_at LIMIT 100");
    std::string plan;
    while (s.executeStep()) {
      plan += s.getColumn(3).getString() + "\n";
    }
    CAPTURE(plan);
    CHECK(plan.find("leads_state_received") != std::string::npos);
    CHECK(plan.find("TEMP B-TREE") == std::string::npos);  // no sort of a million rows
  }

  TEST_CASE("a CRM insert of id and source gets the documented defaults") {
    auto db = Database::in_memory();
    db.sql().exec("INSERT INTO leads(id, source) VALUES ('C1', 'crm')");
    SQLite::Statement s(db.sql(), "SELECT attributes, received_at, state, attempts FROM leads");
    REQUIRE(s.executeStep());
    CHECK(s.getColumn(0).getString() == "{}");
    CHECK(s.getColumn(1).getInt64() > 1'700'000'000);  // now, as unix seconds
    CHECK(s.getColumn(2).getString() == "pending");
    CHECK(s.getColumn(3).getInt() == 0);
  }

  TEST_CASE("migrating an empty database creates the schema; again changes nothing") {
    auto db = Database::in_memory_empty();
    CHECK(db.schema_version() == 0);
    const auto first = router::store::migrate(db);
    CHECK(first.from == 0);
    CHECK(first.to == router::store::k_schema_version);
    CHECK(db.schema_version() == router::store::k_schema_version);
    db.sql().exec("INSERT INTO leads(id, source) VALUES ('L1', 'web')");
    const auto second = router::store::migrate(db);
    CHECK(second.from == router::store::k_schema_version);
    CHECK(second.to == router::store::k_schema_version);
    CHECK(db.sql().execAndGet("SELECT count(*) FROM leads").getInt() == 1);
  }

  TEST_CASE("migrate refuses a schema newer than the binary") {
    auto db = Database::in_memory();
    const int newer = router::store::k_schema_version + 1;
    db.sql().exec("PRAGMA user_version = " + std::to_string(newer));
    CHECK_THROWS_WITH(router::store::migrate(db),
                      (":memory: has schema version " + std::to_string(newer) +
                       ", newer than this router (" +
                       std::to_string(router::store::k_schema_version) + "); upgrade router")
                          .c_str());
    CHECK(db.schema_version() == newer);
  }

  TEST_CASE("migrating from schema 2 gives every stored event its lead's source") {
    auto db = Database::in_memory();
    // Schema 2 as it was: events without the source column, no trails.
    db.sql().exec("ALTER TABLE events DROP COLUMN source; DROP TABLE trails; DROP TABLE configs; "
                  "PRAGMA user_version = 2");
    db.sql().exec(R"sql(
      INSERT INTO leads(id, source) VALUES ('A', 'web'), ('B', 'partner');
      INSERT INTO events(lead_id, at, type, detail) VALUES
        ('A', 100, 'received', '{}'), ('A', 100, 'offered', '{}'),
        ('B', 100, 'offered', '{}'), ('GONE', 100, 'offered', '{}');
    )sql");
    const auto m = router::store::migrate(db);
    CHECK(m.from == 2);
    CHECK(m.to == router::store::k_schema_version);
    CHECK(db.sql()
              .execAndGet("SELECT group_concat(lead_id || '=' || coalesce(source, 'NULL'), ' ') "
                          "FROM (SELECT lead_id, source FROM events ORDER BY seq)")
              .getString() == "A=web A=web B=partner GONE=NULL");
    CHECK(columns(db, "events").back() == "source TEXT 0 - 0");
  }
}
