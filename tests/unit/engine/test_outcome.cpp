#include <doctest/doctest.h>

#include <string>

#include <SQLiteCpp/Database.h>

#include "../core/fixtures.hpp"
#include "engine/outcome.hpp"
#include "store/database.hpp"
#include "store/sql.hpp"
#include "util/error.hpp"

using router::core::fixtures::at;
using router::store::Database;
namespace engine = router::engine;

namespace {

std::string query(Database& db, const std::string& sql) {
  router::store::sql::Statement s(db.sql(), sql);
  std::string out;
  while (s.executeStep()) {
    for (int i = 0; i < s.getColumnCount(); ++i) {
      out += (i ? "|" : "") + (s.getColumn(i).isNull() ? "NULL" : s.getColumn(i).getString());
    }
    out += "\n";
  }
  return out;
}

Database with_leads() {
  auto db = Database::in_memory();
  db.sql().exec(
      "INSERT INTO leads(id, source, received_at, state, agent, pool, rule) VALUES "
      "('A-1', 'web', 0, 'assigned', 'tom', 'sales', 'all'), "
      "('O-1', 'web', 0, 'offered', 'tom', 'sales', 'all'), "
      "('P-1', 'web', 0, 'pending', NULL, NULL, NULL), "
      "('Q-1', 'web', 0, 'queued', NULL, NULL, NULL), "
      "('R-1', 'web', 0, 'assigned', 'tom', 'sales', 'all');"
      "INSERT INTO reassignments(lead_id, pool, requested_at) VALUES ('R-1', 'sales', 0);");
  return db;
}

}  // namespace

TEST_SUITE("engine.outcome") {
  TEST_CASE("an outcome closes an assigned lead, keeps its owner and writes its event") {
    auto db = with_leads();
    const auto r = engine::record_outcome(db, at("2026-11-23T10:00:00Z"), "A-1", "won");
    CHECK(r.agent == "tom");
    CHECK(r.pool == "sales");
    CHECK(query(db, "SELECT state, agent, pool, rule, updated_at FROM leads WHERE id = 'A-1'") ==
          "closed|tom|sales|all|1795428000\n");
    CHECK(query(db, "SELECT lead_id, agent, outcome, at FROM outcomes") ==
          "A-1|tom|won|1795428000\n");
    CHECK(query(db, "SELECT lead_id, at, type, agent, pool, rule, detail FROM events") ==
          "A-1|1795428000|closed|tom|sales|all|{\"outcome\":\"won\",\"reason\":\"outcome\"}\n");
  }

  TEST_CASE("a closed lead cannot be closed again") {
    auto db = with_leads();
    engine::record_outcome(db, at("2026-11-23T10:00:00Z"), "A-1", "lost");
    CHECK_THROWS_WITH_AS(engine::record_outcome(db, at("2026-11-23T11:00:00Z"), "A-1", "won"),
                         "lead 'A-1' is already closed (lost)", router::util::Refused);
    CHECK(query(db, "SELECT outcome FROM outcomes") == "lost\n");
    CHECK(query(db, "SELECT count(*) FROM events") == "1\n");
  }

  TEST_CASE("only assigned leads can be closed") {
    auto db = with_leads();
    const auto now = at("2026-11-23T10:00:00Z");
    CHECK_THROWS_WITH_AS(engine::record_outcome(db, now, "O-1", "won"),
                         "lead 'O-1' is offered, not assigned (it must be claimed first); only an "
                         "assigned lead can be closed",
                         router::util::Refused);
    CHECK_THROWS_WITH_AS(engine::record_outcome(db, now, "P-1", "won"),
                         "lead 'P-1' is pending, not assigned (it has not been routed yet); only "
                         "an assigned lead can be closed",
                         router::util::Refused);
    CHECK_THROWS_AS(engine::record_outcome(db, now, "Q-1", "lost"), router::util::Refused);
    CHECK_THROWS_WITH_AS(engine::record_outcome(db, now, "R-1", "won"),
                         "lead 'R-1' cannot be closed: a reassignment is in progress",
                         router::util::Refused);
    CHECK_THROWS_WITH_AS(engine::record_outcome(db, now, "A-2", "won"),
                         "no lead 'A-2' (did you mean 'A-1'?)", router::util::Refused);
    CHECK_THROWS_AS(engine::record_outcome(db, now, "A-1", "draw"), router::util::UsageError);
    CHECK(query(db, "SELECT count(*) FROM outcomes") == "0\n");
    CHECK(query(db, "SELECT count(*) FROM leads WHERE state = 'closed'") == "0\n");
  }
}
