#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "store/database.hpp"
#include "store/schema.hpp"
#include "store/sql.hpp"

using router::store::Database;

namespace {

// "name type notnull default pk" per column, as PRAGMA table_info reports them.
std::vector<std::string> columns(Database& db, const std::string& table) {
  router::store::sql::Statement s(db.sql(), "PRAGMA table_info(" + table + ")");
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
  router::store::sql::Statement s(db.sql(),
                                  "SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE "
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
                                       "seq INTEGER 0 - 1", "lead_id TEXT 1 - 0",
                                       "at INTEGER 1 - 0", "type TEXT 1 - 0", "agent TEXT 0 - 0",
                                       "pool TEXT 0 - 0", "rule TEXT 0 - 0", "detail TEXT 0 - 0",
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
          std::vector<std::string>{"agent_log", "agent_metrics", "agent_state", "broadcast_offers",
                                   "configs", "contacts", "decisions", "deliveries",
                                   "delivery_payloads", "events", "leads", "meta", "outcomes",
                                   "reassignments", "rotation", "rounds", "trails", "usage"});
    CHECK(names(db, "view") == std::vector<std::string>{"offers"});
    const auto indexes = names(db, "index");
    for (const char* wanted :
         {"leads_state_received", "leads_offered_deadline", "events_lead", "events_at",
          "offers_state_deadline", "offers_agent_state", "outcomes_agent_at", "deliveries_open",
          "deliveries_queue", "deliveries_failed", "deliveries_sent"}) {
      CAPTURE(wanted);
      CHECK(std::find(indexes.begin(), indexes.end(), wanted) != indexes.end());
    }
  }

  TEST_CASE("routing's pending-leads query uses the state index") {
    auto db = Database::in_memory();
    router::store::sql::Statement s(db.sql(),
                                    "EXPLAIN QUERY PLAN SELECT id FROM leads WHERE state = "
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
    router::store::sql::Statement s(db.sql(),
                                    "SELECT attributes, received_at, state, attempts FROM leads");
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
    db.sql().exec("DROP VIEW offers; DROP TABLE rounds; DROP INDEX leads_offered_deadline; "
                  "ALTER TABLE broadcast_offers RENAME TO offers; "
                  "ALTER TABLE events DROP COLUMN source; DROP TABLE trails; DROP TABLE configs; "
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

  TEST_CASE("migrating from schema 4 keeps every offer's story and only broadcasts' rows") {
    auto db = Database::in_memory();
    // Schema 4 as it was: every offer a row, trails by lead, configs without their size.
    db.sql().exec(R"sql(
      DROP VIEW offers; DROP TABLE rounds; DROP INDEX leads_offered_deadline;
      ALTER TABLE broadcast_offers RENAME TO offers;
      DROP TABLE trails;
      CREATE TABLE trails(lead_id TEXT NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL,
        config INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY(lead_id, seq)) WITHOUT ROWID;
      DROP INDEX configs_hash_size; CREATE INDEX configs_hash ON configs(hash);
      ALTER TABLE configs DROP COLUMN size;
      PRAGMA user_version = 4;
    )sql");
    // A: tom's offer expired, ann's open. B: a broadcast to tom (declined) and ann (open).
    // C: tom's offer withdrawn by a reassignment, whose new round offered sue.
    db.sql().exec(R"sql(
      INSERT INTO leads(id, source, state, agent, pool, deadline, updated_at) VALUES
        ('A', 'web', 'offered', 'ann', 'p', 400, 200), ('B', 'web', 'offered', NULL, 'p', 700, 100),
        ('C', 'web', 'offered', 'sue', 'p', 900, 300);
      INSERT INTO events(seq, lead_id, at, type, agent, pool, detail) VALUES
        (1, 'A', 100, 'offered', 'tom', 'p', '{"attempt":1,"deadline":"1970-01-01T00:02:30Z","reason":"rule"}'),
        (2, 'A', 150, 'expired', 'tom', 'p', '{"reason":"claim_timeout"}'),
        (3, 'A', 200, 'offered', 'ann', 'p', '{"attempt":2,"deadline":"1970-01-01T00:06:40Z","reason":"expired"}'),
        (4, 'B', 100, 'offered', 'tom', 'p', '{"attempt":1,"deadline":"1970-01-01T00:11:40Z","reason":"rule"}'),
        (5, 'B', 100, 'offered', 'ann', 'p', '{"attempt":1,"deadline":"1970-01-01T00:11:40Z","reason":"rule"}'),
        (6, 'B', 110, 'declined', 'tom', 'p', '{"reason":"declined"}'),
        (7, 'C', 100, 'offered', 'tom', 'p', '{"attempt":1,"reason":"rule"}'),
        (8, 'C', 300, 'reassign_requested', 'tom', 'p', '{"reason":"manual"}'),
        (9, 'C', 300, 'withdrawn', 'tom', 'p', '{"reason":"reassign"}'),
        (10, 'C', 300, 'offered', 'sue', 'p', '{"attempt":1,"deadline":"1970-01-01T00:15:00Z","reason":"manual"}');
      INSERT INTO offers(lead_id, agent, pool, offered_at, deadline, state, ended_at, round) VALUES
        ('A', 'tom', 'p', 100, 150, 'expired', 150, 0), ('A', 'ann', 'p', 200, 400, 'open', NULL, 0),
        ('B', 'tom', 'p', 100, 700, 'declined', 110, 0), ('B', 'ann', 'p', 100, 700, 'open', NULL, 0),
        ('C', 'tom', 'p', 100, NULL, 'withdrawn', 300, 0), ('C', 'sue', 'p', 300, 900, 'open', NULL, 1);
      INSERT INTO configs(id, hash, text) VALUES (1, 42, 'version: 1');
      INSERT INTO trails(lead_id, seq, at, config, data) VALUES ('A', 3, 200, 1, x'01'),
        ('A', 1, 100, 1, x'02');
    )sql");
    const char* story =
        "SELECT group_concat(lead_id || ' ' || agent || ' ' || offered_at || ' ' || "
        "quote(deadline) || ' ' || state || ' ' || quote(ended_at) || ' ' || round, "
        "', ') FROM (SELECT * FROM offers ORDER BY lead_id, offered_at, agent)";
    const std::string before = db.sql().execAndGet(story).getString();
    const auto m = router::store::migrate(db);
    CHECK(m.from == 4);
    CHECK(db.sql().execAndGet(story).getString() == before);
    CHECK(
        db.sql()
            .execAndGet("SELECT group_concat(lead_id || ' ' || agent, ', ') FROM broadcast_offers")
            .getString() == "B tom, B ann");
    CHECK(db.sql()
              .execAndGet("SELECT group_concat(lead_id || round || seq) FROM rounds")
              .getString() == "C110");
    CHECK(db.sql().execAndGet("SELECT group_concat(seq || hex(data)) FROM trails").getString() ==
          "102,301");
    CHECK(db.sql().execAndGet("SELECT size FROM configs").getInt() == 10);
  }
}
