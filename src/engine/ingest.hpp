#pragma once
// `router ingest`: add leads from a lead file, all or nothing (SPEC §4).

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "engine/lead_file.hpp"
#include "store/database.hpp"

namespace router::engine {

// What an ingest did.
struct IngestResult {
  std::size_t ingested = 0;          // leads added, each with its `received` event
  std::vector<std::string> skipped;  // ids already in the database, in input order
};

// Reads every lead from `in` (named `name` in messages) and adds the new ones in one
// transaction. Any bad line or an id repeated within the input throws util::InputError
// naming the line, and nothing is written. Leads without received_at get `now`.
IngestResult ingest(store::Database& db, std::istream& in, LeadFormat format,
                    const std::string& name, core::Time now);

}  // namespace router::engine
