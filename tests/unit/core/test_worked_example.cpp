#include <doctest/doctest.h>

#include <functional>

#include "core/route.hpp"
#include "fixtures.hpp"

using namespace router::core;
using namespace router::core::fixtures;

namespace {

// The eight leads of the seed's worked example, between 13:10 and 13:47.
const std::vector<const char*> k_times = {
    "2026-11-23T13:10:00Z", "2026-11-23T13:13:00Z", "2026-11-23T13:20:00Z", "2026-11-23T13:29:00Z",
    "2026-11-23T13:35:00Z", "2026-11-23T13:40:00Z", "2026-11-23T13:43:00Z", "2026-11-23T13:47:00Z"};

// A user group set sequentially, as in the seed: Tom, Stephanie, Lewis and Denise.
struct Group {
  Config cfg =
      config(agents({"tom", "stephanie", "lewis", "denise", "xavier"}),
             {pool("group", Strategy::round_robin, {"tom", "stephanie", "lewis", "denise"})},
             {rule("all", "group")});
  Snapshot snapshot;
  router::util::Random random{1};

  Pool& group() { return cfg.pools[0]; }

  // Routes one lead at `when` like the engine: decide, then write the decision back.
  std::string route_one(const std::string& id, Time when) {
    cfg.reindex();
    const Lead l = lead(id, "web", {}, when);
    const Decision d = route(cfg, snapshot, l, LeadHistory{}, RouteRequest::fresh(), when, random);
    REQUIRE(d.outcome == Outcome::assign);
    REQUIRE(d.chosen.size() == 1);
    apply(snapshot, d, when);
    return d.chosen.front();
  }

  // Routes the eight leads, calling `change` just before lead number `at_lead` (0-based).
  std::vector<std::string> run(std::size_t at_lead = 99,
                               const std::function<void(Group&)>& change = {}) {
    std::vector<std::string> order;
    for (std::size_t i = 0; i < k_times.size(); ++i) {
      if (i == at_lead && change) {
        change(*this);
      }
      order.push_back(route_one("L" + std::to_string(i + 1), at(k_times[i])));
    }
    return order;
  }
  // Who would get the next lead.
  std::string next() { return route_one("L9", at("2026-11-23T13:55:00Z")); }
};

void remove_member(Group& g, const std::string& id) {
  auto& m = g.group().members;
  std::erase_if(m, [&](const Member& x) { return x.agent == id; });
}

void insert_member(Group& g, std::size_t position, const std::string& id) {
  auto& m = g.group().members;
  m.insert(m.begin() + static_cast<std::ptrdiff_t>(position), member(id));
}

using Names = std::vector<std::string>;

}  // namespace

TEST_SUITE("core.worked_example") {
  TEST_CASE("eight leads go round the four members twice and Tom is next") {
    Group g;
    CHECK(g.run() ==
          Names{"tom", "stephanie", "lewis", "denise", "tom", "stephanie", "lewis", "denise"});
    const auto& usage = g.snapshot.pools["group"].usage;
    for (const auto& id : {"tom", "stephanie", "lewis", "denise"}) {
      CAPTURE(id);
      CHECK(usage.at(id).today == 2);
    }
    CHECK(g.snapshot.pools["group"].cursor->last_agent == "denise");
    CHECK(g.next() == "tom");
  }

  TEST_CASE("a member added midway joins at their place in the order") {
    Group g;
    // Xavier joins after Stephanie once she has had the second lead.
    CHECK(g.run(2, [](Group& x) { insert_member(x, 2, "xavier"); }) ==
          Names{"tom", "stephanie", "xavier", "lewis", "denise", "tom", "stephanie", "xavier"});
    CHECK(g.next() == "lewis");
  }

  TEST_CASE("a member added at the end waits for the rotation to reach them") {
    Group g;
    CHECK(g.run(2, [](Group& x) { insert_member(x, 4, "xavier"); }) ==
          Names{"tom", "stephanie", "lewis", "denise", "xavier", "tom", "stephanie", "lewis"});
    CHECK(g.next() == "denise");
  }

  TEST_CASE("round robin keeps its place when the member who had the last lead is removed") {
    Group g;
    // Stephanie had lead 2 and leaves: lead 3 still goes to Lewis, no reset to Tom.
    CHECK(g.run(2, [](Group& x) { remove_member(x, "stephanie"); }) ==
          Names{"tom", "stephanie", "lewis", "denise", "tom", "lewis", "denise", "tom"});
    CHECK(g.next() == "lewis");
  }

  TEST_CASE("round robin keeps its place when the next member is removed") {
    Group g;
    CHECK(g.run(2, [](Group& x) { remove_member(x, "lewis"); }) ==
          Names{"tom", "stephanie", "denise", "tom", "stephanie", "denise", "tom", "stephanie"});
    CHECK(g.next() == "denise");
  }

  TEST_CASE("removing the last member of the order wraps to the first") {
    Group g;
    CHECK(g.run(4, [](Group& x) { remove_member(x, "denise"); }) ==
          Names{"tom", "stephanie", "lewis", "denise", "tom", "stephanie", "lewis", "tom"});
  }

  TEST_CASE("removing and adding at once never resets the rotation") {
    Group g;
    // After Lewis's lead 3 he leaves and Xavier takes his slot: Denise is still next.
    CHECK(g.run(3, [](Group& x) {
      remove_member(x, "lewis");
      insert_member(x, 2, "xavier");
    }) == Names{"tom", "stephanie", "lewis", "denise", "tom", "stephanie", "xavier", "denise"});
  }

  TEST_CASE("a member at their daily limit is skipped without catch-up") {
    Group g;
    member_of(g.group(), "lewis").daily_limit = 1;
    CHECK(g.run() ==
          Names{"tom", "stephanie", "lewis", "denise", "tom", "stephanie", "denise", "tom"});
    CHECK(g.snapshot.pools["group"].usage.at("lewis").today == 1);
    CHECK(g.next() == "stephanie");
  }

  TEST_CASE("a member at their monthly limit is skipped likewise") {
    Group g;
    member_of(g.group(), "stephanie").monthly_limit = 10;
    g.snapshot.pools["group"].usage["stephanie"] = {0, 9};
    CHECK(g.run() == Names{"tom", "stephanie", "lewis", "denise", "tom", "lewis", "denise", "tom"});
  }

  TEST_CASE("everyone at their limit sends the lead to the default or the queue") {
    Group g;
    for (auto& m : g.group().members) {
      m.daily_limit = 1;
    }
    g.group().default_agent = "xavier";
    CHECK(g.run() ==
          Names{"tom", "stephanie", "lewis", "denise", "xavier", "xavier", "xavier", "xavier"});
    g.group().default_agent.reset();
    g.cfg.reindex();
    const Lead l = lead("L10", "web", {}, at("2026-11-23T14:00:00Z"));
    const Decision d =
        route(g.cfg, g.snapshot, l, LeadHistory{}, RouteRequest::fresh(), l.received_at, g.random);
    CHECK(d.outcome == Outcome::queue);
    CHECK(d.reason == Reason::no_eligible_agent);
    CHECK(d.excluded.size() == 4);
  }

  TEST_CASE("an unavailable member is skipped for that lead only") {
    Group g;
    g.snapshot.agents["lewis"].status = AgentStatus::away;
    std::vector<std::string> order;
    for (std::size_t i = 0; i < 4; ++i) {
      order.push_back(g.route_one("L" + std::to_string(i + 1), at(k_times[i])));
    }
    g.snapshot.agents["lewis"].status = AgentStatus::available;
    for (std::size_t i = 4; i < k_times.size(); ++i) {
      order.push_back(g.route_one("L" + std::to_string(i + 1), at(k_times[i])));
    }
    CHECK(order ==
          Names{"tom", "stephanie", "denise", "tom", "stephanie", "lewis", "denise", "tom"});
  }
}
