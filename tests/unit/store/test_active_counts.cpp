#include <doctest/doctest.h>

#include <string>

#include "store/database.hpp"
#include "store/sql.hpp"
#include "util/random.hpp"

using router::store::Database;

namespace {

std::string rows(Database& db, const std::string& sql) {
  router::store::sql::Statement s(db.sql(), sql);
  std::string out;
  while (s.executeStep()) {
    out += s.getColumn(0).getString() + "=" + s.getColumn(1).getString() + " ";
  }
  return out;
}

// What load_snapshot counts without the triggers, per agent.
std::string counted(Database& db) {
  return rows(db, "SELECT agent, sum(n) FROM (SELECT agent, count(*) AS n FROM broadcast_offers "
                  "WHERE state = 'open' GROUP BY agent UNION ALL SELECT agent, count(*) FROM "
                  "leads WHERE state IN ('offered', 'assigned') AND agent IS NOT NULL GROUP BY "
                  "agent) GROUP BY agent HAVING sum(n) <> 0 ORDER BY agent");
}

std::string kept(Database& db) {
  return rows(db, "SELECT agent, n FROM temp.active_leads WHERE n <> 0 ORDER BY agent");
}

}  // namespace

TEST_CASE("count_active_leads keeps the open leads per agent as rows change") {
  auto db = Database::in_memory();
  db.count_active_leads();
  CHECK(db.counts_active_leads());
  auto& sql = db.sql();
  sql.exec("INSERT INTO leads(id, source, received_at, state, agent) VALUES "
           "('A', 'web', 0, 'offered', 'ann'), ('B', 'web', 0, 'assigned', 'ann'), "
           "('C', 'web', 0, 'pending', NULL), ('D', 'web', 0, 'closed', 'bob'), "
           "('E', 'web', 0, 'offered', NULL)");
  CHECK(kept(db) == "ann=2 ");
  // What RoutingStore::bulk_mode sets: a change of temp_store would drop the TEMP triggers.
  sql.exec("PRAGMA temp_store = MEMORY");
  sql.exec("UPDATE leads SET agent = 'bob' WHERE id = 'A'");  // offered on to bob
  CHECK(kept(db) == "ann=1 bob=1 ");
  sql.exec("UPDATE leads SET state = 'closed' WHERE id = 'B'");
  sql.exec("UPDATE leads SET state = 'assigned', agent = 'cat' WHERE id = 'C'");
  sql.exec("UPDATE leads SET state = 'assigned' WHERE id = 'D'");  // reopened
  sql.exec("UPDATE leads SET state = state, agent = agent");       // names both, changes none
  CHECK(kept(db) == "bob=2 cat=1 ");
  // A broadcast: the lead has no agent, its open offers count.
  sql.exec("INSERT INTO broadcast_offers(lead_id, agent, offered_at, state) VALUES "
           "('E', 'ann', 0, 'open'), ('E', 'bob', 0, 'open'), ('E', 'cat', 0, 'open')");
  sql.exec("UPDATE broadcast_offers SET state = 'withdrawn' WHERE agent <> 'ann'");
  sql.exec("UPDATE leads SET state = 'assigned', agent = 'ann' WHERE id = 'E'");
  sql.exec("UPDATE broadcast_offers SET state = 'claimed' WHERE agent = 'ann'");
  sql.exec("DELETE FROM leads WHERE id = 'D'");
  CHECK(kept(db) == "ann=1 bob=1 cat=1 ");
  CHECK(kept(db) == counted(db));

  SUBCASE("many random changes agree with counting") {
    router::util::Random random(42);
    const char* states[] = {"pending", "offered", "assigned", "queued", "closed"};
    const char* agents[] = {"ann", "bob", "cat", "dan"};
    for (int i = 0; i < 2000; ++i) {
      const std::string id = "R" + std::to_string(random.below(50));
      const std::string state = states[random.below(5)];
      const std::string agent =
          random.below(5) == 0 ? "NULL" : "'" + std::string(agents[random.below(4)]) + "'";
      switch (random.below(4)) {
      case 0:
        sql.exec("INSERT OR IGNORE INTO leads(id, source, received_at, state, agent) VALUES ('" +
                 id + "', 'web', 0, '" + state + "', " + agent + ")");
        break;
      case 1:
        sql.exec("UPDATE leads SET state = '" + state + "', agent = " + agent + " WHERE id = '" +
                 id + "'");
        break;
      case 2: sql.exec("DELETE FROM leads WHERE id = '" + id + "'"); break;
      default:
        sql.exec("INSERT INTO broadcast_offers(lead_id, agent, offered_at, state) VALUES ('" + id +
                 "', '" + agents[random.below(4)] + "', 0, '" +
                 (random.below(2) ? "open" : "expired") + "')");
        sql.exec("UPDATE broadcast_offers SET state = 'withdrawn' WHERE id % 7 = " +
                 std::to_string(random.below(7)) + " AND state = 'open'");
      }
    }
    CHECK(kept(db) == counted(db));
    CHECK(!counted(db).empty());
  }
}
