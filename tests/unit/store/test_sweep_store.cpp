#include <doctest/doctest.h>

#include <string>

#include <SQLiteCpp/Database.h>

#include "store/database.hpp"
#include "store/sql.hpp"
#include "store/sweep_store.hpp"
#include "util/time.hpp"

using router::store::Database;
using router::store::Gap;
using router::store::SweepStore;

namespace {

std::string plan_of(Database& db, const std::string& sql) {
  router::store::sql::Statement s(db.sql(), "EXPLAIN QUERY PLAN " + sql);
  std::string plan;
  while (s.executeStep()) {
    plan += s.getColumn(3).getString() + "\n";
  }
  return plan;
}

router::util::Time at(const char* text) {
  return *router::util::parse_rfc3339(text);
}

// Three leads holding their own offers: L1 to tom in sales (due at 100), L2 to ann in sales
// (200), L3 to bob in gone (300), a pool the configuration no longer has. Two broadcasts:
// B1 in gone to bob and cy (300), B2 in sales to ann and zed (150), zed not a member. And
// queued leads in sales, in gone and in the manual queue.
Database sample() {
  auto db = Database::in_memory();
  db.sql().exec(
      "INSERT INTO leads(id, source, received_at, state, agent, pool, deadline, updated_at) "
      "VALUES ('L1', 'web', 0, 'offered', 'tom', 'sales', 100, 0),"
      "('L2', 'web', 0, 'offered', 'ann', 'sales', 200, 0),"
      "('L3', 'web', 0, 'offered', 'bob', 'gone', 300, 0),"
      "('B1', 'web', 0, 'offered', NULL, 'gone', 300, 0),"
      "('B2', 'web', 0, 'offered', NULL, 'sales', 150, 0),"
      "('Q1', 'web', 0, 'queued', NULL, 'sales', NULL, 0),"
      "('Q2', 'web', 0, 'queued', NULL, 'gone', NULL, 0),"
      "('Q3', 'web', 0, 'queued', NULL, NULL, NULL, 0);"
      "INSERT INTO broadcast_offers(lead_id, agent, pool, offered_at, deadline) VALUES "
      "('B1', 'bob', 'gone', 0, 300), ('B1', 'cy', 'gone', 0, 300), "
      "('B2', 'ann', 'sales', 0, 150), ('B2', 'zed', 'sales', 0, 150)");
  return db;
}

std::string leads_of(const std::vector<router::store::OfferWithLead>& offers) {
  std::string out;
  for (const auto& o : offers) {
    out += o.lead.id + ":" + o.offer.agent + " ";
  }
  return out;
}

}  // namespace

TEST_SUITE("store.sweep_store") {
  TEST_CASE("every query of an idle sweep is an index search, never a scan or a sort") {
    auto db = Database::in_memory();
    const std::string queries[] = {
        "SELECT o.id FROM broadcast_offers o JOIN leads l ON l.id = o.lead_id WHERE o.state = "
        "'open' AND o.deadline <= 5 AND (o.deadline, o.id) > (1, 2) ORDER BY o.deadline, o.id "
        "LIMIT 10",
        "SELECT o.id FROM broadcast_offers o INDEXED BY offers_open_pool_agent JOIN leads l ON "
        "l.id = o.lead_id WHERE o.state = 'open' AND o.pool = 'p' AND o.agent > 'a' AND o.agent "
        "< 'c' ORDER BY o.agent LIMIT 10",
        "SELECT o.id FROM broadcast_offers o JOIN leads l ON l.id = o.lead_id WHERE o.agent = "
        "'a' AND o.state = 'open' LIMIT 10",
        "SELECT rowid FROM leads INDEXED BY leads_offered_deadline WHERE state = 'offered' AND "
        "agent IS NOT NULL AND deadline <= 5 AND (deadline, rowid) > (1, 2) ORDER BY deadline, "
        "rowid LIMIT 10",
        "SELECT rowid FROM leads INDEXED BY leads_agent_state WHERE agent = 'a' AND state = "
        "'offered' AND pool = 'p' LIMIT 10",
        "SELECT 1 FROM trails WHERE seq > 5 AND config <> 1 LIMIT 1",
        "SELECT id FROM leads INDEXED BY leads_queued_pool WHERE state = 'queued' AND pool > 'a' "
        "AND pool < 'b' ORDER BY pool LIMIT 10",
        "SELECT rowid FROM leads WHERE state = 'assigned' AND pool = 'p' AND "
        "max(coalesce(updated_at, 0), coalesce(touched_at, 0)) <= 5 AND "
        "(max(coalesce(updated_at, 0), coalesce(touched_at, 0)), rowid) > (1, 2) ORDER BY "
        "max(coalesce(updated_at, 0), coalesce(touched_at, 0)), rowid LIMIT 10",
        "SELECT min(received_at) FROM leads WHERE state = 'pending'"};
    for (const auto& sql : queries) {
      const std::string plan = plan_of(db, sql);
      CAPTURE(sql);
      CAPTURE(plan);
      CHECK(plan.find("SCAN") == std::string::npos);
      CHECK(plan.find("TEMP B-TREE") == std::string::npos);
    }
    CHECK(plan_of(db, queries[7]).find("leads_assigned_activity") != std::string::npos);
  }

  TEST_CASE("due offers come by deadline, after the keyset position, with their leads") {
    auto db = sample();
    SweepStore store(db);
    CHECK(leads_of(store.due_offers(at("1970-01-01T00:03:20Z"), INT64_MIN, INT64_MIN, 10)) ==
          "B2:ann B2:zed ");
    CHECK(store.due_offers(at("1970-01-01T00:02:29Z"), INT64_MIN, INT64_MIN, 10).empty());
    const auto held = store.due_lead_offers(at("1970-01-01T00:03:20Z"), INT64_MIN, INT64_MIN, 10);
    REQUIRE(held.size() == 2);
    CHECK(held[0].offer.lead.id == "L1");
    CHECK(held[0].offer.offer.id == router::store::k_lead_offer);
    CHECK(held[0].offer.offer.agent == "tom");
    CHECK(held[0].offer.offer.deadline == at("1970-01-01T00:01:40Z"));
    CHECK(held[1].offer.lead.id == "L2");
    const auto after = store.due_lead_offers(at("1970-01-01T00:03:20Z"), 100, held[0].rowid, 10);
    REQUIRE(after.size() == 1);
    CHECK(after[0].offer.lead.id == "L2");
    CHECK(store.due_lead_offers(at("1970-01-01T00:01:39Z"), INT64_MIN, INT64_MIN, 10).empty());
  }

  TEST_CASE("an agent's open offers: those the leads hold, then broadcasts'") {
    auto db = sample();
    SweepStore store(db);
    CHECK(leads_of(store.open_offers_of("ann", "", 10)) == "L2:ann B2:ann ");
    CHECK(leads_of(store.open_offers_of("ann", "sales", 10)) == "L2:ann B2:ann ");
    CHECK(store.open_offers_of("ann", "gone", 10).empty());
    CHECK(leads_of(store.open_offers_of("bob", "", 10)) == "L3:bob B1:bob ");
    CHECK(leads_of(store.open_offers_of("bob", "", 1)) == "L3:bob ");
  }

  TEST_CASE("the single offers come in keyset order; they are checked again after a change") {
    auto db = sample();
    SweepStore store(db);
    const auto all = store.lead_offers_after(INT64_MIN, INT64_MIN, 10);
    REQUIRE(all.size() == 3);  // not the broadcasts' leads
    CHECK(all[0].offer.lead.id == "L1");
    CHECK(all[2].offer.offer.pool == "gone");
    const auto rest = store.lead_offers_after(0, all[0].rowid, 10);
    CHECK(rest.size() == 2);
    CHECK_FALSE(store.offers_checked_under(1));
    store.set_offers_checked(1);
    CHECK(store.offers_checked_under(1));
    CHECK_FALSE(store.offers_checked_under(2));
    const auto mark = [&] {
      return db.sql()
          .execAndGet("SELECT value FROM meta WHERE key = 'sweep.offers_seq'")
          .getString();
    };
    db.sql().exec("INSERT INTO trails(seq, config, data) VALUES (7, 1, x'00')");
    CHECK(store.offers_checked_under(1));  // made under the same configuration
    // ... and recorded as checked: the next call looks only past it.
    CHECK(mark() == "7");
    CHECK(store.offers_checked_under(1));
    CHECK(mark() == "7");
    db.sql().exec("INSERT INTO trails(seq, config, data) VALUES (8, 2, x'00')");
    CHECK_FALSE(store.offers_checked_under(1));  // an older process's offer since
    store.set_offers_checked(1);
    CHECK(store.offers_checked_under(1));
  }

  TEST_CASE("gap queries find offers and queued leads outside the configured names") {
    auto db = sample();
    SweepStore store(db);
    // Pools other than "sales": below it and above it.
    CHECK(leads_of(store.open_offers_in_pools(Gap{std::nullopt, "sales"}, 10)) == "B1:bob B1:cy ");
    CHECK(store.open_offers_in_pools(Gap{"sales", std::nullopt}, 10).empty());
    // Members of sales are ann and tom: the gaps around them.
    CHECK(store.open_offers_outside("sales", Gap{std::nullopt, "ann"}, 10).empty());
    CHECK(store.open_offers_outside("sales", Gap{"ann", "tom"}, 10).empty());
    CHECK(leads_of(store.open_offers_outside("sales", Gap{"tom", std::nullopt}, 10)) == "B2:zed ");
    const auto queued = store.queued_in_pools(Gap{std::nullopt, "sales"}, 10);
    REQUIRE(queued.size() == 1);
    CHECK(queued[0].id == "Q2");  // the manual queue (pool NULL) is not a gap
    CHECK(store.queue_depth() == 1);
  }

  TEST_CASE("an ended leave makes the agent available once, with a log row") {
    auto db = Database::in_memory();
    db.sql().exec("INSERT INTO agent_state(agent, status, until) VALUES ('tom', 'leave', 100), "
                  "('ann', 'leave', 500), ('bob', 'away', NULL)");
    SweepStore store(db);
    const auto leaves = store.ended_leaves(at("1970-01-01T00:01:40Z"), 10);
    REQUIRE(leaves.size() == 1);
    CHECK(leaves[0].agent == "tom");
    CHECK(store.end_leave(leaves[0], at("1970-01-01T00:01:40Z")));
    CHECK_FALSE(store.end_leave(leaves[0], at("1970-01-01T00:01:40Z")));
    CHECK(db.sql()
              .execAndGet("SELECT status || count(*) FROM agent_state JOIN agent_log USING "
                          "(agent) WHERE agent = 'tom'")
              .getString() == "available1");
  }

  TEST_CASE(
      "a write transaction inside another nests: its commit is undone by the outer rollback") {
    auto db = Database::in_memory();
    {
      router::store::WriteTransaction outer(db);
      {
        router::store::WriteTransaction inner(db);
        db.sql().exec("INSERT INTO meta(key, value) VALUES ('a', '1')");
        inner.commit();
      }
      {
        router::store::WriteTransaction failed(db);
        db.sql().exec("INSERT INTO meta(key, value) VALUES ('b', '2')");
      }
      CHECK(db.sql().execAndGet("SELECT group_concat(key) FROM meta").getString() == "a");
    }
    CHECK(db.sql().execAndGet("SELECT count(*) FROM meta").getInt() == 0);
  }
}
