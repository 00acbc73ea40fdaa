#pragma once
// `router reassign`: route existing leads again through a pool used as a reassignment group,
// or move them straight to an agent (seed 001: reassignment groups).

#include <optional>
#include <string>
#include <vector>

#include "core/decision.hpp"
#include "core/model.hpp"
#include "engine/assign.hpp"
#include "engine/offers.hpp"
#include "store/database.hpp"
#include "util/clock.hpp"
#include "util/random.hpp"

namespace router::engine {

// `reassign LEAD... --pool P`: each lead is routed through P by its strategy, claim window
// and default, excluding its current owner, as a new round (earlier offers exclude no one).
// While the new offer waits for a claim the reassignment is in progress: the lead cannot be
// assigned by hand. Open offers are withdrawn first. Counted against P's limits only when
// P's strategy chose the member. All or nothing; refused (exit 1) for an unknown lead or
// pool, a closed lead, or one already being reassigned.
void reassign_to_pool(store::Database& db, const core::Config& config, util::Time now,
                      util::Random& random, const std::vector<std::string>& leads,
                      const std::string& pool, const DecisionSink& sink);

// `reassign --from AGENT --pool P`: every lead offered or assigned to AGENT, through P.
// Returns the number of leads moved.
std::size_t reassign_from(store::Database& db, const core::Config& config, util::Time now,
                          util::Random& random, const std::string& agent, const std::string& pool,
                          const DecisionSink& sink);

// `reassign LEAD... --to AGENT`: a direct move (reason manual). Refused like `assign --to`
// while a reassignment is in progress, unless `force`, which ends it (offers withdrawn with
// reason manual_override). The current owner: nothing changes.
std::vector<ManualResult> reassign_to_agent(store::Database& db, const core::Config& config,
                                            util::Time now, const std::vector<std::string>& leads,
                                            const std::string& agent, bool force);

}  // namespace router::engine
