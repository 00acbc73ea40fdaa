#include <doctest/doctest.h>

#include <stdexcept>

#include "config/loader.hpp"
#include "core/route.hpp"
#include "engine/decision_json.hpp"
#include "engine/trail.hpp"
#include "util/random.hpp"

using namespace router;
using core::Decision;
using core::Exclusion;

namespace {

constexpr const char* k_yaml = R"(version: 1
agents:
  - { id: ann, tags: [toyota] }
  - { id: bob }
  - { id: cy, tags: [toyota] }
  - { id: dee }
  - { id: has }
pools:
  sales:
    strategy: round_robin
    claim_timeout: 15m
    members: [ann, { agent: bob, daily_limit: 3 }, cy]
  other:
    strategy: broadcast
    members: [bob, dee]
rules:
  - name: bmw
    when: { brand: BMW }
    pool: other
  - name: toyota
    when: { brand: Toyota }
    requires: [toyota]
    pool: sales
)";

const core::Config& model() {
  static const core::Config c = [] {
    auto result = config::load_text(k_yaml, "trail.yaml");
    REQUIRE(result.config);
    return std::move(*result.config);
  }();
  return c;
}

const core::Time k_at{std::chrono::seconds{1795440000}};

core::Lead lead(const std::string& brand) {
  core::Lead l;
  l.id = "L1";
  l.source = "web";
  l.attributes["brand"] = {brand};
  return l;
}

core::Excluded excluded(const std::string& agent, Exclusion code,
                        void (*fill)(core::Excluded&) = nullptr) {
  core::Excluded e{agent, code};
  if (fill) {
    fill(e);
  }
  return e;
}

// The JSON of the decision rebuilt from its trail, beside the original's.
void round_trip(const Decision& d, const core::Lead& l) {
  const std::string trail = engine::encode_trail(d, model(), k_at);
  CAPTURE(engine::to_json_text(d));
  CHECK(engine::to_json_text(engine::decode_trail(trail, &model(), l, k_at)) ==
        engine::to_json_text(d));
}

}  // namespace

TEST_SUITE("engine.trail") {
  TEST_CASE("a routed lead comes back the same, in a few dozen bytes") {
    core::Snapshot snapshot;
    util::Random random(1);
    const core::Lead l = lead("Toyota");
    const Decision d = core::route(model(), snapshot, l, core::LeadHistory{},
                                   core::RouteRequest::fresh(), k_at, random);
    REQUIRE(d.rules_tried.size() == 2);
    REQUIRE(d.excluded.size() == 1);  // bob lacks the tag
    const std::string trail = engine::encode_trail(d, model(), k_at);
    CHECK(trail.size() < 32);
    round_trip(d, l);
  }

  TEST_CASE("every exclusion with the figures in its sentence") {
    Decision d;
    d.lead_id = "L1";
    d.mode = core::RouteMode::reoffer;
    d.rule = "toyota";
    d.pool = "sales";
    d.excluded = {
        excluded("ann", Exclusion::status,
                 [](core::Excluded& e) {
                   e.status = core::AgentStatus::leave;
                   e.until = core::Time{std::chrono::seconds{1795500000}};
                 }),
        excluded("bob", Exclusion::daily_limit,
                 [](core::Excluded& e) {
                   e.used = 3;
                   e.limit = 3;
                 }),
        excluded("cy", Exclusion::off_shift,
                 [](core::Excluded& e) { e.at = core::Time{std::chrono::seconds{1795443600}}; }),
    };
    d.outcome = core::Outcome::queue;
    d.reason = core::Reason::exhausted;
    d.note = "nobody left to offer to";
    round_trip(d, lead("Toyota"));

    for (const auto code : {Exclusion::current_owner, Exclusion::unknown_agent,
                            Exclusion::not_logged_in, Exclusion::already_offered}) {
      d.excluded = {excluded("ann", code), excluded("cy", code)};
      round_trip(d, lead("Toyota"));
    }
    d.excluded = {
        excluded("ann", Exclusion::status,
                 [](core::Excluded& e) { e.status = core::AgentStatus::away; }),
        excluded("bob", Exclusion::monthly_limit,
                 [](core::Excluded& e) {
                   e.used = 40;
                   e.limit = 12;
                 }),
        excluded("cy", Exclusion::missing_tags, [](core::Excluded& e) { e.tag = "ford"; })};
    round_trip(d, lead("Toyota"));
    // Leave without an end, and a member not in the pool (a hand-built decision).
    d.excluded = {excluded("ann", Exclusion::status,
                           [](core::Excluded& e) { e.status = core::AgentStatus::leave; }),
                  excluded("zed", Exclusion::unknown_agent)};
    d.eligible = {"bob", "cy"};
    round_trip(d, lead("Toyota"));
  }

  TEST_CASE("owner_match, defaults outside the pool and broadcast") {
    Decision d;
    d.lead_id = "L1";
    d.owner_match = core::OwnerMatchInfo{"dee", true, ""};
    d.chosen = {"dee"};
    d.outcome = core::Outcome::assign;
    d.reason = core::Reason::owner_match;
    d.note = "owner_match: back to dee";
    round_trip(d, lead("BMW"));

    d = Decision{};
    d.lead_id = "L1";
    d.owner_match = core::OwnerMatchInfo{"gone", false, "no longer a defined agent"};
    d.rules_tried = {{"bmw", true, ""}};
    d.rule = "bmw";
    d.pool = "other";
    d.eligible = {"bob", "dee"};
    d.strategy = core::Strategy::broadcast;
    d.chosen = {"bob", "dee"};
    d.outcome = core::Outcome::offer;
    d.reason = core::Reason::rule;
    d.note = "broadcast: offered to 2 eligible members at once";
    d.counts_against_limits = true;
    d.attempts = 1;
    round_trip(d, lead("BMW"));

    d.chosen = {"someone-else"};  // a default agent that is no agent of this file
    d.note = "nobody eligible; default: someone-else";
    d.deadline = core::Time{std::chrono::seconds{1795440000 - 60}};  // before `at`: still exact
    round_trip(d, lead("BMW"));
  }

  TEST_CASE("notes: phrases, agent ids, control bytes and look-alikes survive") {
    Decision d;
    d.lead_id = "L1";
    d.mode = core::RouteMode::reassign;
    d.outcome = core::Outcome::queue;
    d.reason = core::Reason::config_changed;
    for (const char* note :
         {"round_robin: next after ann", "round_robin: next after round_robin:  (x)",
          "pool 'sales' no longer exists", "\x01\x02\x03 raw \x03", "ann; bob, cy (dee)",
          "least_recent: cy last had a lead at 2026-11-23T13:10:00Z (longest ago)", "has has has ",
          "annabel and bobby", "é ünïcode"}) {
      d.note = note;
      round_trip(d, lead("x"));
    }
  }

  TEST_CASE("what cannot be derived is stored as it is") {
    Decision d;
    d.lead_id = "L1";
    // Rules tried that do not follow from the file (another order, a bad-attributes lead).
    d.rules_tried = {{"toyota", false, "why not"}, {"nope", true, ""}};
    d.rule = "nope";
    d.pool = "gone";
    d.eligible = {"ann", "x"};
    d.error = "attributes are not a JSON object";
    d.outcome = core::Outcome::queue;
    d.reason = core::Reason::bad_attributes;
    round_trip(d, lead("Toyota"));
  }

  TEST_CASE("a damaged trail is refused, not misread") {
    core::Snapshot snapshot;
    util::Random random(1);
    const core::Lead l = lead("Toyota");
    const Decision d = core::route(model(), snapshot, l, core::LeadHistory{},
                                   core::RouteRequest::fresh(), k_at, random);
    const std::string trail = engine::encode_trail(d, model(), k_at);
    CHECK_THROWS_AS(engine::decode_trail(trail.substr(0, trail.size() - 1), &model(), l, k_at),
                    std::runtime_error);
    CHECK_THROWS_AS(engine::decode_trail(trail + "x", &model(), l, k_at), std::runtime_error);
    CHECK_THROWS_AS(engine::decode_trail("\x07", &model(), l, k_at), std::runtime_error);
    CHECK_THROWS_AS(engine::decode_trail("", &model(), l, k_at), std::runtime_error);
  }
}
