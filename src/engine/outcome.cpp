#include "engine/outcome.hpp"

#include <nlohmann/json.hpp>

#include "engine/offers.hpp"
#include "store/history.hpp"
#include "store/routing.hpp"
#include "util/error.hpp"

namespace router::engine {
namespace {

// Why a lead that is not assigned cannot be closed, in words for the person who tried.
std::string not_assigned(const store::LeadRow& lead) {
  std::string why = "lead '" + lead.id + "' is " + lead.state + ", not assigned";
  if (lead.state == "offered") {
    why += " (it must be claimed first)";
  } else if (lead.state == "pending") {
    why += " (it has not been routed yet)";
  } else if (lead.state == "queued") {
    why += " (it is waiting in a queue)";
  }
  return why + "; only an assigned lead can be closed";
}

}  // namespace

OutcomeResult record_outcome(store::Database& db, util::Time now, const std::string& lead_id,
                             const std::string& outcome) {
  if (outcome != "won" && outcome != "lost") {
    throw util::UsageError("outcome must be won or lost, not '" + outcome + "'");
  }
  store::WriteTransaction tx(db);
  store::RoutingStore routing(db);
  store::HistoryStore history(db);
  const store::LeadRow lead = require_lead(routing, lead_id);
  if (lead.state == "closed") {
    const auto previous = history.outcome(lead_id);
    throw util::Refused("lead '" + lead_id + "' is already closed" +
                        (previous ? " (" + previous->outcome + ")" : std::string{}));
  }
  if (lead.state != "assigned") {
    throw util::Refused(not_assigned(lead));
  }
  if (routing.reassign_in_progress(lead_id)) {
    throw util::Refused("lead '" + lead_id + "' cannot be closed: a reassignment is in progress");
  }
  const store::LeadUpdate update{"closed",  lead.agent,   lead.pool,
                                 lead.rule, std::nullopt, lead.attempts};
  if (!routing.update_lead(lead_id, "assigned", update, now)) {
    throw util::Refused("lead '" + lead_id + "' changed meanwhile; try again");
  }
  history.add_outcome({lead_id, lead.agent, outcome, now});
  routing.append_event({lead_id, now, "closed", lead.agent, lead.pool, lead.rule,
                        nlohmann::json{{"reason", "outcome"}, {"outcome", outcome}}.dump()},
                       lead.source);
  tx.commit();
  return {lead_id, outcome, lead.agent, lead.pool};
}

}  // namespace router::engine
