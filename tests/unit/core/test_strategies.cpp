#include <doctest/doctest.h>

#include <map>

#include "core/strategies.hpp"
#include "fixtures.hpp"

using namespace router::core;
using namespace router::core::fixtures;

namespace {

const Time k_now = at("2026-11-23T13:00:00Z");
const std::vector<std::string> k_four = {"tom", "stephanie", "lewis", "denise"};

// A pool of the four seed agents with one strategy, and a snapshot to fill in.
struct Setup {
  Config cfg;
  Snapshot snapshot;

  explicit Setup(Strategy s, std::vector<Agent> a = agents(k_four))
      : cfg(config(std::move(a), {pool("sales", s, k_four)})) {}

  void cursor_after(const std::string& last, std::vector<std::string> order = k_four) {
    snapshot.pools["sales"].cursor = RotationCursor{last, std::move(order)};
  }
  Choice run(const std::vector<std::string>& eligible = k_four, std::uint64_t seed = 1) {
    router::util::Random random(seed);
    return choose(StrategyInput{cfg, cfg.pools[0], snapshot, eligible, k_now}, random);
  }
  Choice run_with(router::util::Random& random, const std::vector<std::string>& eligible) {
    return choose(StrategyInput{cfg, cfg.pools[0], snapshot, eligible, k_now}, random);
  }
};

}  // namespace

TEST_SUITE("core.strategies") {
  TEST_CASE("the rotation starts after the cursor's agent, wherever they went") {
    struct Case {
      const char* name;
      std::vector<std::string> members;
      std::optional<RotationCursor> cursor;
      std::size_t start;
    };
    const std::vector<Case> cases = {
        {"no cursor: first member", k_four, std::nullopt, 0},
        {"after tom", k_four, RotationCursor{"tom", k_four}, 1},
        {"after denise wraps", k_four, RotationCursor{"denise", k_four}, 0},
        {"member added after the last agent comes next",
         {"tom", "stephanie", "xavier", "lewis", "denise"},
         RotationCursor{"stephanie", k_four},
         2},
        {"member added at the end after the last agent",
         {"tom", "stephanie", "lewis", "denise", "xavier"},
         RotationCursor{"denise", k_four},
         4},
        {"last agent removed: the one after them in the old order",
         {"tom", "lewis", "denise"},
         RotationCursor{"stephanie", k_four},
         1},
        {"last agent and their successor removed",
         {"tom", "denise"},
         RotationCursor{"stephanie", k_four},
         1},
        {"last member removed wraps to the first",
         {"tom", "stephanie", "lewis"},
         RotationCursor{"denise", k_four},
         0},
        {"nobody of the old order left: same index",
         {"a", "b", "c"},
         RotationCursor{"stephanie", k_four},
         1},
        {"cursor agent unknown to its own order", k_four, RotationCursor{"zed", {"x"}}, 0},
    };
    for (const auto& c : cases) {
      CAPTURE(c.name);
      CHECK(rotation_start(c.members, c.cursor) == c.start);
    }
  }

  TEST_CASE("candidates are put in rotation order") {
    CHECK(in_rotation_order(k_four, 2, {"tom", "stephanie", "denise"}) ==
          std::vector<std::string>{"denise", "tom", "stephanie"});
    CHECK(in_rotation_order(k_four, 0, {"denise", "tom"}) ==
          std::vector<std::string>{"tom", "denise"});
  }

  TEST_CASE("round robin takes the next eligible member and moves the cursor") {
    Setup s(Strategy::round_robin);
    Choice c = s.run();
    CHECK(c.chosen == std::vector<std::string>{"tom"});
    CHECK(c.note == "round_robin: first in order");
    REQUIRE(c.cursor);
    CHECK(*c.cursor == RotationCursor{"tom", k_four});
    s.cursor_after("stephanie");
    c = s.run();
    CHECK(c.chosen == std::vector<std::string>{"lewis"});
    CHECK(c.note == "round_robin: next after stephanie");
    // Lewis ineligible: Denise, and the cursor moves to her (Lewis gets no catch-up).
    c = s.run({"tom", "stephanie", "denise"});
    CHECK(c.chosen == std::vector<std::string>{"denise"});
    CHECK(c.cursor->last_agent == "denise");
    s.cursor_after("denise");
    CHECK(s.run({"stephanie", "lewis"}).chosen == std::vector<std::string>{"stephanie"});
  }

  TEST_CASE("metric strategies pick the best figure") {
    struct Case {
      Strategy strategy;
      std::function<void(Snapshot&)> arrange;
      const char* chosen;
      const char* note;
    };
    const std::vector<Case> cases = {
        {Strategy::least_active,
         [](Snapshot& s) {
           s.agents["tom"].active = 3;
           s.agents["stephanie"].active = 2;
           s.agents["lewis"].active = 1;
           s.agents["denise"].active = 4;
         },
         "lewis", "least_active: lewis has 1 active leads (fewest)"},
        {Strategy::least_pending,
         [](Snapshot& s) {
           s.agents["tom"].metrics["pending"] = 5;
           s.agents["stephanie"].metrics["pending"] = 2;
           s.agents["lewis"].metrics["pending"] = 7;
           s.agents["denise"].metrics["pending"] = 3;
         },
         "stephanie", "least_pending: stephanie has pending 2 (lowest)"},
        {Strategy::least_pending,
         [](Snapshot& s) {
           s.agents["tom"].metrics["pending"] = 5;
           s.agents["stephanie"].metrics["pending"] = 2;
           s.agents["lewis"].metrics["pending"] = 7;
         },
         "denise", "least_pending: denise has pending 0 (lowest)"},
        {Strategy::top_score,
         [](Snapshot& s) {
           s.agents["tom"].metrics["score"] = 80;
           s.agents["stephanie"].metrics["score"] = 95.5;
           s.agents["lewis"].metrics["score"] = -1;
         },
         "stephanie", "top_score: stephanie has score 95.5 (highest)"},
        {Strategy::best_close_rate,
         [](Snapshot& s) {
           s.pools["sales"].close["tom"] = {1, 3};
           s.pools["sales"].close["stephanie"] = {3, 1};
           s.pools["sales"].close["lewis"] = {2, 2};
         },
         "stephanie", "best_close_rate: stephanie closes 75% (3 won of 4)"},
        {Strategy::least_recent,
         [](Snapshot& s) {
           s.agents["tom"].last_assigned_at = at("2026-11-23T12:00:00Z");
           s.agents["stephanie"].last_assigned_at = at("2026-11-23T09:00:00Z");
           s.agents["lewis"].last_assigned_at = at("2026-11-23T10:00:00Z");
           s.agents["denise"].last_assigned_at = at("2026-11-23T11:00:00Z");
         },
         "stephanie",
         "least_recent: stephanie last had a lead at 2026-11-23T09:00:00Z (longest ago)"},
        {Strategy::least_recent,
         [](Snapshot& s) {
           s.agents["tom"].last_assigned_at = at("2026-11-23T12:00:00Z");
           s.agents["stephanie"].last_assigned_at = at("2026-11-23T09:00:00Z");
           s.agents["denise"].last_assigned_at = at("2026-11-23T11:00:00Z");
         },
         "lewis", "least_recent: lewis never had a lead"},
    };
    for (const auto& c : cases) {
      const std::string name = to_string(c.strategy);
      CAPTURE(name);
      CAPTURE(c.chosen);
      Setup s(c.strategy);
      c.arrange(s.snapshot);
      const Choice choice = s.run();
      CHECK(choice.chosen == std::vector<std::string>{c.chosen});
      CHECK(choice.note == c.note);
      REQUIRE(choice.cursor);
      CHECK(choice.cursor->last_agent == c.chosen);
    }
  }

  TEST_CASE("metric ties fall back to rotation order after the cursor") {
    for (const Strategy strategy :
         {Strategy::least_active, Strategy::least_pending, Strategy::top_score,
          Strategy::best_close_rate, Strategy::least_recent}) {
      const std::string name = to_string(strategy);
      CAPTURE(name);
      Setup s(strategy);
      // Everyone ties at the defaults: the rotation decides.
      CHECK(s.run().chosen == std::vector<std::string>{"tom"});
      s.cursor_after("stephanie");
      const Choice c = s.run();
      CHECK(c.chosen == std::vector<std::string>{"lewis"});
      CHECK(c.note.find("tie of 4 broken by rotation (next after stephanie)") != std::string::npos);
      // Among the tied only: lewis is not tied at the best figure.
      s.snapshot.agents["lewis"].active = 9;
      s.snapshot.agents["lewis"].metrics["pending"] = 9;
      s.snapshot.agents["lewis"].metrics["score"] = -9;
      s.snapshot.agents["lewis"].last_assigned_at = k_now;
      for (const auto& id : {"tom", "stephanie", "denise"}) {
        s.snapshot.pools["sales"].close[id] = {1, 1};
      }
      s.snapshot.pools["sales"].close["lewis"] = {0, 5};
      CHECK(s.run().chosen == std::vector<std::string>{"denise"});
    }
  }

  TEST_CASE("best close rate counts agents without outcomes as rate zero") {
    Setup s(Strategy::best_close_rate);
    s.snapshot.pools["sales"].close["tom"] = {0, 4};
    s.cursor_after("tom");
    // Tom 0% and the others without data (0) tie: rotation after tom gives stephanie.
    const Choice c = s.run();
    CHECK(c.chosen == std::vector<std::string>{"stephanie"});
    CHECK(c.note == "best_close_rate: stephanie has no outcomes in the window (rate 0); tie of 4 "
                    "broken by rotation (next after tom)");
    s.snapshot.pools["sales"].close["denise"] = {1, 9};
    CHECK(s.run().chosen == std::vector<std::string>{"denise"});
  }

  TEST_CASE("random is uniform among the eligible and reproducible under a seed") {
    Setup s(Strategy::random);
    std::vector<std::string> first;
    std::vector<std::string> again;
    router::util::Random r1(42);
    router::util::Random r2(42);
    std::map<std::string, int> counts;
    for (int i = 0; i < 10000; ++i) {
      const auto a = s.run_with(r1, k_four).chosen.at(0);
      const auto b = s.run_with(r2, k_four).chosen.at(0);
      CHECK(a == b);
      ++counts[a];
    }
    for (const auto& id : k_four) {
      CAPTURE(id);
      CHECK(counts[id] > 2300);
      CHECK(counts[id] < 2700);
    }
    const Choice c = s.run({"lewis"});
    CHECK(c.chosen == std::vector<std::string>{"lewis"});
    CHECK(c.cursor->last_agent == "lewis");
    CHECK(c.note == "random: lewis (1 of 1 eligible)");
  }

  TEST_CASE("weighted random follows the weights") {
    Setup s(Strategy::weighted_random, {agent("tom", {}, 1), agent("stephanie", {}, 2),
                                        agent("lewis", {}, 3), agent("denise", {}, 4)});
    router::util::Random random(7);
    std::map<std::string, int> counts;
    for (int i = 0; i < 10000; ++i) {
      ++counts[s.run_with(random, k_four).chosen.at(0)];
    }
    // Expected 1000, 2000, 3000, 4000; allow about four standard deviations.
    CHECK(counts["tom"] > 880);
    CHECK(counts["tom"] < 1120);
    CHECK(counts["stephanie"] > 1840);
    CHECK(counts["stephanie"] < 2160);
    CHECK(counts["lewis"] > 2820);
    CHECK(counts["lewis"] < 3180);
    CHECK(counts["denise"] > 3800);
    CHECK(counts["denise"] < 4200);
    // Only the eligible count: without denise, her weight is not in the total.
    std::map<std::string, int> without;
    for (int i = 0; i < 6000; ++i) {
      ++without[s.run_with(random, {"tom", "stephanie", "lewis"}).chosen.at(0)];
    }
    CHECK(without.count("denise") == 0);
    CHECK(without["tom"] > 850);
    CHECK(without["tom"] < 1150);
    const Choice c = s.run({"stephanie", "lewis"}, 3);
    CHECK(c.note.find("of 5)") != std::string::npos);
    // Same seed, same picks.
    router::util::Random a(99);
    router::util::Random b(99);
    for (int i = 0; i < 100; ++i) {
      CHECK(s.run_with(a, k_four).chosen == s.run_with(b, k_four).chosen);
    }
  }

  TEST_CASE("broadcast offers every eligible member and leaves the rotation alone") {
    Setup s(Strategy::broadcast);
    const Choice c = s.run({"stephanie", "denise"});
    CHECK(c.chosen == std::vector<std::string>{"stephanie", "denise"});
    CHECK_FALSE(c.cursor.has_value());
    CHECK(c.note == "broadcast: offered to 2 eligible members at once");
  }

  TEST_CASE("open pool chooses nobody") {
    Setup s(Strategy::open_pool);
    const Choice c = s.run();
    CHECK(c.chosen.empty());
    CHECK_FALSE(c.cursor.has_value());
  }

  TEST_CASE("no eligible member gives an empty choice") {
    for (const Strategy strategy : {Strategy::round_robin, Strategy::random,
                                    Strategy::weighted_random, Strategy::least_active}) {
      Setup s(strategy);
      const Choice c = s.run({});
      CHECK(c.chosen.empty());
      CHECK_FALSE(c.cursor.has_value());
    }
  }
}
