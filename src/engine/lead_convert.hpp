#pragma once
// From stored rows to what the core reads: a lead's attributes and its contact keys.

#include <string>
#include <vector>

#include "core/lead.hpp"
#include "core/model.hpp"
#include "store/leads.hpp"

namespace router::engine {

// The core's view of a stored lead: attribute JSON becomes text values (arrays give several
// values, null none). A malformed attributes column (written by a CRM) gives no attributes.
core::Lead to_core_lead(const store::LeadRow& row);

// The lead's owner_match keys, normalised: "email:tom@example.com" (lower case),
// "phone:447700900123" (digits only), other keys "name:value" in lower case.
std::vector<std::string> contact_keys(const core::OwnerMatch& match, const core::Lead& lead);

// Usage periods for limits at `now` in `zone`: "D2026-11-23" and "M2026-11".
std::pair<std::string, std::string> usage_periods(const date::time_zone* zone, core::Time now);

}  // namespace router::engine
