#pragma once
// `router explain LEAD`: everything recorded about one lead — its row, the routing decisions
// (rules tried, members excluded, the strategy's choice), its offers, outcome and events.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model.hpp"
#include "store/database.hpp"
#include "store/events.hpp"
#include "store/history.hpp"
#include "store/leads.hpp"

namespace router::engine {

// What `explain` shows, read in one consistent snapshot of the database.
struct Explanation {
  store::LeadRow lead;
  std::vector<store::DecisionRecord> decisions;  // oldest first; detail = Decision JSON
  std::vector<store::OfferRecord> offers;
  std::vector<store::EventRow> events;
  std::optional<store::OutcomeRecord> outcome;
};

// Reads the lead's history. Throws Refused with the nearest ids for an unknown lead.
// Decisions kept as trails are rebuilt under the configuration each was made under:
// `current` when it is that one, else the text stored in the database, loaded again.
Explanation explain(store::Database& db, const std::string& lead_id,
                    const core::Config* current = nullptr);

// {"lead": {...every column...}, "decisions": [...], "offers": [...], "events": [...],
// "outcome": {...} or null}. Times are RFC 3339; JSON columns are parsed.
nlohmann::ordered_json explanation_json(const Explanation& e);

// A decision record's JSON with its time as "at" first; a malformed one as {"at", "raw"}.
nlohmann::ordered_json decision_record_json(const store::DecisionRecord& d);

}  // namespace router::engine
