#pragma once
// What people do to offered and assigned leads: an agent claims an offer, ops assign by hand.

#include <optional>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "store/database.hpp"
#include "store/routing.hpp"
#include "util/clock.hpp"

namespace router::engine {

// A successful claim.
struct ClaimResult {
  std::string lead;
  std::string agent;
  std::optional<std::string> pool;
  long long seconds_to_claim = 0;      // wall time since the offer was made
  std::vector<std::string> withdrawn;  // broadcast: the others whose offers ended
};

// `router claim LEAD --agent A`: accepts A's open offer. Refused (exit 1) with the reason
// when the lead or agent is unknown, the offer is not A's, has expired (at or after the
// deadline), or the lead is already claimed.
ClaimResult claim(store::Database& db, const core::Config& config, util::Time now,
                  const std::string& lead_id, const std::string& agent);

// One lead moved by hand.
struct ManualResult {
  std::string lead;
  std::string previous_state;
  std::optional<std::string> previous_agent;
  bool changed = true;    // false: already assigned to the agent, nothing written
  bool overrode = false;  // a reassignment in progress was ended (--force)
};

// How a move by hand treats the lead.
struct ManualMove {
  bool as_reassignment = false;  // `reassign --to`: records `reassign_requested` first
  bool force = false;            // ends a reassignment in progress instead of refusing
};

// `router assign LEAD... --to AGENT`: all or nothing. Refused for an unknown lead or agent,
// a closed lead, or one whose reassignment is in progress ("reassignment in progress until
// T; wait, or use --force") — unless `how.force`, which ends it: its open offers are
// withdrawn with reason `manual_override`. Other open offers are withdrawn with reason
// `manual`. A lead already assigned to the agent is left as it is (no events). Not counted
// against limits.
std::vector<ManualResult> assign_manually(store::Database& db, const core::Config& config,
                                          util::Time now, const std::vector<std::string>& leads,
                                          const std::string& agent, const ManualMove& how = {});

// Ends an open offer and gives its place back in the pool's limits for the period the
// offer was counted in.
void release_offer(store::RoutingStore& store, const core::Config& config,
                   const store::OfferRow& offer, const std::string& state, util::Time now);

// Throws Refused("no agent 'x' (did you mean ...)") unless the agent is configured.
void require_agent(const core::Config& config, const std::string& agent);
// The pool named `name`; throws Refused("no pool 'x' (did you mean ...)") when there is none.
const core::Pool& require_pool(const core::Config& config, const std::string& name);
// The lead's row; throws Refused with the nearest existing id when absent.
store::LeadRow require_lead(store::RoutingStore& store, const std::string& lead_id);
// The agent's open offer of `lead`, still within its window at `now` — what claim and
// decline act on. Throws Refused saying why not: moved by hand (to whom, when), already
// claimed (by you or whom) or closed, not offered, offered to someone else, expired.
store::OfferRow require_open_offer(store::RoutingStore& store, const store::LeadRow& lead,
                                   const std::string& agent, util::Time now);

}  // namespace router::engine
