#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "engine/report.hpp"
#include "store/database.hpp"
#include "store/sql.hpp"
#include "util/time.hpp"

using router::engine::build_report;
using router::engine::detail_int;
using router::engine::detail_string;
using router::engine::GroupBy;
using router::engine::median;
using router::engine::ReportRow;
using router::engine::start_of_month;
using router::engine::Tally;
using router::store::KeyCount;
using router::store::ReportEventRow;

namespace {

router::util::Time at(const char* text) {
  return *router::util::parse_rfc3339(text);
}

router::engine::EventFigure event(std::string_view type, std::string_view detail = {}) {
  ReportEventRow row;
  row.type = type;
  row.detail = detail;
  return router::engine::classify(row);
}

const ReportRow* find(const std::vector<ReportRow>& rows, const std::optional<std::string>& key) {
  for (const auto& row : rows) {
    if (row.key == key) {
      return &row;
    }
  }
  return nullptr;
}

// Two agents in one pool with limits, one unused agent, Europe/London.
router::core::Config small_config() {
  router::core::Config c;
  c.timezone = "Europe/London";
  c.zone = router::util::zone_by_name("Europe/London");
  for (const char* id : {"tom", "sue", "idle"}) {
    router::core::Agent a;
    a.id = id;
    c.agents.push_back(a);
  }
  router::core::Pool sales;
  sales.name = "sales";
  sales.members.push_back({"tom", 10, 150, std::nullopt, {}});
  sales.members.push_back({"sue", 0, 0, std::nullopt, {}});
  router::core::Pool floor;
  floor.name = "floor";
  floor.strategy = router::core::Strategy::open_pool;
  floor.members.push_back({"sue", 0, 0, std::nullopt, {}});
  c.pools = {sales, floor};
  router::core::Rule rule;
  rule.name = "web";
  rule.pool = "sales";
  c.rules = {rule};
  c.reindex();
  return c;
}

void exec(router::store::Database& db, const std::string& sql) {
  db.sql().exec(sql);
}

}  // namespace

TEST_SUITE("engine.report") {
  TEST_CASE("the median of an odd count is the middle value, of an even count the mean") {
    std::vector<std::int64_t> none;
    CHECK_FALSE(median(none));
    std::vector<std::int64_t> one{42};
    CHECK(*median(one) == 42.0);
    std::vector<std::int64_t> odd{300, 10, 60, 5, 120};
    CHECK(*median(odd) == 60.0);
    std::vector<std::int64_t> even{90, 30, 10, 60};
    CHECK(*median(even) == 45.0);
    std::vector<std::int64_t> same{7, 7};
    CHECK(*median(same) == 7.0);
  }

  TEST_CASE("detail values are read from compact and spaced JSON") {
    CHECK(detail_int(R"({"reason":"claim","seconds_to_claim":125})", "seconds_to_claim") == 125);
    CHECK(detail_int(R"({ "seconds_to_claim" : 7 , "x": 1})", "seconds_to_claim") == 7);
    CHECK_FALSE(detail_int(R"({"reason":"claim"})", "seconds_to_claim"));
    CHECK_FALSE(detail_int(R"({"seconds_to_claim":"soon"})", "seconds_to_claim"));
    CHECK_FALSE(detail_int("", "seconds_to_claim"));
    CHECK(detail_string(R"({"reason":"default","deadline":"x"})", "reason") == "default");
    CHECK(detail_string(R"({"outcome" : "won"})", "outcome") == "won");
    CHECK(detail_string(R"({"outcome":"w\u006fn"})", "outcome") == "won");
    CHECK_FALSE(detail_string(R"({"outcome":3})", "outcome"));
    // A key name inside another value is not the key.
    CHECK(detail_string(R"({"note":"reason","reason":"rule"})", "reason") == "rule");
  }

  TEST_CASE("the default period starts at the first of the month in the configured zone") {
    const auto* london = router::util::zone_by_name("Europe/London");
    CHECK(start_of_month(london, at("2026-11-23T13:10:00Z")) == at("2026-11-01T00:00:00Z"));
    // Summer time: midnight local is 23:00 UTC the day before.
    CHECK(start_of_month(london, at("2026-07-15T12:00:00Z")) == at("2026-06-30T23:00:00Z"));
    // 00:30 local on 1 July is still June in UTC, but already July in London.
    CHECK(start_of_month(london, at("2026-06-30T23:30:00Z")) == at("2026-06-30T23:00:00Z"));
    CHECK(start_of_month(nullptr, at("2026-06-30T23:30:00Z")) == at("2026-06-01T00:00:00Z"));
  }

  TEST_CASE("group names parse and have plurals") {
    CHECK(router::engine::parse_group_by("source") == GroupBy::source);
    CHECK_FALSE(router::engine::parse_group_by("team"));
    CHECK(std::string(router::engine::plural(GroupBy::rule)) == "rules");
  }

  TEST_CASE("a tally counts each event type into its figure") {
    Tally t;
    const std::optional<std::string_view> tom{"tom"};
    t.add(tom, event("offered"));
    t.add(tom, event("offered"));
    t.add(tom, event("expired"));
    t.add(tom, event("declined"));
    t.add(tom, event("claimed", R"({"reason":"claim","seconds_to_claim":60})"));
    t.add(tom, event("claimed", R"({"reason":"claim","seconds_to_claim":180})"));
    t.add(tom, event("assigned", R"({"reason":"default"})"));
    t.add(tom, event("assigned", R"({"reason":"exhausted"})"));
    t.add(tom, event("assigned", R"({"reason":"manual"})"));
    t.add(tom, event("picked_up", R"({"reason":"pickup"})"));
    t.add(tom, event("closed", R"({"outcome":"won"})"));
    t.add(tom, event("closed", R"({"outcome":"won"})"));
    t.add(tom, event("closed", R"({"outcome":"lost"})"));
    t.add(tom, event("queued", R"({"reason":"exhausted"})"));
    const auto rows = t.rows({"tom"}, {{std::string{"tom"}, 4}});
    REQUIRE(rows.size() == 1);
    const auto& f = rows[0].figures;
    CHECK(f.offered == 2);
    CHECK(f.expired == 1);
    CHECK(f.declined == 1);
    CHECK(f.claimed == 2);
    CHECK(f.assigned == 5);  // 2 claims + 3 assigned events
    CHECK(f.defaulted == 2);
    CHECK(f.picked_up == 1);
    CHECK(f.won == 2);
    CHECK(f.lost == 1);
    CHECK(f.queued == 1);
    CHECK(f.open == 4);
    CHECK(*f.close_rate == doctest::Approx(2.0 / 3.0));
    CHECK(*f.median_claim_seconds == 120.0);
  }

  TEST_CASE("tally rows list configured names first, then others sorted, then no-name") {
    Tally t;
    t.add(std::string_view{"zed"}, event("offered"));
    t.add(std::string_view{"bob"}, event("offered"));
    t.add(std::string_view{"tom"}, event("offered"));
    // Types the report does not count make no group and no figure.
    t.add(std::string_view{"ghost"}, event("withdrawn", R"({"reason":"manual"})"));
    t.add(std::string_view{"tom"}, event("touched"));
    t.add(std::string_view{"tom"}, event("closed", R"({"reason":"manual"})"));
    const auto rows = t.rows({"tom", "sue"}, {{std::string{"ann"}, 2}, {std::nullopt, 0}});
    REQUIRE(rows.size() == 5);
    CHECK(rows[0].key == "tom");
    CHECK(rows[1].key == "sue");  // configured, nothing happened: still listed
    CHECK(rows[1].figures.offered == 0);
    CHECK_FALSE(rows[1].figures.close_rate);
    CHECK_FALSE(rows[1].figures.median_claim_seconds);
    CHECK(rows[2].key == "ann");  // only open leads
    CHECK(rows[2].figures.open == 2);
    CHECK(rows[3].key == "bob");
    CHECK(rows[4].key == "zed");
    CHECK(rows[0].figures.offered == 1);
    CHECK(rows[0].figures.won + rows[0].figures.lost == 0);
    CHECK(t.total().figures.offered == 3);

    Tally u;
    u.add(std::nullopt, event("queued"));
    const auto with_none = u.rows({"tom"}, {});
    REQUIRE(with_none.size() == 2);
    CHECK_FALSE(with_none[1].key);
    CHECK(with_none[1].figures.queued == 1);
    CHECK(u.total().figures.queued == 1);
  }

  TEST_CASE("a report combines period events with the current state and usage") {
    auto db = router::store::Database::in_memory();
    const auto config = small_config();
    // Nov 2026: London is on GMT, so day and month periods match UTC dates.
    exec(db, R"sql(
      INSERT INTO leads(id, source, received_at, state, agent, pool, rule) VALUES
        ('A', 'web', 1793520000, 'assigned', 'tom', 'sales', 'web'),
        ('B', 'web', 1793520000, 'offered', 'sue', 'sales', 'web'),
        ('C', 'phone', 1795430000, 'queued', NULL, NULL, NULL),
        ('D', 'phone', 1795436000, 'queued', NULL, NULL, NULL),
        ('E', 'phone', 1795436000, 'queued', NULL, 'floor', NULL);
      INSERT INTO events(lead_id, at, type, agent, pool, rule, detail) VALUES
        ('A', 1793520000, 'received', NULL, NULL, NULL, '{"source":"web"}'),
        ('A', 1793520000, 'offered', 'tom', 'sales', 'web', '{"reason":"rule"}'),
        ('A', 1793520090, 'claimed', 'tom', 'sales', 'web', '{"reason":"claim","seconds_to_claim":90}'),
        ('B', 1793520000, 'offered', 'sue', 'sales', 'web', '{"reason":"rule"}'),
        ('C', 1795430000, 'queued', NULL, NULL, NULL, '{"reason":"no_rule"}'),
        ('X', 1790000000, 'offered', 'tom', 'sales', 'web', '{"reason":"rule"}'),
        ('Y', 1795439400, 'offered', 'tom', 'sales', 'web', '{"reason":"rule"}');
      INSERT INTO usage(pool, agent, period, count) VALUES
        ('sales', 'tom', 'D2026-11-23', 3), ('sales', 'tom', 'M2026-11', 12),
        ('sales', 'tom', 'D2026-11-22', 5);
    )sql");
    router::engine::ReportRequest req;
    req.since = at("2026-11-01T00:00:00Z");
    req.until = at("2026-11-23T13:10:00Z");  // Y is at until: excluded; X before since
    req.now = req.until;
    const auto r = build_report(db, config, req);

    REQUIRE(r.agents.size() == 4);  // tom, sue, idle, then the no-agent row (queued event)
    CHECK(r.agents[0].key == "tom");
    CHECK(r.agents[0].figures.offered == 1);
    CHECK(r.agents[0].figures.claimed == 1);
    CHECK(r.agents[0].figures.assigned == 1);
    CHECK(r.agents[0].figures.open == 1);
    CHECK(*r.agents[0].figures.median_claim_seconds == 90.0);
    REQUIRE(r.agents[0].limits.size() == 1);
    CHECK(r.agents[0].limits[0].pool == "sales");
    CHECK(r.agents[0].limits[0].daily_limit == 10);
    CHECK(r.agents[0].limits[0].today == 3);
    CHECK(r.agents[0].limits[0].month == 12);
    CHECK(r.agents[1].key == "sue");
    CHECK(r.agents[1].figures.open == 1);
    CHECK(r.agents[1].limits.size() == 2);
    CHECK(r.agents[2].key == "idle");
    CHECK(r.agents[2].figures.offered == 0);
    CHECK_FALSE(r.agents[3].key);
    CHECK(r.agents[3].figures.queued == 1);

    const auto* sales = find(r.pools, std::string{"sales"});
    REQUIRE(sales);
    CHECK(sales->figures.offered == 2);
    CHECK(sales->figures.open == 2);
    CHECK(r.total.figures.offered == 2);
    CHECK(r.total.figures.open == 2);

    CHECK(r.queue.depth == 2);
    CHECK(r.queue.oldest_seconds == 1795439400 - 1795430000);
    REQUIRE(r.queue.pools.size() == 1);
    CHECK(r.queue.pools[0] == std::pair<std::string, std::int64_t>{"floor", 1});
  }

  TEST_CASE("a report by source reads the source written on each event") {
    auto db = router::store::Database::in_memory();
    // Lead A's source was changed after its events were written: the events keep the
    // source the lead had then. B's event has none (written by hand): its lead's is used.
    exec(db, R"sql(
      INSERT INTO leads(id, source, received_at, state, agent) VALUES
        ('A', 'phone', 100, 'assigned', 'tom'), ('B', 'partner', 100, 'offered', 'tom');
      INSERT INTO events(lead_id, at, type, agent, detail, source) VALUES
        ('A', 100, 'offered', 'tom', '{}', 'web'),
        ('A', 160, 'claimed', 'tom', '{"seconds_to_claim":60}', 'web'),
        ('B', 100, 'offered', 'tom', '{}', NULL);
    )sql");
    router::engine::ReportRequest req;
    req.since = at("1970-01-01T00:00:00Z");
    req.until = at("1970-01-02T00:00:00Z");
    req.now = req.until;
    req.by = GroupBy::source;
    const auto r = build_report(db, small_config(), req);
    REQUIRE(r.rows().size() == 3);
    CHECK(r.rows()[0].key == "partner");
    CHECK(r.rows()[0].figures.offered == 1);
    CHECK(r.rows()[1].key == "phone");  // open now: the current state, by the lead's source
    CHECK(r.rows()[1].figures.offered == 0);
    CHECK(r.rows()[1].figures.open == 1);
    CHECK(r.rows()[2].key == "web");
    CHECK(r.rows()[2].figures.offered == 1);
    CHECK(r.rows()[2].figures.claimed == 1);
    CHECK(*r.rows()[2].figures.median_claim_seconds == 60.0);
  }

  TEST_CASE("a report by source joins the events to their leads") {
    auto db = router::store::Database::in_memory();
    exec(db, R"sql(
      INSERT INTO leads(id, source, received_at, state, agent) VALUES
        ('A', 'web', 100, 'assigned', 'tom'), ('B', 'phone', 100, 'offered', 'tom');
      INSERT INTO events(lead_id, at, type, agent, detail) VALUES
        ('A', 100, 'offered', 'tom', '{}'), ('B', 100, 'offered', 'tom', '{}'),
        ('A', 160, 'claimed', 'tom', '{"seconds_to_claim":60}');
    )sql");
    router::engine::ReportRequest req;
    req.since = at("1970-01-01T00:00:00Z");
    req.until = at("1970-01-02T00:00:00Z");
    req.now = req.until;
    req.by = GroupBy::source;
    const auto r = build_report(db, small_config(), req);
    REQUIRE(r.rows().size() == 2);
    CHECK(r.rows()[0].key == "phone");
    CHECK(r.rows()[0].figures.offered == 1);
    CHECK(r.rows()[0].figures.open == 1);
    CHECK(r.rows()[1].key == "web");
    CHECK(r.rows()[1].figures.claimed == 1);
    CHECK(r.rows()[1].figures.open == 1);
  }
}
