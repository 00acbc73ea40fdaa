#include <doctest/doctest.h>

#include <functional>

#include "core/eligibility.hpp"
#include "fixtures.hpp"

using namespace router::core;
using namespace router::core::fixtures;

namespace {

const Time k_monday_10 = at("2026-11-23T10:00:00Z");

// Everything one eligibility check reads, made editable for a case.
struct Setup {
  Config cfg = config({agent("tom", {"toyota", "used"})},
                      {pool("sales", Strategy::round_robin, {"tom"})}, {}, {office()});
  Snapshot snapshot;
  LeadHistory history;
  std::vector<std::string> requires_tags;
  std::optional<std::string> exclude;
  Time now = k_monday_10;

  Pool& sales() { return cfg.pools[0]; }
  Member& tom() { return cfg.pools[0].members[0]; }
  AgentState& tom_state() { return snapshot.agents["tom"]; }

  // The exclusion, checked to be the same whether the snapshot reads members by id or
  // through the slots of a bound copy.
  std::optional<Excluded> run() {
    cfg.reindex();
    const std::optional<Excluded> by_id = one(snapshot);
    Snapshot bound = snapshot;
    bound.bind(cfg);
    REQUIRE(bound.slot(cfg, cfg.pools[0], 0) != nullptr);
    const std::optional<Excluded> by_slot = one(bound);
    REQUIRE(by_id.has_value() == by_slot.has_value());
    if (by_id) {
      CHECK(by_slot->code == by_id->code);
      CHECK(exclusion_text(*by_slot) == exclusion_text(*by_id));
    }
    return by_id;
  }

  std::optional<Excluded> one(const Snapshot& snap) {
    const EligibilityInput in{cfg, cfg.pools[0], snap, history, requires_tags, exclude, now};
    const Eligibility e = check_eligibility(in);
    REQUIRE(e.eligible.size() + e.excluded.size() == 1);
    if (e.excluded.empty()) {
      return std::nullopt;
    }
    return e.excluded.front();
  }
};

struct Case {
  const char* name;
  std::function<void(Setup&)> arrange;
  std::optional<Exclusion> expected;
  const char* text;
};

}  // namespace

TEST_SUITE("core.eligibility") {
  TEST_CASE("each check excludes with its own reason") {
    const std::vector<Case> cases = {
        {"available by default", [](Setup&) {}, std::nullopt, ""},
        {"away", [](Setup& s) { s.tom_state().status = AgentStatus::away; }, Exclusion::status,
         "status is away"},
        {"offline", [](Setup& s) { s.tom_state().status = AgentStatus::offline; },
         Exclusion::status, "status is offline"},
        {"on leave until later",
         [](Setup& s) {
           s.tom_state().status = AgentStatus::leave;
           s.tom_state().until = at("2026-11-24T00:00:00Z");
         },
         Exclusion::status, "on leave until 2026-11-24T00:00:00Z"},
        {"on leave without end", [](Setup& s) { s.tom_state().status = AgentStatus::leave; },
         Exclusion::status, "on leave"},
        {"leave that has ended",
         [](Setup& s) {
           s.tom_state().status = AgentStatus::leave;
           s.tom_state().until = k_monday_10;
         },
         std::nullopt, ""},
        {"away with an until stays away",
         [](Setup& s) {
           s.tom_state().status = AgentStatus::away;
           s.tom_state().until = at("2026-11-01T00:00:00Z");
         },
         Exclusion::status, "status is away"},
        {"on shift", [](Setup& s) { s.tom().shifts = hours(0, 2, 9 * 60, 13 * 60); }, std::nullopt,
         ""},
        {"off shift",
         [](Setup& s) {
           s.tom().shifts = hours(0, 2, 9 * 60, 13 * 60);
           s.now = at("2026-11-23T14:00:00Z");
         },
         Exclusion::off_shift, "off shift at 2026-11-23T14:00:00Z"},
        {"logged out, online not required", [](Setup&) {}, std::nullopt, ""},
        {"logged out, online required", [](Setup& s) { s.sales().require_online = true; },
         Exclusion::not_logged_in, "not logged in"},
        {"logged in, online required",
         [](Setup& s) {
           s.sales().require_online = true;
           s.tom_state().online = true;
         },
         std::nullopt, ""},
        {"under daily limit",
         [](Setup& s) {
           s.tom().daily_limit = 3;
           s.snapshot.pools["sales"].usage["tom"] = {2, 2};
         },
         std::nullopt, ""},
        {"daily limit reached",
         [](Setup& s) {
           s.tom().daily_limit = 3;
           s.snapshot.pools["sales"].usage["tom"] = {3, 3};
         },
         Exclusion::daily_limit, "daily limit reached (3 of 3 today)"},
        {"monthly limit reached",
         [](Setup& s) {
           s.tom().monthly_limit = 20;
           s.snapshot.pools["sales"].usage["tom"] = {0, 20};
         },
         Exclusion::monthly_limit, "monthly limit reached (20 of 20 this month)"},
        {"zero limits mean none",
         [](Setup& s) {
           s.snapshot.pools["sales"].usage["tom"] = {500, 5000};
         },
         std::nullopt, ""},
        {"usage in another pool does not count",
         [](Setup& s) {
           s.tom().daily_limit = 1;
           s.snapshot.pools["other"].usage["tom"] = {9, 9};
         },
         std::nullopt, ""},
        {"has every required tag",
         [](Setup& s) {
           s.requires_tags = {"toyota", "used"};
         },
         std::nullopt, ""},
        {"lacks a required tag",
         [](Setup& s) {
           s.requires_tags = {"toyota", "lexus"};
         },
         Exclusion::missing_tags, "lacks tag lexus"},
        {"already offered",
         [](Setup& s) {
           s.history.offered = {"sue", "tom"};
         },
         Exclusion::already_offered, "already offered this lead"},
        {"current owner on reassign", [](Setup& s) { s.exclude = "tom"; }, Exclusion::current_owner,
         "current owner"},
        {"member not defined as agent", [](Setup& s) { s.tom().agent = "ghost"; },
         Exclusion::unknown_agent, "not a defined agent"},
    };
    for (const auto& c : cases) {
      CAPTURE(c.name);
      Setup s;
      c.arrange(s);
      const auto result = s.run();
      REQUIRE(result.has_value() == c.expected.has_value());
      if (result) {
        CHECK(result->code == *c.expected);
        CHECK(exclusion_text(*result) == c.text);
        CHECK(result->agent == s.tom().agent);
      }
    }
  }

  TEST_CASE("only the first failing check is recorded, in SPEC order") {
    // Every check fails; each case removes the failures before the one expected.
    const std::vector<Exclusion> order = {Exclusion::current_owner, Exclusion::status,
                                          Exclusion::off_shift,     Exclusion::not_logged_in,
                                          Exclusion::daily_limit,   Exclusion::monthly_limit,
                                          Exclusion::missing_tags,  Exclusion::already_offered};
    for (std::size_t first = 0; first < order.size(); ++first) {
      const std::string name = to_string(order[first]);
      CAPTURE(name);
      Setup s;
      s.now = at("2026-11-23T14:00:00Z");
      const auto fails = [&](Exclusion e) {
        for (std::size_t i = first; i < order.size(); ++i) {
          if (order[i] == e) {
            return true;
          }
        }
        return false;
      };
      if (fails(Exclusion::current_owner)) {
        s.exclude = "tom";
      }
      if (fails(Exclusion::status)) {
        s.tom_state().status = AgentStatus::away;
      }
      s.tom().shifts =
          fails(Exclusion::off_shift) ? hours(0, 0, 9 * 60, 13 * 60) : hours(0, 6, 0, 24 * 60);
      s.sales().require_online = fails(Exclusion::not_logged_in);
      s.tom().daily_limit = fails(Exclusion::daily_limit) ? 1 : 0;
      s.tom().monthly_limit = fails(Exclusion::monthly_limit) ? 1 : 0;
      s.snapshot.pools["sales"].usage["tom"] = {1, 1};
      if (fails(Exclusion::missing_tags)) {
        s.requires_tags = {"lexus"};
      }
      if (fails(Exclusion::already_offered)) {
        s.history.offered = {"tom"};
      }
      const auto result = s.run();
      REQUIRE(result.has_value());
      CHECK(result->code == order[first]);
    }
  }

  TEST_CASE("shifts are judged at the next opening when the pool's schedule is closed") {
    Setup s;
    s.sales().schedule = "office";
    s.now = at("2026-11-22T20:00:00Z");             // Sunday evening; office opens Monday 09:00
    s.tom().shifts = hours(0, 0, 9 * 60, 13 * 60);  // Mondays 09:00-13:00
    CHECK_FALSE(s.run().has_value());
    s.tom().shifts = hours(6, 6, 0, 24 * 60);  // on duty now (Sunday) but not at the opening
    const auto off = s.run();
    REQUIRE(off.has_value());
    CHECK(off->code == Exclusion::off_shift);
    CHECK(exclusion_text(*off) == "off shift at 2026-11-23T09:00:00Z");
    s.cfg.reindex();
    CHECK(shift_instant(s.cfg, s.cfg.pools[0], s.now) == at("2026-11-23T09:00:00Z"));
    CHECK(shift_instant(s.cfg, s.cfg.pools[0], k_monday_10) == k_monday_10);
  }

  TEST_CASE("members keep configured order and all exclusions are kept") {
    Config cfg = config(agents({"tom", "sue", "lewis", "denise"}),
                        {pool("sales", Strategy::round_robin, {"tom", "sue", "lewis", "denise"})});
    Snapshot snap;
    snap.agents["sue"].status = AgentStatus::away;
    snap.agents["denise"].status = AgentStatus::offline;
    const LeadHistory history;
    const std::vector<std::string> no_tags;
    const EligibilityInput in{cfg, cfg.pools[0], snap, history, no_tags, std::nullopt, k_monday_10};
    const Eligibility e = check_eligibility(in);
    CHECK(e.eligible == std::vector<std::string>{"tom", "lewis"});
    REQUIRE(e.excluded.size() == 2);
    CHECK(e.excluded[0].agent == "sue");
    CHECK(e.excluded[1].agent == "denise");
  }

  TEST_CASE("a bound snapshot reads members through slots that follow its maps") {
    Config cfg = config(agents({"tom", "sue"}),
                        {pool("sales", Strategy::round_robin, {"tom", "sue", "ghost"})});
    cfg.pools[0].members[1].daily_limit = 1;
    Snapshot snap;
    snap.bind(cfg);
    // Every member got an entry, the undefined one without an agent.
    const MemberSlot* sue = snap.slot(cfg, cfg.pools[0], 1);
    REQUIRE(sue != nullptr);
    CHECK(sue->agent == cfg.find_agent("sue"));
    CHECK(sue->state == &snap.agents.at("sue"));
    CHECK(sue->usage == &snap.pools.at("sales").usage.at("sue"));
    REQUIRE(snap.slot(cfg, cfg.pools[0], 2) != nullptr);
    CHECK(snap.slot(cfg, cfg.pools[0], 2)->agent == nullptr);
    CHECK(snap.slot(cfg, cfg.pools[0], 3) == nullptr);
    // Changes made through the maps (as the engine applies a decision) are what it reads.
    snap.agents["tom"].status = AgentStatus::away;
    ++snap.pools["sales"].usage["sue"].today;
    const LeadHistory history;
    const std::vector<std::string> no_tags;
    const EligibilityInput in{cfg, cfg.pools[0], snap, history, no_tags, std::nullopt, k_monday_10};
    const Eligibility e = check_eligibility(in);
    CHECK(e.eligible.empty());
    REQUIRE(e.excluded.size() == 3);
    CHECK(e.excluded[0].code == Exclusion::status);
    CHECK(e.excluded[1].code == Exclusion::daily_limit);
    CHECK(e.excluded[2].code == Exclusion::unknown_agent);
    // A moved snapshot keeps its slots; a copy, another configuration or a pool outside
    // the configuration has none.
    const Snapshot moved = std::move(snap);
    CHECK(moved.slot(cfg, cfg.pools[0], 1) == sue);
    const Snapshot copy = moved;
    CHECK(copy.slot(cfg, cfg.pools[0], 1) == nullptr);
    const Config other = cfg;
    CHECK(moved.slot(other, other.pools[0], 1) == nullptr);
    const Pool outside = cfg.pools[0];
    CHECK(moved.slot(cfg, outside, 1) == nullptr);
  }

  TEST_CASE("a snapshot bound to some pools decides the others the same, by id") {
    Config cfg = config(agents({"tom", "sue", "lewis"}),
                        {pool("sales", Strategy::round_robin, {"tom", "sue"}),
                         pool("service", Strategy::round_robin, {"sue", "lewis"})});
    cfg.pools[1].members[1].daily_limit = 1;
    const auto state = [] {
      Snapshot snap;
      snap.agents["sue"].status = AgentStatus::away;
      snap.pools["service"].usage["lewis"].today = 1;
      return snap;
    };
    Snapshot all = state();
    all.bind(cfg);
    Snapshot some = state();
    const std::vector<bool> only{true, false};
    some.bind(cfg, &only);
    CHECK(some.slot(cfg, cfg.pools[0], 0) != nullptr);
    CHECK(some.slot(cfg, cfg.pools[1], 0) == nullptr);
    // Nothing was added for the pool left unbound.
    CHECK(some.agents.count("lewis") == 0);
    const LeadHistory history;
    const std::vector<std::string> no_tags;
    for (const Pool& p : cfg.pools) {
      const Eligibility a =
          check_eligibility({cfg, p, all, history, no_tags, std::nullopt, k_monday_10});
      const Eligibility s =
          check_eligibility({cfg, p, some, history, no_tags, std::nullopt, k_monday_10});
      CHECK(a.eligible == s.eligible);
      REQUIRE(a.excluded.size() == s.excluded.size());
      for (std::size_t i = 0; i < a.excluded.size(); ++i) {
        CHECK(exclusion_text(a.excluded[i]) == exclusion_text(s.excluded[i]));
      }
    }
    // In the unbound pool sue is away and lewis at his daily limit, read by id.
    const Eligibility service =
        check_eligibility({cfg, cfg.pools[1], some, history, no_tags, std::nullopt, k_monday_10});
    CHECK(service.eligible.empty());
    REQUIRE(service.excluded.size() == 2);
    CHECK(service.excluded[1].code == Exclusion::daily_limit);
  }
}
