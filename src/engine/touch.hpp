#pragma once
// `router touch`: records activity on a lead, which restarts its stale_after clock.

#include <optional>
#include <string>

#include "core/model.hpp"
#include "store/database.hpp"
#include "util/clock.hpp"

namespace router::engine {

// A recorded touch.
struct TouchResult {
  std::string lead;
  std::string state;
  std::optional<std::string> owner;
};

// Sets the lead's touched_at to now and appends a `touched` event, in one transaction.
// Refused (exit 1) for an unknown lead or agent, a closed lead, or when `agent` is given
// and is not the lead's owner.
TouchResult touch(store::Database& db, const core::Config& config, util::Time now,
                  const std::string& lead_id, const std::optional<std::string>& agent);

}  // namespace router::engine
