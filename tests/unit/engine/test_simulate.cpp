#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "../core/fixtures.hpp"
#include "engine/simulate.hpp"
#include "engine/simulate_time.hpp"

using router::core::fixtures::agent;
using router::core::fixtures::at;
using router::core::fixtures::pool;
using router::store::RecordEvent;
namespace core = router::core;
namespace engine = router::engine;

namespace {

// Two agents in pool `sales` (10-minute window, no schedule: wall time) under rule `web`.
core::Config config() {
  core::Config c;
  c.agents = {agent("ann"), agent("bob")};
  c.pools = {pool("sales", core::Strategy::round_robin, {"ann", "bob"})};
  c.pools[0].claim_timeout = std::chrono::minutes{10};
  c.rules.push_back({});
  c.rules[0].name = "web";
  c.rules[0].pool = "sales";
  c.reindex();
  return c;
}

RecordEvent event(const char* lead, const char* time, const char* type,
                  std::optional<std::string> agent, std::optional<std::string> pool = "sales",
                  const char* reason = "rule") {
  return {lead, at(time), type, std::move(agent), std::move(pool), "web", reason, ""};
}

// One side's figures from a list of events, as a replay streams them.
engine::SimSide tally(const core::Config& config, std::int64_t leads,
                      const std::vector<RecordEvent>& events, router::util::Time until,
                      std::optional<core::Duration> sla, const engine::LimitHits* hits) {
  engine::SideTally counts(config, sla);
  for (const auto& e : events) {
    counts.add(e);
  }
  return counts.finish(leads, until, hits);
}

const engine::SimFigures& row(const std::vector<engine::SimRow>& rows, const std::string& name) {
  for (const auto& r : rows) {
    if (r.name == name) {
      return r.figures;
    }
  }
  FAIL("no row " << name);
  static engine::SimFigures none;
  return none;
}

}  // namespace

TEST_CASE("simulate: the figures of a side are counted from its events") {
  const auto c = config();
  const std::vector<RecordEvent> events{
      // L1: ann claims after 2 minutes.
      event("L1", "2026-11-02T09:00:00Z", "offered", "ann"),
      event("L1", "2026-11-02T09:02:00Z", "claimed", "ann"),
      // L2: bob lets it expire (10 minutes: an SLA miss), then ann claims after 12 minutes.
      event("L2", "2026-11-02T09:05:00Z", "offered", "bob"),
      event("L2", "2026-11-02T09:15:00Z", "expired", "bob"),
      event("L2", "2026-11-02T09:15:00Z", "offered", "ann"),
      event("L2", "2026-11-02T09:27:00Z", "claimed", "ann"),
      // L3: bob declines after a minute; the default gets it.
      event("L3", "2026-11-02T09:30:00Z", "offered", "bob"),
      event("L3", "2026-11-02T09:31:00Z", "declined", "bob"),
      event("L3", "2026-11-02T09:31:00Z", "assigned", "dan", "sales", "exhausted"),
      // L4: no rule; L5: still offered to bob at the end, for 20 minutes.
      event("L4", "2026-11-02T09:40:00Z", "queued", std::nullopt, std::nullopt, "no_rule"),
      event("L5", "2026-11-02T09:40:00Z", "offered", "bob"),
  };
  engine::LimitHits hits;
  hits.agents["bob"] = 2;
  hits.pools["sales"] = 2;
  hits.total = 2;
  const auto side = tally(c, 5, events, at("2026-11-02T10:00:00Z"), std::nullopt, &hits);

  const auto& ann = row(side.agents, "ann");
  CHECK(ann.leads == 2);
  CHECK(ann.offered == 2);
  CHECK(ann.claimed == 2);
  CHECK(ann.assigned == 2);
  REQUIRE(ann.median_claim_seconds);
  CHECK(*ann.median_claim_seconds == doctest::Approx(420.0));  // 2 and 12 minutes
  CHECK(ann.p90_claim_seconds == 720);
  CHECK(ann.sla_misses == 1);  // claimed after 12 minutes of a 10-minute window
  REQUIRE(ann.share);
  CHECK(*ann.share == doctest::Approx(2.0 / 3.0));  // of the three leads owned

  const auto& bob = row(side.agents, "bob");
  CHECK(bob.offered == 3);
  CHECK(bob.expired == 1);
  CHECK(bob.declined == 1);
  CHECK(bob.claimed == 0);
  CHECK(!bob.median_claim_seconds);
  CHECK(bob.sla_misses == 2);  // L2 expired after 10 minutes, L5 open for 20
  CHECK(bob.limit_hits == 2);

  // dan is not configured: listed after the configured agents.
  REQUIRE(side.agents.size() == 3);
  CHECK(side.agents[2].name == "dan");
  CHECK(side.agents[2].figures.defaulted == 1);

  const auto& sales = row(side.pools, "sales");
  CHECK(sales.leads == 4);
  CHECK(sales.offered == 5);
  CHECK(sales.defaulted == 1);
  CHECK(sales.limit_hits == 2);
  REQUIRE(sales.share);
  CHECK(*sales.share == doctest::Approx(0.8));  // 4 of the 5 leads
  CHECK(side.total.leads == 5);
  CHECK(side.total.queued == 1);
  CHECK(side.total.sla_misses == 3);

  SUBCASE("--sla replaces each pool's claim_timeout") {
    const auto strict =
        tally(c, 5, events, at("2026-11-02T10:00:00Z"), std::chrono::minutes{1}, &hits);
    CHECK(row(strict.agents, "ann").sla_misses == 2);
  }
  SUBCASE("the record knows no limit hits") {
    const auto recorded = tally(c, 5, events, at("2026-11-02T10:00:00Z"), std::nullopt, nullptr);
    CHECK(!recorded.limits_known);
    CHECK(row(recorded.agents, "bob").limit_hits == 0);
  }
}

TEST_CASE("simulate: a lead seen again after others counts once in each group") {
  const auto c = config();
  const std::vector<RecordEvent> events{
      event("L1", "2026-11-02T09:00:00Z", "offered", "ann"),
      event("L2", "2026-11-02T09:01:00Z", "offered", "ann"),
      event("L1", "2026-11-02T09:02:00Z", "expired", "ann"),
      event("L3", "2026-11-02T09:03:00Z", "offered", "bob"),
      event("L1", "2026-11-02T09:04:00Z", "offered", "bob"),
      event("L2", "2026-11-02T09:05:00Z", "claimed", "ann"),
  };
  const auto side = tally(c, 3, events, at("2026-11-02T10:00:00Z"), std::nullopt, nullptr);
  CHECK(row(side.agents, "ann").leads == 2);  // L1, L2, L1, L2
  CHECK(row(side.agents, "bob").leads == 2);  // L3, L1
  CHECK(row(side.pools, "sales").leads == 3);
  CHECK(row(side.rules, "web").leads == 3);
  REQUIRE(side.pools.size() == 1);
  REQUIRE(side.pools[0].figures.share);
  CHECK(*side.pools[0].figures.share == doctest::Approx(1.0));
}

TEST_CASE("simulate: the difference lists the largest change first") {
  const auto c = config();
  const std::vector<RecordEvent> before{
      event("L1", "2026-11-02T09:00:00Z", "offered", "ann"),
      event("L1", "2026-11-02T09:01:00Z", "claimed", "ann"),
      event("L2", "2026-11-02T09:00:00Z", "offered", "bob"),
      event("L2", "2026-11-02T09:01:00Z", "claimed", "bob"),
  };
  const std::vector<RecordEvent> after{
      event("L1", "2026-11-02T09:00:00Z", "offered", "ann"),
      event("L1", "2026-11-02T09:01:00Z", "claimed", "ann"),
      event("L2", "2026-11-02T09:00:00Z", "offered", "ann"),
      event("L2", "2026-11-02T09:04:00Z", "claimed", "ann"),
  };
  const auto until = at("2026-11-02T10:00:00Z");
  const auto a = tally(c, 2, before, until, std::nullopt, nullptr);
  const auto b = tally(c, 2, after, until, std::nullopt, nullptr);
  const auto d = engine::difference(a, b);
  REQUIRE(d.agents.size() == 2);
  CHECK(d.agents[0].name == "ann");  // +1 lead, offer, claim, assignment; bob has -1 each
  CHECK(d.agents[0].figures.claimed == 1);
  CHECK(d.agents[1].figures.claimed == -1);
  REQUIRE(d.agents[0].figures.share);
  CHECK(*d.agents[0].figures.share == doctest::Approx(0.5));
  REQUIRE(d.agents[0].figures.median_claim_seconds);
  CHECK(*d.agents[0].figures.median_claim_seconds == doctest::Approx(90.0));  // 60 -> 150
  CHECK(!d.agents[1].figures.median_claim_seconds);  // bob claims nothing after
  CHECK(d.total.claimed == 0);
  CHECK(!d.total.share);
}

TEST_CASE("simulate: business time follows the pool's schedule") {
  auto c = config();
  // Without a schedule: wall time.
  CHECK(engine::business_between(c, std::string("sales"), at("2026-11-02T16:55:00Z"),
                                 at("2026-11-03T09:05:00Z")) == std::chrono::seconds{58200});
  CHECK(engine::business_after(c, std::string("sales"), at("2026-11-02T16:55:00Z"),
                               std::chrono::minutes{10}) == at("2026-11-02T17:05:00Z"));
  // Monday to Friday 09:00-17:00 UTC (minutes of the day; Monday is day 0).
  core::Schedule office;
  office.name = "office";
  for (int day = 0; day < 5; ++day) {
    office.hours.days[static_cast<std::size_t>(day)] = {{9 * 60, 17 * 60}};
  }
  c.schedules.push_back(office);
  c.pools[0].schedule = "office";
  c.reindex();
  CHECK(engine::business_between(c, std::string("sales"), at("2026-11-02T16:55:00Z"),
                                 at("2026-11-03T09:05:00Z")) == std::chrono::minutes{10});
  CHECK(engine::business_after(c, std::string("sales"), at("2026-11-06T16:55:00Z"),
                               std::chrono::minutes{10}) == at("2026-11-09T09:05:00Z"));
  CHECK(engine::business_between(c, std::string("gone"), at("2026-11-02T16:55:00Z"),
                                 at("2026-11-02T17:05:00Z")) == std::chrono::minutes{10});
  CHECK(engine::sla_of(c, std::string("sales"), std::nullopt) == std::chrono::minutes{10});
  CHECK(engine::sla_of(c, std::string("gone"), std::nullopt) == std::nullopt);
  CHECK(engine::sla_of(c, std::nullopt, std::chrono::minutes{3}) == std::chrono::minutes{3});
}
