#include <doctest/doctest.h>

#include "engine/decision_json.hpp"

using router::core::Decision;
using router::engine::to_json;
using router::engine::to_json_text;

namespace {

Decision offered() {
  Decision d;
  d.lead_id = "crm-1";
  d.rules_tried = {{"r0", false, "source: 'phone' is not 'web'"}, {"catch-all", true, ""}};
  d.rule = "catch-all";
  d.pool = "sales";
  d.strategy = router::core::Strategy::round_robin;
  d.excluded = {
      {.agent = "bob", .code = router::core::Exclusion::daily_limit, .used = 3, .limit = 3}};
  d.eligible = {"ann", "cy"};
  d.chosen = {"cy"};
  d.outcome = router::core::Outcome::offer;
  d.reason = router::core::Reason::rule;
  d.deadline = router::core::Time{std::chrono::seconds{1795440300}};
  d.note = "round_robin: next after ann";
  d.counts_against_limits = true;
  d.attempts = 1;
  return d;
}

}  // namespace

TEST_SUITE("engine.decision_json") {
  TEST_CASE("the direct writer matches nlohmann's dump for an offer") {
    const Decision d = offered();
    CHECK(to_json_text(d) == to_json(d).dump());
  }

  TEST_CASE("the direct writer matches for a queued lead with nothing optional") {
    Decision d;
    d.lead_id = "q";
    d.rules_tried = {{"only", false, "brand: missing"}};
    CHECK(to_json_text(d) == to_json(d).dump());
    d.rules_tried.clear();
    CHECK(to_json_text(d) == to_json(d).dump());
    CHECK(to_json_text(d).find("\"rule\":null") != std::string::npos);
  }

  TEST_CASE("the direct writer matches for bad attributes with the parser's message") {
    Decision d;
    d.lead_id = "crm";
    d.reason = router::core::Reason::bad_attributes;
    d.note = "the attributes are not a JSON object";
    d.error = "parse error at line 1, column 2: invalid literal; last read: '\"n\\'";
    CHECK(to_json_text(d) == to_json(d).dump());
    CHECK(to_json(d)["error"] == d.error);
  }

  TEST_CASE("the direct writer matches for owner match, broadcast and many exclusions") {
    Decision d = offered();
    d.owner_match = router::core::OwnerMatchInfo{"dee", false, "status is away"};
    d.chosen = {"ann", "cy", "eve"};
    d.strategy = router::core::Strategy::broadcast;
    for (int i = 0; i < 40; ++i) {
      d.excluded.push_back({.agent = "x" + std::to_string(i),
                            .code = router::core::Exclusion::status,
                            .status = router::core::AgentStatus::away});
    }
    CHECK(to_json_text(d) == to_json(d).dump());
    d.owner_match->used = true;
    d.owner_match->why.clear();
    d.outcome = router::core::Outcome::assign;
    d.reason = router::core::Reason::owner_match;
    d.deadline.reset();
    d.attempts = 0;
    CHECK(to_json_text(d) == to_json(d).dump());
  }

  TEST_CASE(
      "the direct writer matches for re-offers and reassignments (sweep, decline, reassign)") {
    using router::core::Reason;
    using router::core::RouteMode;
    for (const RouteMode mode : {RouteMode::reoffer, RouteMode::reassign}) {
      for (const Reason why :
           {Reason::expired, Reason::declined, Reason::agent_unavailable, Reason::config_changed,
            Reason::stale, Reason::manual, Reason::exhausted}) {
        Decision d = offered();
        d.mode = mode;
        d.reason = why;
        d.rules_tried.clear();
        d.excluded.push_back({"dee", router::core::Exclusion::current_owner});
        d.attempts = 3;
        CAPTURE(router::core::to_string(mode));
        CAPTURE(router::core::to_string(why));
        CHECK(to_json_text(d) == to_json(d).dump());
        // Nobody left: the default took it, or the manual queue.
        d.chosen.clear();
        d.outcome = router::core::Outcome::queue;
        d.deadline.reset();
        d.note = "pool 'gone' no longer exists";
        CHECK(to_json_text(d) == to_json(d).dump());
      }
    }
  }

  TEST_CASE("strings are escaped exactly as nlohmann escapes them") {
    Decision d = offered();
    std::string all_controls;
    for (int c = 1; c < 0x20; ++c) {
      all_controls += static_cast<char>(c);
    }
    d.lead_id = std::string("q\"uo\\te/") + all_controls + "\x7f";
    d.rules_tried[0].why = "brand: 'a\tb' is not 'c\nd'";
    d.note = std::string("nul\0inside", 10);
    CHECK(to_json_text(d) == to_json(d).dump());
  }

  TEST_CASE("non-ASCII text is handed to nlohmann, which checks it is UTF-8") {
    Decision d = offered();
    d.rules_tried[0].why = "region: '\xc3\xa9"
                           "ast' is not 'north'";
    CHECK(to_json_text(d) == to_json(d).dump());
    d.rules_tried[0].why = "brand: '\xff' is not 'kia'";
    CHECK_THROWS_AS(to_json_text(d), nlohmann::json::type_error);
  }
}
