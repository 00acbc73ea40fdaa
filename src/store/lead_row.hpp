#pragma once
// Internal to src/store: the one way a `leads` row is selected and read.

#include <SQLiteCpp/Statement.h>

#include "store/leads.hpp"

namespace router::store {

// The columns read_lead_row expects, in its order.
inline constexpr const char* k_lead_columns =
    "id, source, attributes, received_at, state, agent, pool, rule, deadline, attempts, "
    "updated_at, touched_at";

// The lead in the k_lead_columns starting at column `first` of the current row.
LeadRow read_lead_row(SQLite::Statement& s, int first = 0);

}  // namespace router::store
