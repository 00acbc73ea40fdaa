#pragma once
// From stored rows to what the core reads: a lead's attributes and its contact keys.

#include <map>
#include <string>
#include <vector>

#include "core/lead.hpp"
#include "core/model.hpp"
#include "store/leads.hpp"
#include "store/routing.hpp"

namespace router::engine {

// The core's view of a stored lead: attribute JSON becomes text values (arrays give several
// values, null none). An attributes column that is not a JSON object (written by a CRM) gives
// no attributes and sets attributes_error to the parser's message.
core::Lead to_core_lead(const store::LeadRow& row);

// The lead's owner_match keys, normalised: "email:tom@example.com" (lower case),
// "phone:447700900123" (digits only), other keys "name:value" in lower case.
std::vector<std::string> contact_keys(const core::OwnerMatch& match, const core::Lead& lead);

// Usage periods for limits at `now` in `zone`: "D2026-11-23" and "M2026-11".
std::pair<std::string, std::string> usage_periods(const util::Zone* zone, core::Time now);
// The usage periods of every pool at `now`, each zone's worked out once.
std::map<std::string, store::Periods> pool_periods(const core::Config& config, core::Time now);
// What the snapshot must load for the configured strategies (open counts, close rates).
store::SnapshotNeeds needs_of(const core::Config& config);

}  // namespace router::engine
