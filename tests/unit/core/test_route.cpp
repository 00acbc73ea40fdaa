#include <doctest/doctest.h>

#include "core/route.hpp"
#include "fixtures.hpp"

using namespace router::core;
using namespace router::core::fixtures;

namespace {

const Time k_now = at("2026-11-23T13:10:00Z");  // a Monday
const std::vector<std::string> k_four = {"tom", "stephanie", "lewis", "denise"};

// Agents: the four seed agents plus jane (default) and kim (lexus specialist, not a member).
Config base_config() {
  std::vector<Agent> all = agents(k_four);
  all[0].tags = {"toyota"};
  all.push_back(agent("jane"));
  all.push_back(agent("kim", {"lexus"}));
  Pool sales = pool("sales", Strategy::round_robin, k_four);
  sales.default_agent = "jane";
  Pool web = pool("web", Strategy::round_robin, {"tom", "stephanie"});
  Rule toyota = rule("toyota", "sales", {when("brand", {any_of({"Toyota", "Lexus"})})});
  toyota.requires_tags = {"toyota"};
  Rule phone = rule("phone", "web", {when("source", {eq("phone")})});
  return config(all, {sales, web}, {toyota, phone}, {office()});
}

struct Setup {
  Config cfg = base_config();
  Snapshot snapshot;
  LeadHistory history;
  router::util::Random random{1};

  Pool& sales() { return cfg.pools[0]; }
  Decision run(const Lead& l, const RouteRequest& request = RouteRequest::fresh(),
               Time now = k_now) {
    cfg.reindex();
    return route(cfg, snapshot, l, history, request, now, random);
  }
};

const Lead k_toyota = lead("L1", "web", {{"brand", "Toyota"}});
const Lead k_phone = lead("L2", "phone", {{"brand", "Ford"}});
const Lead k_other = lead("L3", "email", {{"brand", "Ford"}});

}  // namespace

TEST_SUITE("core.route") {
  TEST_CASE("no matching rule queues the lead and says why each rule failed") {
    Setup s;
    const Decision d = s.run(k_other);
    CHECK(d.lead_id == "L3");
    CHECK(d.outcome == Outcome::queue);
    CHECK(d.reason == Reason::no_rule);
    CHECK_FALSE(d.pool.has_value());
    CHECK(d.chosen.empty());
    REQUIRE(d.rules_tried.size() == 2);
    CHECK(d.rules_tried[0].rule == "toyota");
    CHECK(d.rules_tried[0].why == "brand: 'Ford' is not one of Toyota, Lexus");
    CHECK(d.rules_tried[1].why == "source: 'email' is not 'phone'");
  }

  TEST_CASE("attributes that are not a JSON object send the lead to the manual queue") {
    Setup s;
    s.history.prior_owner = "lewis";  // not even owner_match: the contact keys are unknown
    Lead bad = lead("L4", "web", {});
    bad.attributes_error = "a JSON array, not an object";
    const Decision d = s.run(bad);
    CHECK(d.outcome == Outcome::queue);
    CHECK(d.reason == Reason::bad_attributes);
    CHECK(d.error == "a JSON array, not an object");
    CHECK_FALSE(d.pool.has_value());
    CHECK(d.chosen.empty());
    CHECK(d.rules_tried.empty());
    CHECK_FALSE(d.owner_match.has_value());
    CHECK(std::string(to_string(Reason::bad_attributes)) == "bad_attributes");
    CHECK(parse_reason("bad_attributes") == Reason::bad_attributes);
    CHECK(describe(d) == "attributes: a JSON array, not an object\n"
                         "queue (bad_attributes)\n");
    // Re-offers and reassignments route by pool, not by attributes.
    const Decision again =
        s.run(bad, RouteRequest::reassign("sales", std::nullopt, std::nullopt, Reason::manual));
    CHECK(again.reason == Reason::manual);
    CHECK(again.error.empty());
  }

  TEST_CASE("the first matching rule wins and its pool assigns directly without a timeout") {
    Setup s;
    s.cfg.rules.insert(s.cfg.rules.begin() + 1, rule("catch-all", "sales"));
    const Decision d = s.run(k_phone);
    REQUIRE(d.rules_tried.size() == 2);  // rules after the match are not tried
    CHECK_FALSE(d.rules_tried[0].matched);
    CHECK(d.rules_tried[1].matched);
    CHECK(d.rules_tried[1].why.empty());
    CHECK(d.rule == "catch-all");
    CHECK(d.pool == "sales");
    CHECK(d.strategy == Strategy::round_robin);
    CHECK(d.eligible == k_four);
    CHECK(d.outcome == Outcome::assign);
    CHECK(d.reason == Reason::rule);
    CHECK(d.chosen == std::vector<std::string>{"tom"});
    CHECK(d.counts_against_limits);
    CHECK_FALSE(d.deadline.has_value());
    REQUIRE(d.new_cursor);
    CHECK(*d.new_cursor == RotationCursor{"tom", k_four});
  }

  TEST_CASE("without rule texts a decision says only which rules matched, nothing else changes") {
    Setup s;
    s.cfg.rules.insert(s.cfg.rules.begin() + 1, rule("catch-all", "sales"));
    const Decision full = s.run(k_phone);
    RouteRequest request = RouteRequest::fresh();
    request.rule_texts = false;
    const Decision bare = s.run(k_phone, request);
    REQUIRE(full.rules_tried.size() == 2);
    REQUIRE(bare.rules_tried.size() == 2);
    CHECK_FALSE(full.rules_tried[0].why.empty());
    for (std::size_t i = 0; i < 2; ++i) {
      CHECK(bare.rules_tried[i].rule == full.rules_tried[i].rule);
      CHECK(bare.rules_tried[i].matched == full.rules_tried[i].matched);
      CHECK(bare.rules_tried[i].why.empty());
    }
    CHECK(bare.rule == full.rule);
    CHECK(bare.chosen == full.chosen);
    CHECK(bare.outcome == full.outcome);
    CHECK(bare.note == full.note);
  }

  TEST_CASE("requires holds when any member has the tags, available or not") {
    Setup s;
    s.snapshot.agents["tom"].status = AgentStatus::away;
    const Decision d = s.run(k_toyota);
    CHECK(d.rule == "toyota");
    // Tom is away; the others lack the tag: the pool's default takes it.
    REQUIRE(d.excluded.size() == 4);
    CHECK(d.excluded[0].code == Exclusion::status);
    CHECK(d.excluded[1].code == Exclusion::missing_tags);
    CHECK(d.outcome == Outcome::assign);
    CHECK(d.reason == Reason::default_agent);
    CHECK(d.chosen == std::vector<std::string>{"jane"});
    CHECK_FALSE(d.counts_against_limits);
    CHECK_FALSE(d.new_cursor.has_value());
    // Nobody in the pool has the tag: the rule does not hold.
    s.cfg.rules[0].requires_tags = {"lexus"};
    const Decision none = s.run(k_toyota);
    CHECK(none.rules_tried[0].why == "requires lexus: no member of pool 'sales' has every tag");
    CHECK(none.reason == Reason::no_rule);
  }

  TEST_CASE("a rule's default overrides the pool's; without one the lead is queued") {
    Setup s;
    for (const auto& id : k_four) {
      s.snapshot.agents[id].status = AgentStatus::offline;
    }
    s.cfg.rules[0].default_agent = "kim";
    CHECK(s.run(k_toyota).chosen == std::vector<std::string>{"kim"});
    s.cfg.rules[0].default_agent.reset();
    s.sales().default_agent.reset();
    const Decision d = s.run(k_toyota);
    CHECK(d.outcome == Outcome::queue);
    CHECK(d.reason == Reason::no_eligible_agent);
    CHECK(d.pool == "sales");
    CHECK(d.chosen.empty());
  }

  TEST_CASE("owner match sends a repeat contact to an available owner") {
    struct Case {
      const char* name;
      std::function<void(Setup&)> arrange;
      bool used;
      const char* why;
    };
    const std::vector<Case> cases = {
        {"available", [](Setup&) {}, true, ""},
        {"leave ended",
         [](Setup& s) {
           s.snapshot.agents["lewis"].status = AgentStatus::leave;
           s.snapshot.agents["lewis"].until = at("2026-11-23T08:00:00Z");
         },
         true, ""},
        {"away", [](Setup& s) { s.snapshot.agents["lewis"].status = AgentStatus::away; }, false,
         "status is away"},
        {"no longer an agent", [](Setup& s) { s.history.prior_owner = "ghost"; }, false,
         "no longer a defined agent"},
    };
    for (const auto& c : cases) {
      CAPTURE(c.name);
      Setup s;
      s.history.prior_owner = "lewis";
      s.sales().members[2].daily_limit = 1;
      s.snapshot.pools["sales"].usage["lewis"] = {5, 5};  // limits do not apply
      c.arrange(s);
      const Decision d = s.run(k_toyota);
      REQUIRE(d.owner_match);
      CHECK(d.owner_match->used == c.used);
      CHECK(d.owner_match->why == c.why);
      if (c.used) {
        CHECK(d.outcome == Outcome::assign);
        CHECK(d.reason == Reason::owner_match);
        CHECK(d.chosen == std::vector<std::string>{"lewis"});
        CHECK_FALSE(d.counts_against_limits);
        CHECK(d.rules_tried.empty());
        CHECK_FALSE(d.pool.has_value());
        CHECK_FALSE(d.new_cursor.has_value());
      } else {
        CHECK(d.reason == Reason::rule);  // the rules went on as usual
        CHECK(d.chosen == std::vector<std::string>{"tom"});
      }
    }
  }

  TEST_CASE("a claim timeout makes an offer with a deadline") {
    Setup s;
    s.sales().claim_timeout = std::chrono::minutes{15};
    Decision d = s.run(k_toyota);
    CHECK(d.outcome == Outcome::offer);
    CHECK(d.chosen == std::vector<std::string>{"tom"});
    CHECK(d.deadline == k_now + std::chrono::minutes{15});
    CHECK(d.attempts == 1);
    CHECK(d.counts_against_limits);
    s.cfg.rules[0].claim_timeout = std::chrono::minutes{10};
    d = s.run(k_toyota);
    CHECK(d.deadline == k_now + std::chrono::minutes{10});
  }

  TEST_CASE("an offer's window runs in the pool's business time") {
    Setup s;
    s.sales().claim_timeout = std::chrono::minutes{15};
    s.sales().schedule = "office";
    const Time friday = at("2026-11-27T16:55:00Z");
    const Decision d = s.run(k_toyota, RouteRequest::fresh(), friday);
    CHECK(d.outcome == Outcome::offer);
    CHECK(d.deadline == at("2026-11-30T09:10:00Z"));
    s.cfg.reindex();
    CHECK(offer_deadline(s.cfg, s.cfg.pools[0], k_now, std::chrono::minutes{15}) ==
          k_now + std::chrono::minutes{15});
  }

  TEST_CASE("broadcast offers every eligible member at once") {
    Setup s;
    s.sales().strategy = Strategy::broadcast;
    s.sales().claim_timeout = std::chrono::minutes{5};
    s.cfg.rules[0].requires_tags.clear();
    s.snapshot.agents["lewis"].status = AgentStatus::away;
    const Decision d = s.run(k_toyota);
    CHECK(d.outcome == Outcome::offer);
    CHECK(d.chosen == std::vector<std::string>{"tom", "stephanie", "denise"});
    CHECK(d.deadline == k_now + std::chrono::minutes{5});
    CHECK_FALSE(d.new_cursor.has_value());
    // After the broadcast expired everyone eligible was offered: exhausted.
    s.history = {{"tom", "stephanie", "denise"}, 1, std::nullopt};
    const Decision again =
        s.run(k_toyota, RouteRequest::reoffer("sales", "toyota", Reason::expired));
    CHECK(again.reason == Reason::exhausted);
    CHECK(again.chosen == std::vector<std::string>{"jane"});
  }

  TEST_CASE("broadcast without a claim window offers without a deadline, never assigns") {
    Setup s;
    s.sales().strategy = Strategy::broadcast;
    s.cfg.rules[0].requires_tags.clear();
    const Decision d = s.run(k_toyota);
    CHECK(d.outcome == Outcome::offer);
    CHECK(d.chosen == k_four);
    CHECK_FALSE(d.deadline.has_value());
    CHECK(d.attempts == 1);
    CHECK(d.counts_against_limits);
  }

  TEST_CASE("an open pool queues the lead in the pool") {
    Setup s;
    s.sales().strategy = Strategy::open_pool;
    const Decision d = s.run(k_toyota);
    CHECK(d.outcome == Outcome::open_pool);
    CHECK(d.pool == "sales");
    CHECK(d.reason == Reason::rule);
    CHECK(d.chosen.empty());
    CHECK_FALSE(d.counts_against_limits);
  }

  TEST_CASE("a re-offer skips everyone already offered and counts attempts") {
    Setup s;
    s.sales().claim_timeout = std::chrono::minutes{15};
    s.cfg.rules[0].requires_tags.clear();
    s.snapshot.pools["sales"].cursor = RotationCursor{"tom", k_four};
    s.history = {{"tom"}, 1, std::nullopt};
    const Decision d = s.run(k_toyota, RouteRequest::reoffer("sales", "toyota", Reason::expired));
    CHECK(d.mode == RouteMode::reoffer);
    CHECK(d.rules_tried.empty());
    CHECK(d.rule == "toyota");
    CHECK(d.outcome == Outcome::offer);
    CHECK(d.reason == Reason::expired);
    CHECK(d.chosen == std::vector<std::string>{"stephanie"});
    CHECK(d.attempts == 2);
    REQUIRE(d.excluded.size() == 1);
    CHECK(d.excluded[0].code == Exclusion::already_offered);
    // The cursor went to stephanie after a decline, so the next offer goes to lewis.
    s.snapshot.pools["sales"].cursor = d.new_cursor;
    s.history = {{"tom", "stephanie"}, 2, std::nullopt};
    CHECK(s.run(k_toyota, RouteRequest::reoffer("sales", "toyota", Reason::declined)).chosen ==
          std::vector<std::string>{"lewis"});
  }

  TEST_CASE("max offers and on_exhausted decide what happens after the last offer") {
    struct Case {
      const char* name;
      std::optional<int> pool_max;
      std::optional<int> rule_max;
      OnExhausted on_exhausted;
      bool has_default;
      int attempts;
      Outcome outcome;
      Reason reason;
    };
    const std::vector<Case> cases = {
        {"under max_offers", 2, std::nullopt, OnExhausted::default_agent, true, 1, Outcome::offer,
         Reason::expired},
        {"max_offers reached, default", 2, std::nullopt, OnExhausted::default_agent, true, 2,
         Outcome::assign, Reason::exhausted},
        {"max_offers reached, queue", 2, std::nullopt, OnExhausted::queue, true, 2, Outcome::queue,
         Reason::exhausted},
        {"default wanted but none", 2, std::nullopt, OnExhausted::default_agent, false, 2,
         Outcome::queue, Reason::exhausted},
        {"rule overrides max_offers", 5, 1, OnExhausted::default_agent, true, 1, Outcome::assign,
         Reason::exhausted},
        {"default max is one per member", std::nullopt, std::nullopt, OnExhausted::queue, true, 3,
         Outcome::offer, Reason::expired},
        {"one per member reached", std::nullopt, std::nullopt, OnExhausted::queue, true, 4,
         Outcome::queue, Reason::exhausted},
    };
    for (const auto& c : cases) {
      CAPTURE(c.name);
      Setup s;
      s.sales().claim_timeout = std::chrono::minutes{15};
      s.sales().max_offers = c.pool_max;
      s.sales().on_exhausted = c.on_exhausted;
      if (!c.has_default) {
        s.sales().default_agent.reset();
      }
      s.cfg.rules[0].requires_tags.clear();
      s.cfg.rules[0].max_offers = c.rule_max;
      s.history.attempts = c.attempts;
      const Decision d = s.run(k_toyota, RouteRequest::reoffer("sales", "toyota", Reason::expired));
      CHECK(d.outcome == c.outcome);
      CHECK(d.reason == c.reason);
      if (d.reason == Reason::exhausted) {
        CHECK(d.note.rfind("max_offers ", 0) == 0);
      }
      if (d.outcome == Outcome::assign) {
        CHECK(d.chosen == std::vector<std::string>{"jane"});
        CHECK(d.note.find("; default: jane") != std::string::npos);
        CHECK_FALSE(d.counts_against_limits);
      }
    }
  }

  TEST_CASE("a re-offer with nobody left is exhausted, not a default hand-off") {
    Setup s;
    s.sales().claim_timeout = std::chrono::minutes{15};
    s.sales().on_exhausted = OnExhausted::queue;
    s.cfg.rules[0].requires_tags.clear();
    for (const auto& id : {"stephanie", "lewis", "denise"}) {
      s.snapshot.agents[id].status = AgentStatus::away;
    }
    s.history = {{"tom"}, 1, std::nullopt};
    const Decision d = s.run(k_toyota, RouteRequest::reoffer("sales", "toyota", Reason::declined));
    CHECK(d.outcome == Outcome::queue);
    CHECK(d.reason == Reason::exhausted);
    CHECK(d.note == "nobody left to offer to");
    CHECK(d.excluded.size() == 4);
  }

  TEST_CASE("reassign uses the pool directly and never picks the current owner") {
    Setup s;
    s.snapshot.pools["sales"].cursor = RotationCursor{"denise", k_four};
    const Decision d =
        s.run(k_other, RouteRequest::reassign("sales", std::nullopt, "tom", Reason::stale));
    CHECK(d.mode == RouteMode::reassign);
    CHECK(d.rules_tried.empty());
    CHECK_FALSE(d.rule.has_value());
    CHECK(d.pool == "sales");
    CHECK(d.reason == Reason::stale);
    CHECK(d.chosen == std::vector<std::string>{"stephanie"});
    REQUIRE(d.excluded.size() == 1);
    CHECK(d.excluded[0].agent == "tom");
    CHECK(d.excluded[0].code == Exclusion::current_owner);
    CHECK(d.counts_against_limits);
    // Nobody else: the default, as for a first routing.
    for (const auto& id : {"stephanie", "lewis", "denise"}) {
      s.snapshot.agents[id].status = AgentStatus::away;
    }
    const Decision fallback =
        s.run(k_other, RouteRequest::reassign("sales", std::nullopt, "tom", Reason::manual));
    CHECK(fallback.reason == Reason::default_agent);
    CHECK(fallback.chosen == std::vector<std::string>{"jane"});
  }

  TEST_CASE("routing again into a pool that no longer exists queues the lead") {
    Setup s;
    const Decision d = s.run(k_other, RouteRequest::reoffer("gone", std::nullopt, Reason::expired));
    CHECK(d.outcome == Outcome::queue);
    CHECK(d.reason == Reason::config_changed);
    CHECK(d.note == "pool 'gone' no longer exists");
  }

  TEST_CASE("effective settings take the rule's overrides over the pool's") {
    Pool p = pool("p", Strategy::round_robin, {"a", "b", "c"});
    p.claim_timeout = std::chrono::minutes{15};
    p.default_agent = "x";
    Settings s = effective_settings(p, nullptr);
    CHECK(s.max_offers == 3);
    CHECK(s.claim_timeout == std::chrono::minutes{15});
    CHECK(s.on_exhausted == OnExhausted::default_agent);
    Rule r = rule("r", "p");
    r.claim_timeout = std::chrono::minutes{2};
    r.max_offers = 7;
    r.on_exhausted = OnExhausted::queue;
    r.default_agent = "y";
    s = effective_settings(p, &r);
    CHECK(s.claim_timeout == std::chrono::minutes{2});
    CHECK(s.max_offers == 7);
    CHECK(s.on_exhausted == OnExhausted::queue);
    CHECK(s.default_agent == "y");
  }

  TEST_CASE("a decision reads as text for explain") {
    Setup s;
    s.sales().claim_timeout = std::chrono::minutes{15};
    s.snapshot.agents["tom"].status = AgentStatus::away;
    s.cfg.rules[0].requires_tags.clear();
    const std::string text = describe(s.run(k_toyota));
    CHECK(text == "rule toyota: matched\n"
                  "pool sales (round_robin): eligible stephanie, lewis, denise\n"
                  "  excluded tom: status is away [status]\n"
                  "round_robin: first in order\n"
                  "offer stephanie (rule) until 2026-11-23T13:25:00Z\n");
    CHECK(std::string(to_string(Reason::default_agent)) == "default");
    CHECK(parse_reason("no_eligible_agent") == Reason::no_eligible_agent);
    CHECK_FALSE(parse_reason("nope").has_value());
    CHECK(std::string(to_string(Outcome::open_pool)) == "open_pool");
    CHECK(std::string(to_string(Exclusion::already_offered)) == "already_offered");
    CHECK(std::string(to_string(RouteMode::reassign)) == "reassign");
    CHECK(parse_agent_status("leave") == AgentStatus::leave);
  }
}
