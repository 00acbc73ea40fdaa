#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "../core/fixtures.hpp"
#include "engine/agents.hpp"
#include "store/database.hpp"
#include "store/sql.hpp"
#include "util/error.hpp"

using router::core::Config;
using router::core::fixtures::at;
using router::engine::parse_metric;
using router::store::Database;
namespace engine = router::engine;
namespace fx = router::core::fixtures;

namespace {

// Two agents: tom in sales (limits 10/day, 150/month) and web; jane in web only.
Config two_agents() {
  Config c;
  c.agents = {fx::agent("tom"), fx::agent("jane")};
  c.agents[0].name = "Tom Baker";
  c.pools = {fx::pool("sales", router::core::Strategy::round_robin, {}),
             fx::pool("web", router::core::Strategy::round_robin, {"jane", "tom"})};
  c.pools[0].members.push_back(fx::member("tom", 10, 150));
  c.reindex();
  return c;
}

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

}  // namespace

TEST_SUITE("engine.agents") {
  TEST_CASE("a metric pair is a lower-case key and a number") {
    struct Case {
      const char* pair;
      const char* key;
      double value;
    };
    for (const Case c : {Case{"pending=3", "pending", 3}, Case{"score=4.5", "score", 4.5},
                         Case{"close_rate_7d=-0.25", "close_rate_7d", -0.25},
                         Case{"x=1e3", "x", 1000}, Case{"calls=0", "calls", 0}}) {
      CAPTURE(c.pair);
      const auto m = parse_metric(c.pair);
      CHECK(m.key == c.key);
      CHECK(m.value == doctest::Approx(c.value));
    }
  }

  TEST_CASE("a bad metric pair is a usage error naming it") {
    struct Case {
      const char* pair;
      const char* message;
    };
    for (const Case c :
         {Case{"pending", "bad metric 'pending': expected KEY=VALUE"},
          Case{"pending=", "bad metric 'pending=': VALUE must be a number"},
          Case{"pending=three", "bad metric 'pending=three': VALUE must be a number"},
          Case{"pending=3x", "bad metric 'pending=3x': VALUE must be a number"},
          Case{"pending=inf", "bad metric 'pending=inf': VALUE must be a number"},
          Case{"pending=nan", "bad metric 'pending=nan': VALUE must be a number"},
          Case{"=3", "bad metric '=3': KEY must be lower-case letters, digits and _"},
          Case{"Pending=3", "bad metric 'Pending=3': KEY must be lower-case letters, digits and _"},
          Case{"pend-ing=3",
               "bad metric 'pend-ing=3': KEY must be lower-case letters, digits and _"}}) {
      CAPTURE(c.pair);
      try {
        parse_metric(c.pair);
        FAIL("accepted");
      } catch (const router::util::UsageError& e) {
        CHECK(std::string(e.what()) == c.message);
      }
    }
  }

  TEST_CASE("setting a status upserts agent_state and logs it with until") {
    auto db = Database::in_memory();
    const Config config = two_agents();
    const auto now = at("2026-11-23T10:00:00Z");
    const auto c = engine::set_status(db, config, now, "tom", "leave", at("2026-11-30T09:00:00Z"));
    CHECK(c.previous == "available");
    CHECK(c.status == "leave");
    CHECK(query(db, "SELECT agent, status, until, online FROM agent_state") ==
          "tom|leave|1796029200|0\n");
    CHECK(query(db, "SELECT agent, at, kind, value, detail FROM agent_log") ==
          "tom|1795428000|status|leave|{\"previous\":\"available\",\"until\":\"2026-11-30T09:00:"
          "00Z\"}\n");

    // A later change keeps presence and clears until; the previous status is the leave.
    engine::set_presence(db, config, now, "tom", true);
    const auto back =
        engine::set_status(db, config, now + std::chrono::hours(1), "tom", "away", std::nullopt);
    CHECK(back.previous == "leave");
    CHECK(query(db, "SELECT status, until, online FROM agent_state") == "away|NULL|1\n");
  }

  TEST_CASE("a leave whose until has passed reads as available") {
    auto db = Database::in_memory();
    const Config config = two_agents();
    engine::set_status(db, config, at("2026-11-23T10:00:00Z"), "tom", "leave",
                       at("2026-11-24T09:00:00Z"));
    const auto during = engine::list_agents(db, config, at("2026-11-24T08:59:59Z"));
    CHECK(during[0].status == "leave");
    CHECK(during[0].until == at("2026-11-24T09:00:00Z"));
    const auto after = engine::list_agents(db, config, at("2026-11-24T09:00:00Z"));
    CHECK(after[0].status == "available");
    CHECK_FALSE(after[0].until);
    const auto c =
        engine::set_status(db, config, at("2026-11-25T09:00:00Z"), "tom", "away", std::nullopt);
    CHECK(c.previous == "available");
  }

  TEST_CASE("status changes are refused before anything is written") {
    auto db = Database::in_memory();
    const Config config = two_agents();
    const auto now = at("2026-11-23T10:00:00Z");
    CHECK_THROWS_AS(engine::set_status(db, config, now, "tom", "away", at("2026-11-30T09:00:00Z")),
                    router::util::UsageError);
    CHECK_THROWS_AS(engine::set_status(db, config, now, "tom", "leave", now),
                    router::util::UsageError);
    CHECK_THROWS_AS(engine::set_status(db, config, now, "tom", "holiday", std::nullopt),
                    router::util::UsageError);
    CHECK_THROWS_WITH_AS(engine::set_status(db, config, now, "tomm", "away", std::nullopt),
                         "no agent 'tomm' (did you mean 'tom'?)", router::util::Refused);
    CHECK(query(db, "SELECT count(*) FROM agent_state") +
              query(db, "SELECT count(*) FROM agent_log") ==
          "0\n0\n");
  }

  TEST_CASE("login and logout change presence once and log each change") {
    auto db = Database::in_memory();
    const Config config = two_agents();
    const auto now = at("2026-11-23T10:00:00Z");
    CHECK(engine::set_presence(db, config, now, "jane", true).changed);
    CHECK_FALSE(engine::set_presence(db, config, now, "jane", true).changed);
    CHECK(engine::set_presence(db, config, now, "jane", false).changed);
    CHECK_FALSE(engine::set_presence(db, config, now, "tom", false).changed);
    CHECK(query(db, "SELECT agent, kind FROM agent_log ORDER BY seq") ==
          "jane|login\njane|logout\n");
    CHECK(query(db, "SELECT agent, status, online FROM agent_state") == "jane|available|0\n");
    const auto history = engine::agent_history(db, config, "jane");
    REQUIRE(history.size() == 2);
    CHECK(history[0].kind == "login");
    CHECK(history[1].kind == "logout");
  }

  TEST_CASE("metrics are all checked before any is stored") {
    auto db = Database::in_memory();
    const Config config = two_agents();
    const auto now = at("2026-11-23T10:00:00Z");
    CHECK_THROWS_AS(engine::set_metrics(db, config, now, "tom", {"pending=3", "score=x"}),
                    router::util::UsageError);
    CHECK(query(db, "SELECT count(*) FROM agent_metrics") == "0\n");
    CHECK_THROWS_AS(engine::set_metrics(db, config, now, "tom", {}), router::util::UsageError);
    engine::set_metrics(db, config, now, "tom", {"pending=3", "score=4.5"});
    engine::set_metrics(db, config, now, "tom", {"pending=1"});
    CHECK(query(db, "SELECT agent, key, value FROM agent_metrics ORDER BY key") ==
          "tom|pending|1.0\ntom|score|4.5\n");
  }

  TEST_CASE("the listing counts open leads and usage against each pool's limits") {
    auto db = Database::in_memory();
    const Config config = two_agents();
    db.sql().exec("INSERT INTO leads(id, source, received_at, state, agent) VALUES "
                  "('a', 'web', 0, 'assigned', 'tom'), ('b', 'web', 0, 'offered', 'tom'), "
                  "('c', 'web', 0, 'closed', 'tom'), ('d', 'web', 0, 'offered', NULL);"
                  // b holds its own offer to tom; d is a broadcast to tom and jane.
                  "INSERT INTO broadcast_offers(lead_id, agent, pool, offered_at, state) VALUES "
                  "('d', 'tom', 'web', 0, 'open'), ('d', 'jane', 'web', 0, 'open'), "
                  "('e', 'tom', 'web', 0, 'claimed');"
                  "INSERT INTO usage(pool, agent, period, count) VALUES "
                  "('sales', 'tom', 'D2026-11-23', 2), ('sales', 'tom', 'M2026-11', 40), "
                  "('sales', 'tom', 'D2026-11-22', 5), ('web', 'jane', 'M2026-11', 1);");
    const auto list = engine::list_agents(db, config, at("2026-11-23T10:00:00Z"));
    REQUIRE(list.size() == 2);
    CHECK(list[0].agent == "tom");
    CHECK(list[0].name == "Tom Baker");
    CHECK(list[0].offered == 2);
    CHECK(list[0].assigned == 1);
    REQUIRE(list[0].pools.size() == 2);
    CHECK(list[0].pools[0].pool == "sales");
    CHECK(list[0].pools[0].today == 2);
    CHECK(list[0].pools[0].month == 40);
    CHECK(list[0].pools[0].daily_limit == 10);
    CHECK(list[0].pools[0].monthly_limit == 150);
    CHECK(list[0].pools[1].pool == "web");
    CHECK(list[0].pools[1].today == 0);
    CHECK(list[1].agent == "jane");
    CHECK(list[1].offered == 1);
    CHECK(list[1].assigned == 0);
    REQUIRE(list[1].pools.size() == 1);
    CHECK(list[1].pools[0].month == 1);
    CHECK(list[1].status == "available");
    CHECK_FALSE(list[1].online);
  }
}
