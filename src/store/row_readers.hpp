#pragma once
// Internal to src/store: the one way a `leads` or `offers` row is selected and read.

#include "store/sql.hpp"

#include "store/leads.hpp"
#include "store/routing.hpp"

namespace router::store {

// The columns read_lead_row expects, in its order.
inline constexpr const char* k_lead_columns =
    "id, source, attributes, received_at, state, agent, pool, rule, deadline, attempts, "
    "updated_at, touched_at";

// The lead in the k_lead_columns starting at column `first` of the current row.
LeadRow read_lead_row(sql::Statement& s, int first = 0);

// The columns read_offer_row expects, in its order.
inline constexpr const char* k_offer_columns = "id, lead_id, agent, pool, offered_at, deadline";

// The offer in the k_offer_columns starting at column `first` of the current row.
OfferRow read_offer_row(sql::Statement& s, int first = 0);

}  // namespace router::store
