#pragma once
// The routing entry points: one lead, the configuration, the loaded state and the current
// time in; a Decision out. Pure: the engine loads the snapshot and writes the decision.

#include <optional>
#include <string>

#include "core/decision.hpp"
#include "core/lead.hpp"
#include "core/model.hpp"
#include "core/snapshot.hpp"
#include "util/random.hpp"

namespace router::core {

// What to route and how.
struct RouteRequest {
  RouteMode mode = RouteMode::fresh;
  std::string pool;                    // reoffer and reassign: the pool to use
  std::optional<std::string> rule;     // the lead's rule (overrides, while it names pool)
  std::optional<std::string> exclude;  // reassign: the current owner, never chosen
  Reason reason = Reason::rule;        // recorded when a member is chosen
  // fresh: each rule tried says why it missed; false, only whether it matched (a run that
  // prints no decision: the trail does not keep the reasons, explain derives them again).
  bool rule_texts = true;

  // A pending lead: owner_match, then the rules in file order.
  static RouteRequest fresh();
  // After an offer expired, was declined or taken back: the lead's pool again, skipping
  // everyone already offered; max_offers and on_exhausted apply.
  static RouteRequest reoffer(std::string pool, std::optional<std::string> rule, Reason why);
  // `reassign --pool` or the sweep's stale re-routing: the pool directly, no rules matched;
  // `rule` (the lead's) still governs when it names `pool`.
  static RouteRequest reassign(std::string pool, std::optional<std::string> rule,
                               std::optional<std::string> current_owner, Reason why);
};

// A pool's settings with a rule's overrides applied.
struct Settings {
  std::optional<Duration> claim_timeout;
  int max_offers = 0;  // resolved: the configured value, else the number of members
  OnExhausted on_exhausted = OnExhausted::default_agent;
  std::optional<std::string> default_agent;
};

// The settings that govern a lead routed through `pool` by `rule` (nullptr: none).
Settings effective_settings(const Pool& pool, const Rule* rule);

// When an offer made at `now` expires: `timeout` of the pool's business time when it has
// a schedule (exact however far away, never wall time), else of wall time. nullopt (no
// deadline: the offer waits for its agent) only when that business time never passes.
std::optional<Time> offer_deadline(const Config& config, const Pool& pool, Time now,
                                   Duration timeout);

// Decides where one lead goes. `history` is the lead's current round (offers made,
// agents offered, the prior owner found by owner_match).
Decision route(const Config& config, const Snapshot& snapshot, const Lead& lead,
               const LeadHistory& history, const RouteRequest& request, Time now,
               util::Random& random);

}  // namespace router::core
