#include "engine/offers.hpp"

#include <nlohmann/json.hpp>

#include "engine/lead_convert.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"
#include "util/time.hpp"

namespace router::engine {
namespace {

// When `lead` (assigned) got its owner by `assign --to` or `reassign --to`: the time of the
// `assigned` event (reason manual) that no later claim or pick-up replaced.
std::optional<util::Time> moved_by_hand_at(store::RoutingStore& store, const std::string& lead) {
  const auto trail = store.events().for_lead(lead);
  for (auto e = trail.rbegin(); e != trail.rend(); ++e) {
    if (e->type == "claimed" || e->type == "picked_up") {
      return std::nullopt;
    }
    if (e->type == "assigned") {
      const auto detail = nlohmann::json::parse(e->detail, nullptr, false);
      const bool manual = detail.is_object() && detail.value("reason", "") == "manual";
      return manual ? std::optional<util::Time>{e->at} : std::nullopt;
    }
  }
  return std::nullopt;
}

// The one refusal of a move by hand while `reassign --pool` waits for a claim.
void refuse_while_reassigning(const store::LeadRow& row) {
  throw util::Refused("lead '" + row.id + "' cannot be moved by hand: reassignment in progress " +
                      (row.deadline ? "until " + util::format_rfc3339(*row.deadline)
                                    : std::string("until the offer is claimed")) +
                      "; wait, or use --force");
}

}  // namespace

void require_agent(const core::Config& config, const std::string& agent) {
  if (config.find_agent(agent)) {
    return;
  }
  std::vector<std::string> ids;
  ids.reserve(config.agents.size());
  for (const auto& a : config.agents) {
    ids.push_back(a.id);
  }
  throw util::Refused("no agent '" + agent + "'" + util::did_you_mean(agent, ids));
}

const core::Pool& require_pool(const core::Config& config, const std::string& name) {
  if (const core::Pool* pool = config.find_pool(name)) {
    return *pool;
  }
  std::vector<std::string> names;
  names.reserve(config.pools.size());
  for (const auto& p : config.pools) {
    names.push_back(p.name);
  }
  throw util::Refused("no pool '" + name + "'" + util::did_you_mean(name, names));
}

store::LeadRow require_lead(store::RoutingStore& store, const std::string& lead_id) {
  auto row = store.find(lead_id);
  if (!row) {
    throw util::Refused("no lead '" + lead_id + "'" +
                        util::did_you_mean(lead_id, store.ids_near(lead_id)));
  }
  return std::move(*row);
}

void release_offer(store::RoutingStore& store, const core::Config& config,
                   const store::OfferRow& offer, const std::string& state, util::Time now) {
  store.end_offer(offer.id, state, now);
  if (!offer.pool) {
    return;
  }
  const core::Pool* pool = config.find_pool(*offer.pool);
  const auto [day, month] =
      usage_periods(pool ? config.pool_zone(*pool) : config.zone, offer.offered_at);
  store.add_usage(*offer.pool, offer.agent, day, -1);
  store.add_usage(*offer.pool, offer.agent, month, -1);
}

store::OfferRow require_open_offer(store::RoutingStore& store, const store::LeadRow& lead,
                                   const std::string& agent, util::Time now) {
  const std::string& lead_id = lead.id;
  if (lead.state == "assigned" || lead.state == "closed") {
    const std::string owner = lead.agent.value_or("?");
    if (lead.state == "assigned") {
      if (const auto at = moved_by_hand_at(store, lead_id)) {
        throw util::Refused("lead '" + lead_id + "' was moved to " +
                            (owner == agent ? "you" : owner) + " by hand at " +
                            util::format_rfc3339(*at));
      }
    }
    throw util::Refused("lead '" + lead_id + "' is already " +
                        (lead.state == "closed" ? "closed" : "claimed") +
                        (owner == agent ? " by you" : " by " + owner));
  }
  if (lead.state != "offered") {
    throw util::Refused("lead '" + lead_id + "' is " + lead.state + ", not offered to anyone");
  }
  const auto offers = store.open_offers(lead_id);
  const auto mine = std::find_if(offers.begin(), offers.end(),
                                 [&](const store::OfferRow& o) { return o.agent == agent; });
  if (mine == offers.end()) {
    const bool single = offers.size() == 1;
    throw util::Refused("lead '" + lead_id + "' is not offered to " + agent +
                        (single ? " (it is offered to " + offers.front().agent + ")" : ""));
  }
  if (mine->deadline && now >= *mine->deadline) {
    throw util::Refused("the offer of lead '" + lead_id + "' to " + agent + " expired at " +
                        util::format_rfc3339(*mine->deadline));
  }
  return *mine;
}

ClaimResult claim(store::Database& db, const core::Config& config, util::Time now,
                  const std::string& lead_id, const std::string& agent) {
  require_agent(config, agent);
  store::WriteTransaction tx(db);
  store::RoutingStore store(db);
  const store::LeadRow lead = require_lead(store, lead_id);
  const store::OfferRow mine = require_open_offer(store, lead, agent, now);
  ClaimResult result{lead_id, agent, mine.pool, (now - mine.offered_at).count(), {}};
  store.end_offer(mine.id, "claimed", now);
  // First claim wins: a broadcast's other offers end here.
  for (const auto& other : store.open_offers(lead_id)) {
    if (other.id == mine.id) {
      continue;
    }
    release_offer(store, config, other, "withdrawn", now);
    store.append_event({lead_id, now, "withdrawn", other.agent, other.pool, lead.rule,
                        nlohmann::json{{"reason", "claimed_by_other"}, {"by", agent}}.dump()},
                       lead.source);
    result.withdrawn.push_back(other.agent);
  }
  store::LeadUpdate update{"assigned", agent, lead.pool, lead.rule, std::nullopt, lead.attempts};
  if (!store.update_lead(lead_id, "offered", update, now)) {
    throw util::Refused("lead '" + lead_id + "' changed while claiming; try again");
  }
  store.end_reassignment(lead_id);
  store.append_event({lead_id, now, "claimed", agent, lead.pool, lead.rule,
                      nlohmann::json{{"reason", "claim"},
                                     {"offered_at", util::format_rfc3339(mine.offered_at)},
                                     {"seconds_to_claim", result.seconds_to_claim}}
                          .dump()},
                     lead.source);
  tx.commit();
  return result;
}

std::vector<ManualResult> assign_manually(store::Database& db, const core::Config& config,
                                          util::Time now, const std::vector<std::string>& leads,
                                          const std::string& agent, const ManualMove& how) {
  require_agent(config, agent);
  store::WriteTransaction tx(db);
  store::RoutingStore store(db);
  std::vector<store::LeadRow> rows;
  std::vector<bool> reassigning;
  for (const auto& id : leads) {
    store::LeadRow row = require_lead(store, id);
    if (row.state == "closed") {
      throw util::Refused("lead '" + id + "' is closed");
    }
    reassigning.push_back(store.reassign_in_progress(id));
    if (reassigning.back() && !how.force) {
      refuse_while_reassigning(row);
    }
    rows.push_back(std::move(row));
  }
  std::vector<ManualResult> results;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const store::LeadRow& row = rows[i];
    if (row.state == "assigned" && row.agent == agent) {
      results.push_back({row.id, row.state, row.agent, false, false});
      continue;
    }
    if (row.state == "pending") {
      store.ensure_received(row);
    }
    if (reassigning[i]) {
      store.end_reassignment(row.id);
    }
    if (how.as_reassignment) {
      store.append_event({row.id, now, "reassign_requested", row.agent, std::nullopt, std::nullopt,
                          nlohmann::json{{"reason", "manual"}, {"to", agent}}.dump()},
                         row.source);
    }
    for (const auto& offer : store.open_offers(row.id)) {
      release_offer(store, config, offer, "withdrawn", now);
      nlohmann::json detail{{"reason", reassigning[i] ? "manual_override" : "manual"}};
      if (reassigning[i]) {
        detail["to"] = agent;
      }
      store.append_event(
          {row.id, now, "withdrawn", offer.agent, offer.pool, row.rule, detail.dump()}, row.source);
    }
    store::LeadUpdate update{"assigned",   agent,        std::nullopt,
                             std::nullopt, std::nullopt, row.attempts};
    if (!store.update_lead(row.id, row.state, update, now)) {
      throw util::Refused("lead '" + row.id + "' changed meanwhile; try again");
    }
    nlohmann::json detail{{"reason", "manual"}, {"previous_state", row.state}};
    if (row.agent) {
      detail["previous_agent"] = *row.agent;
    }
    store.append_event({row.id, now, "assigned", agent, std::nullopt, std::nullopt, detail.dump()},
                       row.source);
    results.push_back({row.id, row.state, row.agent, true, reassigning[i]});
  }
  tx.commit();
  return results;
}

}  // namespace router::engine
