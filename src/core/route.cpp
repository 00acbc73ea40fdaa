#include "core/route.hpp"

#include "core/calendar.hpp"
#include "core/eligibility.hpp"
#include "core/match.hpp"
#include "core/strategies.hpp"

namespace router::core {
namespace {

const std::vector<std::string> k_no_tags;

// Sends the lead to the manual queue.
Decision& queue(Decision& d, Reason why) {
  d.outcome = Outcome::queue;
  d.reason = why;
  d.chosen.clear();
  return d;
}

// Gives the lead straight to the default agent, outside limits and rotation.
Decision& to_default(Decision& d, const std::string& agent, Reason why) {
  d.outcome = Outcome::assign;
  d.reason = why;
  d.chosen = {agent};
  d.note += (d.note.empty() ? "" : "; ") + std::string("default: ") + agent;
  return d;
}

// max_offers reached or nobody left to offer to.
Decision& exhausted(Decision& d, const Config& config, const Settings& s) {
  if (s.on_exhausted == OnExhausted::default_agent && s.default_agent &&
      config.find_agent(*s.default_agent)) {
    return to_default(d, *s.default_agent, Reason::exhausted);
  }
  return queue(d, Reason::exhausted);
}

// Nobody eligible on a first routing: the default, else the manual queue.
Decision& no_one(Decision& d, const Config& config, const Settings& s) {
  if (s.default_agent && config.find_agent(*s.default_agent)) {
    return to_default(d, *s.default_agent, Reason::default_agent);
  }
  return queue(d, Reason::no_eligible_agent);
}

// owner_match: true when the lead went back to its earlier owner.
bool try_owner(Decision& d, const Config& config, const Snapshot& snapshot,
               const LeadHistory& history, Time now) {
  if (!history.prior_owner) {
    return false;
  }
  OwnerMatchInfo info{*history.prior_owner, false, {}};
  const AgentState& state = snapshot.agent(info.owner);
  if (!config.find_agent(info.owner)) {
    info.why = "no longer a defined agent";
  } else if (!state.available_at(now)) {
    info.why = std::string("status is ") + to_string(state.status);
  } else {
    info.used = true;
    d.outcome = Outcome::assign;
    d.reason = Reason::owner_match;
    d.chosen = {info.owner};
    d.note = "owner_match: back to " + info.owner;
  }
  d.owner_match = std::move(info);
  return d.owner_match->used;
}

// The first rule that holds, every one tried recorded; nullptr when none.
const Rule* first_rule(Decision& d, const Config& config, const Lead& lead, bool texts) {
  for (const auto& rule : config.rules) {
    MatchResult m = match_rule(config, rule, lead, texts);
    d.rules_tried.push_back({rule.name, m.matched, std::move(m.why)});
    if (m.matched) {
      return &rule;
    }
  }
  return nullptr;
}

// The rule whose overrides govern a lead routed again through `pool`: the lead's rule while
// it still exists and still names that pool, else none (the pool's own settings).
const Rule* governing_rule(const Config& config, const std::optional<std::string>& name,
                           const Pool& pool) {
  const Rule* rule = name ? config.find_rule(*name) : nullptr;
  return rule && rule->pool == pool.name ? rule : nullptr;
}

// Chooses within the pool: eligibility, strategy, offer or assignment, fallbacks.
Decision& within_pool(Decision& d, const Config& config, const Snapshot& snapshot,
                      const LeadHistory& history, const RouteRequest& request, const Pool& pool,
                      const Rule* rule, Time now, util::Random& random) {
  const Settings s = effective_settings(pool, rule);
  d.pool = pool.name;
  d.attempts = history.attempts;
  const EligibilityInput in{
      config,          pool, snapshot, history, rule ? rule->requires_tags : k_no_tags,
      request.exclude, now};
  Eligibility e = check_eligibility(in);
  d.excluded = std::move(e.excluded);
  d.eligible = std::move(e.eligible);
  if (pool.strategy == Strategy::open_pool) {
    d.strategy = pool.strategy;
    d.outcome = Outcome::open_pool;
    d.reason = request.reason;
    d.note = "open_pool: queued for members to pick up";
    return d;
  }
  if (request.mode == RouteMode::reoffer && history.attempts >= s.max_offers) {
    d.note = "max_offers " + std::to_string(s.max_offers) + " reached";
    return exhausted(d, config, s);
  }
  if (d.eligible.empty()) {
    d.note = request.mode == RouteMode::reoffer ? "nobody left to offer to" : "nobody eligible";
    return request.mode == RouteMode::reoffer ? exhausted(d, config, s) : no_one(d, config, s);
  }
  d.strategy = pool.strategy;
  // Under --seed a chance draw depends on the lead and this attempt, not on what the run
  // routed before it: the same inputs choose the same member, different leads spread.
  random.restart_for(d.lead_id, (static_cast<std::uint64_t>(history.attempts) << 2) |
                                    static_cast<std::uint64_t>(request.mode));
  Choice c = choose(StrategyInput{config, pool, snapshot, d.eligible, now}, random);
  d.chosen = std::move(c.chosen);
  d.new_cursor = std::move(c.cursor);
  d.note = std::move(c.note);
  d.reason = request.reason;
  d.counts_against_limits = true;
  // A broadcast is always an offer (first claim wins), never an assignment to everyone:
  // without a claim_timeout its offers stay open until someone claims.
  if (s.claim_timeout || pool.strategy == Strategy::broadcast) {
    d.outcome = Outcome::offer;
    if (s.claim_timeout) {
      d.deadline = offer_deadline(config, pool, now, *s.claim_timeout);
    }
    d.attempts = history.attempts + 1;
  } else {
    d.outcome = Outcome::assign;
  }
  return d;
}

}  // namespace

RouteRequest RouteRequest::fresh() {
  return {};
}

RouteRequest RouteRequest::reoffer(std::string pool, std::optional<std::string> rule, Reason why) {
  return {RouteMode::reoffer, std::move(pool), std::move(rule), std::nullopt, why};
}

RouteRequest RouteRequest::reassign(std::string pool, std::optional<std::string> rule,
                                    std::optional<std::string> current_owner, Reason why) {
  return {RouteMode::reassign, std::move(pool), std::move(rule), std::move(current_owner), why};
}

Settings effective_settings(const Pool& pool, const Rule* rule) {
  Settings s;
  s.claim_timeout = rule && rule->claim_timeout ? rule->claim_timeout : pool.claim_timeout;
  const auto max = rule && rule->max_offers ? rule->max_offers : pool.max_offers;
  s.max_offers = max ? *max : static_cast<int>(pool.members.size());
  s.on_exhausted = rule && rule->on_exhausted ? *rule->on_exhausted : pool.on_exhausted;
  s.default_agent = rule && rule->default_agent ? rule->default_agent : pool.default_agent;
  return s;
}

std::optional<Time> offer_deadline(const Config& config, const Pool& pool, Time now,
                                   Duration timeout) {
  if (pool.schedule) {
    if (const Schedule* schedule = config.find_schedule(*pool.schedule)) {
      // Never wall time: a schedule that never opens again (validation refuses one) or a
      // deadline past the year 9999 leaves the offer without a deadline.
      return add_business_time(*schedule, now, timeout);
    }
  }
  return now + timeout;
}

Decision route(const Config& config, const Snapshot& snapshot, const Lead& lead,
               const LeadHistory& history, const RouteRequest& request, Time now,
               util::Random& random) {
  Decision d;
  d.lead_id = lead.id;
  d.mode = request.mode;
  const Rule* rule = nullptr;
  const Pool* pool = nullptr;
  if (request.mode == RouteMode::fresh) {
    // Unreadable attributes would make every rule's test a guess: a person looks at it.
    if (lead.attributes_error) {
      d.error = *lead.attributes_error;
      queue(d, Reason::bad_attributes);
      return d;
    }
    if (try_owner(d, config, snapshot, history, now)) {
      return d;
    }
    rule = first_rule(d, config, lead, request.rule_texts);
    if (!rule) {
      queue(d, Reason::no_rule);
      return d;
    }
    d.rule = rule->name;
    pool = config.find_pool(rule->pool);
  } else {
    d.rule = request.rule;
    pool = config.find_pool(request.pool);
    if (!pool) {
      d.note = "pool '" + request.pool + "' no longer exists";
      queue(d, Reason::config_changed);
      return d;
    }
    rule = governing_rule(config, request.rule, *pool);
    // A re-offer keeps the lead's rule for reports; a lead routed through another pool
    // than its rule's is no longer that rule's.
    if (request.mode == RouteMode::reassign && !rule) {
      d.rule.reset();
    }
  }
  // `d` itself is returned (moved, not copied from the reference within_pool gives back).
  within_pool(d, config, snapshot, history, request, *pool, rule, now, random);
  return d;
}

}  // namespace router::core
