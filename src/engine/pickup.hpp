#pragma once
// `router pickup`: an agent pulls a queued lead (SPEC §5 "Pull").

#include <optional>
#include <string>

#include "core/model.hpp"
#include "store/database.hpp"
#include "util/clock.hpp"

namespace router::engine {

// A lead an agent picked up.
struct PickupResult {
  std::string lead;
  std::string agent;
  std::string pool;  // the pool that allowed the pick-up
  std::string from;  // "open_pool" or "manual_queue"
};

// Assigns to `agent` the oldest lead they may pull (or `lead` when given): leads queued in
// an open_pool they are a member of, and manual-queue leads matching the `pickup.when` of a
// pool they are a member of. `pool` restricts to one pool. Never counted against limits.
// Refused (exit 1) when the agent is not allowed or there is nothing to pick up.
PickupResult pickup(store::Database& db, const core::Config& config, util::Time now,
                    const std::string& agent, const std::optional<std::string>& pool,
                    const std::optional<std::string>& lead);

}  // namespace router::engine
