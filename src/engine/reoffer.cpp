#include "engine/reoffer.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/route.hpp"
#include "engine/decision_json.hpp"
#include "engine/lead_convert.hpp"
#include "engine/offers.hpp"
#include "engine/trail.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

namespace router::engine {
namespace {

// The core reads only the id when re-offering (no rules are matched), so the stored
// attributes are not parsed.
core::Lead bare_lead(const store::LeadRow& row) {
  core::Lead lead;
  lead.id = row.id;
  lead.source = row.source;
  lead.received_at = row.received_at;
  return lead;
}

// The detail of the event that ends an offer, as nlohmann::json would write the object
// (keys sorted): a sweep writes one per expired offer, so it is built directly.
std::string ended_detail(const store::OfferRow& offer, const std::string& reason) {
  std::string out = "{";
  if (offer.deadline) {
    out += "\"deadline\":\"" + util::format_rfc3339(*offer.deadline) + "\",";
  }
  out += "\"offered_at\":\"" + util::format_rfc3339(offer.offered_at) + "\",";
  out += "\"reason\":" + nlohmann::json(reason).dump() + "}";
  return out;
}

const util::Zone* zone_of(const core::Config& config, const std::string& pool) {
  const core::Pool* p = config.find_pool(pool);
  return p ? config.pool_zone(*p) : config.zone;
}

}  // namespace

OfferMover::OfferMover(store::Database& db, const core::Config& config, util::Time now,
                       util::Random& random)
    : m_routing(db), m_sweep(db), m_config(config), m_now(now), m_random(random) {}

OfferMover::~OfferMover() = default;

void OfferMover::begin() {
  m_loaded = false;
  m_bind.reset();
  m_usage.clear();
  m_rotated.clear();
  m_periods.clear();
}

void OfferMover::load() {
  if (m_loaded) {
    return;
  }
  m_loaded = true;
  const auto by_pool = pool_periods(m_config, m_now);
  const std::vector<std::pair<std::string, store::Periods>> periods(by_pool.begin(), by_pool.end());
  m_loaded_for = needs_of(m_config);
  m_loaded_for.bind = m_bind;
  m_snapshot = m_routing.load_snapshot(m_config, m_now, periods, m_loaded_for);
}

void OfferMover::only_pools(const std::vector<std::string>& pools) {
  if (m_loaded) {
    throw std::logic_error("OfferMover::only_pools after the snapshot was loaded");
  }
  std::vector<bool> bind(m_config.pools.size(), false);
  std::size_t bound = 0;
  for (const auto& name : pools) {
    if (const core::Pool* pool = m_config.find_pool(name)) {
      const auto p = static_cast<std::size_t>(pool - m_config.pools.data());
      bound += bind[p] ? 0 : 1;
      bind[p] = true;
    }
  }
  if (bound < bind.size()) {
    m_bind = std::move(bind);
  }
}

const store::Periods& OfferMover::periods(const std::string& pool, util::Time at) {
  // Formatting dates is costly and bulk offers share their times: remember each answer.
  const util::Zone* zone = zone_of(m_config, pool);
  const auto key = std::make_pair(zone, at);
  if (const auto it = m_periods.find(key); it != m_periods.end()) {
    return it->second;
  }
  auto [day, month] = usage_periods(zone, at);
  return m_periods.emplace(key, store::Periods{std::move(day), std::move(month)}).first->second;
}

void OfferMover::count_usage(const std::string& pool, const std::string& agent, util::Time at,
                             int delta) {
  const auto& [day, month] = periods(pool, at);
  m_usage[{pool, agent, day}] += delta;
  m_usage[{pool, agent, month}] += delta;
  // The snapshot holds today's and this month's usage only.
  const auto& [today, this_month] = periods(pool, m_now);
  auto& u = m_snapshot.pools[pool].usage[agent];
  if (day == today) {
    u.today = std::max(0, u.today + delta);
  }
  if (month == this_month) {
    u.month = std::max(0, u.month + delta);
  }
}

EndedOffer OfferMover::end(const store::OfferRow& offer, const store::LeadRow& lead,
                           const std::string& state, const std::string& reason) {
  load();
  m_routing.end_offer(offer.id, state, m_now);
  if (offer.pool) {
    count_usage(*offer.pool, offer.agent, offer.offered_at, -1);
  }
  auto& agent = m_snapshot.agents[offer.agent];
  agent.active = std::max(0, agent.active - 1);
  m_routing.append_event(
      {lead.id, m_now, state, offer.agent, offer.pool, lead.rule, ended_detail(offer, reason)},
      lead.source);
  return {lead.id, offer.agent, offer.pool, lead.rule, state, reason};
}

void OfferMover::mirror(const core::Decision& d) {
  // The cursor is copied once, into the snapshot; finish() saves it from there.
  if (d.pool && d.new_cursor) {
    m_snapshot.pools[*d.pool].cursor = d.new_cursor;
    m_rotated.insert(*d.pool);
  }
  for (const auto& id : d.chosen) {
    if (d.pool && d.counts_against_limits) {
      count_usage(*d.pool, id, m_now, +1);
    }
    auto& state = m_snapshot.agents[id];
    ++state.active;
    state.last_assigned_at = m_now;
  }
}

bool OfferMover::write(const core::Decision& d, const store::LeadRow& lead,
                       const std::string& expected, int round) {
  if (d.pool && m_config.find_pool(*d.pool) && !m_loaded_for.for_pool(m_config, *d.pool)) {
    // The caller's only_pools() left out a pool its leads go to: a bug, never a guess.
    throw std::logic_error("lead '" + lead.id + "' was routed outside the pools loaded");
  }
  if (!m_routing.write_decision(d, lead, expected, m_now, round, encode_trail(d, m_config, m_now),
                                m_config)) {
    return false;
  }
  mirror(d);
  return true;
}

std::optional<core::Decision> OfferMover::offer_on(const store::LeadRow& lead, core::Reason why) {
  // A broadcast (its lead row names no agent) waits while any member's offer is open. A lead
  // that names its agent held the only offer, which the caller has just ended; the lead's
  // next update below replaces it.
  if (!lead.agent) {
    for (const auto& open : m_routing.open_offers(lead.id)) {
      if (open.id != store::k_lead_offer) {
        return std::nullopt;
      }
    }
  }
  auto [round, offered] = m_routing.round_state(lead.id);
  core::LeadHistory history;
  history.attempts = static_cast<int>(lead.attempts);
  history.offered = std::move(offered);
  load();
  const auto request = core::RouteRequest::reoffer(lead.pool.value_or(""), lead.rule, why);
  core::Decision d =
      core::route(m_config, m_snapshot, bare_lead(lead), history, request, m_now, m_random);
  if (!write(d, lead, "offered", round)) {
    return std::nullopt;
  }
  return d;
}

std::optional<core::Decision> OfferMover::reroute(const store::LeadRow& lead,
                                                  const std::string& pool, core::Reason why) {
  load();
  const int round = m_routing.current_round(lead.id) + 1;
  store::LeadRow fresh_round = lead;
  fresh_round.attempts = 0;
  const auto request = core::RouteRequest::reassign(pool, lead.rule, lead.agent, why);
  core::Decision d = core::route(m_config, m_snapshot, bare_lead(lead), core::LeadHistory{},
                                 request, m_now, m_random);
  // The lead keeps the rule that first routed it, for reports; its overrides apply only
  // while it names this pool.
  if (!d.rule) {
    d.rule = lead.rule;
  }
  if (!write(d, fresh_round, "assigned", round)) {
    return std::nullopt;
  }
  return d;
}

std::optional<core::Decision> OfferMover::to_manual_queue(const store::LeadRow& lead) {
  core::Decision d;
  d.lead_id = lead.id;
  d.mode = core::RouteMode::reoffer;
  d.rule = lead.rule;
  d.outcome = core::Outcome::queue;
  d.reason = core::Reason::config_changed;
  d.note = "pool '" + lead.pool.value_or("") + "' no longer exists";
  if (!write(d, lead, "queued", 0)) {
    return std::nullopt;
  }
  return d;
}

void OfferMover::finish() {
  for (const auto& [key, delta] : m_usage) {
    if (delta != 0) {
      m_routing.add_usage(std::get<0>(key), std::get<1>(key), std::get<2>(key), delta);
    }
  }
  for (const auto& pool : m_rotated) {
    m_routing.save_rotation(pool, *m_snapshot.pools.at(pool).cursor);
  }
  m_routing.flush_deferred();
  m_usage.clear();
  m_rotated.clear();
}

DeclineResult decline(store::Database& db, const core::Config& config, util::Time now,
                      util::Random& random, const std::string& lead_id, const std::string& agent) {
  require_agent(config, agent);
  store::WriteTransaction tx(db);
  OfferMover mover(db, config, now, random);
  const store::LeadRow lead = require_lead(mover.routing(), lead_id);
  const store::OfferRow mine = require_open_offer(mover.routing(), lead, agent, now);
  mover.begin();
  if (lead.pool) {
    mover.only_pools({*lead.pool});
  }
  DeclineResult result{mover.end(mine, lead, "declined", "declined"), std::nullopt};
  result.next = mover.offer_on(lead, core::Reason::declined);
  mover.finish();
  tx.commit();
  return result;
}

}  // namespace router::engine
