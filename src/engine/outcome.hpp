#pragma once
// `router outcome LEAD won|lost`: closes an assigned lead with its result, which feeds the
// best_close_rate strategy.

#include <optional>
#include <string>

#include "core/model.hpp"
#include "store/database.hpp"
#include "util/clock.hpp"

namespace router::engine {

// A closed lead.
struct OutcomeResult {
  std::string lead;
  std::string outcome;  // won | lost
  std::optional<std::string> agent;
  std::optional<std::string> pool;
};

// Closes an assigned lead: state closed (the owner kept), an outcomes row and a `closed`
// event, in one transaction. Throws UsageError for an outcome other than won|lost; Refused
// for an unknown lead, one not assigned (offered, pending, queued), one already closed, or
// one being reassigned.
OutcomeResult record_outcome(store::Database& db, util::Time now, const std::string& lead_id,
                             const std::string& outcome);

}  // namespace router::engine
