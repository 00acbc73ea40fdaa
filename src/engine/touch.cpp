#include "engine/touch.hpp"

#include <nlohmann/json.hpp>

#include "engine/offers.hpp"
#include "store/routing.hpp"
#include "store/sweep_store.hpp"
#include "util/error.hpp"

namespace router::engine {

TouchResult touch(store::Database& db, const core::Config& config, util::Time now,
                  const std::string& lead_id, const std::optional<std::string>& agent) {
  if (agent) {
    require_agent(config, *agent);
  }
  store::WriteTransaction tx(db);
  store::RoutingStore routing(db);
  const store::LeadRow lead = require_lead(routing, lead_id);
  if (lead.state == "closed") {
    throw util::Refused("lead '" + lead_id + "' is closed");
  }
  const bool owned = lead.state == "assigned" && lead.agent;
  if (agent && !(owned && *lead.agent == *agent)) {
    throw util::Refused(
        "lead '" + lead_id + "' is not assigned to " + *agent +
        (owned ? " (its owner is " + *lead.agent + ")" : " (it is " + lead.state + ")"));
  }
  if (lead.state == "pending") {
    routing.ensure_received(lead);  // a CRM row's first event must be its `received`
  }
  store::SweepStore sweep(db);
  sweep.set_touched(lead_id, now);
  nlohmann::json detail{{"reason", agent ? "agent" : "touch"}};
  routing.append_event(
      {lead_id, now, "touched", agent ? agent : lead.agent, lead.pool, lead.rule, detail.dump()},
      lead.source);
  tx.commit();
  return {lead_id, lead.state, owned ? lead.agent : std::nullopt};
}

}  // namespace router::engine
