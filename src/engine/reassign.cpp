#include "engine/reassign.hpp"

#include <nlohmann/json.hpp>

#include "core/route.hpp"
#include "engine/decision_json.hpp"
#include "engine/lead_convert.hpp"
#include "engine/offers.hpp"
#include "engine/trail.hpp"
#include "store/routing.hpp"
#include "util/error.hpp"

namespace router::engine {
namespace {

// The lead rows to move, checked before anything is written.
std::vector<store::LeadRow> movable(store::RoutingStore& store,
                                    const std::vector<std::string>& ids) {
  std::vector<store::LeadRow> rows;
  for (const auto& id : ids) {
    store::LeadRow row = require_lead(store, id);
    if (row.state == "closed") {
      throw util::Refused("lead '" + id + "' is closed");
    }
    if (store.reassign_in_progress(id)) {
      throw util::Refused("lead '" + id + "' is already being reassigned");
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

// Routes the rows through `pool` inside the caller's transaction.
void route_through(store::RoutingStore& store, const core::Config& config, util::Time now,
                   util::Random& random, const std::vector<store::LeadRow>& rows,
                   const core::Pool& pool, const DecisionSink& sink) {
  const auto [day, month] = usage_periods(config.pool_zone(pool), now);
  store::SnapshotNeeds needs;
  needs.active = pool.strategy == core::Strategy::least_active;
  needs.close = pool.strategy == core::Strategy::best_close_rate;
  needs.bind.emplace(config.pools.size(), false);
  (*needs.bind)[static_cast<std::size_t>(&pool - config.pools.data())] = true;
  core::Snapshot snapshot = store.load_snapshot(config, now, {{pool.name, {day, month}}}, needs);
  for (const auto& row : rows) {
    if (row.state == "pending") {
      store.ensure_received(row);  // a CRM row's story starts before the reassignment
    }
    const std::optional<std::string> owner =
        row.state == "assigned" || row.state == "offered" ? row.agent : std::nullopt;
    store.append_event({row.id, now, "reassign_requested", owner, pool.name, std::nullopt,
                        nlohmann::json{{"reason", "manual"},
                                       {"previous_state", row.state},
                                       {"previous_agent",
                                        owner ? nlohmann::json(*owner) : nlohmann::json(nullptr)}}
                            .dump()},
                       row.source);
    for (const auto& offer : store.open_offers(row.id)) {
      release_offer(store, config, offer, "withdrawn", now);
      store.append_event({row.id, now, "withdrawn", offer.agent, offer.pool, row.rule,
                          nlohmann::json{{"reason", "reassign"}}.dump()},
                         row.source);
    }
    const core::Decision d =
        core::route(config, snapshot, to_core_lead(row), core::LeadHistory{},
                    core::RouteRequest::reassign(pool.name, row.rule, owner, core::Reason::manual),
                    now, random);
    if (d.outcome == core::Outcome::offer) {
      store.begin_reassignment(row.id, pool.name, now, owner);
    }
    if (!store.write_decision(d, row, row.state, now, store.current_round(row.id) + 1,
                              encode_trail(d, config, now), config)) {
      throw util::Refused("lead '" + row.id + "' changed meanwhile; try again");
    }
    if (d.new_cursor) {
      snapshot.pools[pool.name].cursor = d.new_cursor;
      store.save_rotation(pool.name, *d.new_cursor);
    }
    for (const auto& agent : d.chosen) {
      if (d.counts_against_limits) {
        auto& usage = snapshot.pools[pool.name].usage[agent];
        ++usage.today;
        ++usage.month;
        store.add_usage(pool.name, agent, day, 1);
        store.add_usage(pool.name, agent, month, 1);
      }
      ++snapshot.agents[agent].active;
      snapshot.agents[agent].last_assigned_at = now;
    }
    sink(d);
  }
}

}  // namespace

void reassign_to_pool(store::Database& db, const core::Config& config, util::Time now,
                      util::Random& random, const std::vector<std::string>& leads,
                      const std::string& pool, const DecisionSink& sink) {
  const core::Pool& group = require_pool(config, pool);
  store::WriteTransaction tx(db);
  store::RoutingStore store(db);
  route_through(store, config, now, random, movable(store, leads), group, sink);
  tx.commit();
}

std::size_t reassign_from(store::Database& db, const core::Config& config, util::Time now,
                          util::Random& random, const std::string& agent, const std::string& pool,
                          const DecisionSink& sink) {
  require_agent(config, agent);
  const core::Pool& group = require_pool(config, pool);
  store::WriteTransaction tx(db);
  store::RoutingStore store(db);
  auto rows = movable(store, store.open_leads_of(agent));
  for (auto& row : rows) {
    // A broadcast offer names no single agent: the one leaving is the owner to exclude.
    if (!row.agent) {
      row.agent = agent;
    }
  }
  route_through(store, config, now, random, rows, group, sink);
  tx.commit();
  return rows.size();
}

std::vector<ManualResult> reassign_to_agent(store::Database& db, const core::Config& config,
                                            util::Time now, const std::vector<std::string>& leads,
                                            const std::string& agent, bool force) {
  return assign_manually(db, config, now, leads, agent, ManualMove{true, force});
}

}  // namespace router::engine
