#include "engine/ingest.hpp"

#include "store/leads.hpp"
#include "util/error.hpp"

namespace router::engine {

IngestResult ingest(store::Database& db, std::istream& in, LeadFormat format,
                    const std::string& name, core::Time now) {
  // Staging holds the whole input outside the database's write lock, so memory stays
  // flat for large files and a bad line late in the input leaves nothing behind.
  store::LeadImport import(db);
  read_leads(in, format, name, now, [&](LeadRecord&& r) {
    const store::NewLead lead{std::move(r.id), std::move(r.source), std::move(r.attributes),
                              r.received_at};
    if (const auto earlier = import.stage(lead, r.line)) {
      throw util::InputError(name + ":" + std::to_string(r.line) + ": id '" + lead.id +
                             "' already appears on line " + std::to_string(*earlier));
    }
  });
  const auto result = import.commit();
  return IngestResult{result.added, result.skipped};
}

}  // namespace router::engine
