#include <doctest/doctest.h>

#include <map>

#include "core/route.hpp"
#include "fixtures.hpp"

using namespace router::core;
using namespace router::core::fixtures;

namespace {

const Time k_now = at("2026-11-23T13:10:00Z");  // a Monday
const std::vector<std::string> k_four = {"tom", "stephanie", "lewis", "denise"};

// Pool sales (15m, 3 offers, on_exhausted default, default jane) and rule hot, whose
// overrides (5m, 1 offer, queue, default rita) all differ; pool other has its own settings.
Config override_config() {
  std::vector<Agent> all = agents(k_four);
  all.push_back(agent("jane"));
  all.push_back(agent("rita"));
  all.push_back(agent("olga"));
  Pool sales = pool("sales", Strategy::round_robin, k_four);
  sales.claim_timeout = std::chrono::minutes{15};
  sales.max_offers = 3;
  sales.default_agent = "jane";
  Pool other = pool("other", Strategy::round_robin, {"olga"});
  other.claim_timeout = std::chrono::minutes{30};
  Rule hot = rule("hot", "sales");
  hot.claim_timeout = std::chrono::minutes{5};
  hot.max_offers = 1;
  hot.on_exhausted = OnExhausted::queue;
  hot.default_agent = "rita";
  return config(all, {sales, other}, {hot});
}

// Routes `request` for lead L1 with `attempts` offers made so far.
Decision again(const Config& cfg, const RouteRequest& request, int attempts = 0,
               const Snapshot& snapshot = {}) {
  LeadHistory history;
  history.attempts = attempts;
  router::util::Random random{1};
  return route(cfg, snapshot, lead("L1", "web"), history, request, k_now, random);
}

// Chooses for `id` in a run of its own (a fresh generator seeded 42), as separate
// `router assign ID --seed 42` runs do.
std::string own_run_choice(const Config& cfg, const std::string& id) {
  router::util::Random random{42};
  return route(cfg, Snapshot{}, lead(id, "web"), LeadHistory{}, RouteRequest::fresh(), k_now,
               random)
      .chosen.at(0);
}

}  // namespace

TEST_SUITE("core.route") {
  TEST_CASE("a lead routed again keeps its rule's overrides while the rule names the pool") {
    const Config cfg = override_config();
    const Decision stale = again(cfg, RouteRequest::reassign("sales", "hot", "tom", Reason::stale));
    CHECK(stale.rule == "hot");
    CHECK(stale.deadline == k_now + std::chrono::minutes{5});
    const Decision reoffer = again(cfg, RouteRequest::reoffer("sales", "hot", Reason::expired), 1);
    CHECK(reoffer.outcome == Outcome::queue);  // the rule's 1 offer, then its on_exhausted
    CHECK(reoffer.reason == Reason::exhausted);
    // Nobody eligible on a stale re-route: the rule's default, not the pool's.
    Snapshot away;
    for (const auto& id : k_four) {
      away.agents[id].status = AgentStatus::away;
    }
    const Decision fallback =
        again(cfg, RouteRequest::reassign("sales", "hot", "tom", Reason::stale), 0, away);
    CHECK(fallback.chosen == std::vector<std::string>{"rita"});
    CHECK(fallback.reason == Reason::default_agent);
  }

  TEST_CASE("a rule that does not name the pool routed through leaves it the pool's settings") {
    Config cfg = override_config();
    // reassign --pool other: other's own window, and the lead is no longer the rule's.
    const Decision moved =
        again(cfg, RouteRequest::reassign("other", "hot", "tom", Reason::manual));
    CHECK(moved.chosen == std::vector<std::string>{"olga"});
    CHECK(moved.deadline == k_now + std::chrono::minutes{30});
    CHECK_FALSE(moved.rule.has_value());
    // The rule now sends leads elsewhere: leads left in sales follow sales' settings, and a
    // re-offer still reports the rule it came from.
    cfg.rules[0].pool = "other";
    cfg.reindex();
    const Decision reoffer = again(cfg, RouteRequest::reoffer("sales", "hot", Reason::expired), 1);
    CHECK(reoffer.outcome == Outcome::offer);
    CHECK(reoffer.deadline == k_now + std::chrono::minutes{15});
    CHECK(reoffer.rule == "hot");
    // A rule deleted from the configuration: the pool's settings too.
    cfg.rules.clear();
    cfg.reindex();
    CHECK(again(cfg, RouteRequest::reoffer("sales", "hot", Reason::expired), 1).deadline ==
          k_now + std::chrono::minutes{15});
  }

  TEST_CASE("under a seed the same lead and attempt choose the same member in any run") {
    Config cfg =
        config(agents(k_four), {pool("sales", Strategy::random, k_four)}, {rule("all", "sales")});
    for (const char* id : {"L1", "L2", "CRM-00017"}) {
      CAPTURE(id);
      const std::string first = own_run_choice(cfg, id);
      CHECK(own_run_choice(cfg, id) == first);
      // The same lead after other leads in one run: still the same choice.
      router::util::Random shared{42};
      for (const char* before : {"X1", "X2", "X3"}) {
        (void)route(cfg, Snapshot{}, lead(before, "web"), LeadHistory{}, RouteRequest::fresh(),
                    k_now, shared);
      }
      CHECK(route(cfg, Snapshot{}, lead(id, "web"), LeadHistory{}, RouteRequest::fresh(), k_now,
                  shared)
                .chosen.at(0) == first);
    }
  }

  TEST_CASE("under one seed distinct leads in separate runs spread over the members") {
    Config cfg =
        config(agents(k_four), {pool("sales", Strategy::random, k_four)}, {rule("all", "sales")});
    std::map<std::string, int> counts;
    for (int i = 0; i < 1000; ++i) {
      ++counts[own_run_choice(cfg, "L" + std::to_string(i))];
    }
    // Expected 250 each; about four standard deviations either side.
    for (const auto& id : k_four) {
      CAPTURE(id);
      CHECK(counts[id] > 195);
      CHECK(counts[id] < 305);
    }
    // weighted_random follows the weights the same way (1:2:3:4).
    cfg = config({agent("tom", {}, 1), agent("stephanie", {}, 2), agent("lewis", {}, 3),
                  agent("denise", {}, 4)},
                 {pool("sales", Strategy::weighted_random, k_four)}, {rule("all", "sales")});
    counts.clear();
    for (int i = 0; i < 1000; ++i) {
      ++counts[own_run_choice(cfg, "L" + std::to_string(i))];
    }
    CHECK(counts["tom"] > 60);
    CHECK(counts["tom"] < 140);
    CHECK(counts["denise"] > 340);
    CHECK(counts["denise"] < 460);
    CHECK(counts["stephanie"] < counts["lewis"]);
  }
}
