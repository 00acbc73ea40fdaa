#include "engine/pickup.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "core/match.hpp"
#include "engine/lead_convert.hpp"
#include "engine/offers.hpp"
#include "store/queue_store.hpp"
#include "store/routing.hpp"
#include "util/error.hpp"

namespace router::engine {
namespace {

// The pools through which an agent may pull: open pools (their own queue) and pools with
// `pickup` (the manual queue, filtered by `when`).
struct Allowed {
  std::vector<const core::Pool*> open_pools;
  std::vector<const core::Pool*> pickup_pools;
};

bool is_member(const core::Pool& pool, const std::string& agent) {
  return std::any_of(pool.members.begin(), pool.members.end(),
                     [&](const core::Member& m) { return m.agent == agent; });
}

Allowed allowed_pools(const core::Config& config, const std::string& agent,
                      const std::optional<std::string>& only) {
  if (only) {
    require_pool(config, *only);
  }
  Allowed allowed;
  for (const auto& pool : config.pools) {
    if ((only && pool.name != *only) || !is_member(pool, agent)) {
      continue;
    }
    if (pool.strategy == core::Strategy::open_pool) {
      allowed.open_pools.push_back(&pool);
    }
    if (pool.pickup) {
      allowed.pickup_pools.push_back(&pool);
    }
  }
  if (allowed.open_pools.empty() && allowed.pickup_pools.empty()) {
    throw util::Refused(only ? agent + " may not pick up from pool '" + *only +
                                   "': not a member, or the pool is neither an open_pool nor "
                                   "has pickup"
                             : agent + " is in no open_pool and no pool with pickup");
  }
  return allowed;
}

// The first pickup pool whose `when` the manual-queue lead matches, if any.
const core::Pool* pickup_pool_for(const Allowed& allowed, const store::LeadRow& row) {
  const core::Lead lead = to_core_lead(row);
  for (const core::Pool* pool : allowed.pickup_pools) {
    if (core::match_conditions(pool->pickup->when, lead).matched) {
      return pool;
    }
  }
  return nullptr;
}

// The oldest manual-queue lead some pickup pool lets the agent take.
std::optional<std::pair<store::QueuedLead, const core::Pool*>>
oldest_manual(store::QueueStore& queue, const Allowed& allowed) {
  if (allowed.pickup_pools.empty()) {
    return std::nullopt;
  }
  util::Time after{std::chrono::seconds{INT64_MIN}};
  std::int64_t after_rowid = INT64_MIN;
  constexpr std::size_t k_page = 500;
  while (true) {
    const auto page = queue.manual_after(after, after_rowid, k_page);
    for (const auto& q : page) {
      if (const core::Pool* pool = pickup_pool_for(allowed, q.row)) {
        return std::pair{q, pool};
      }
    }
    if (page.size() < k_page) {
      return std::nullopt;
    }
    after = page.back().row.received_at;
    after_rowid = page.back().rowid;
  }
}

std::vector<std::string> names_of(const std::vector<const core::Pool*>& pools) {
  std::vector<std::string> out;
  for (const auto* p : pools) {
    out.push_back(p->name);
  }
  return out;
}

// Checks a lead named with --lead; returns the allowing pool and where it came from.
std::pair<const core::Pool*, std::string>
check_named(const Allowed& allowed, const store::LeadRow& row, const std::string& agent) {
  if (row.state != "queued") {
    throw util::Refused("lead '" + row.id + "' is " + row.state + ", not queued");
  }
  if (row.pool) {
    for (const core::Pool* pool : allowed.open_pools) {
      if (pool->name == *row.pool) {
        return {pool, "open_pool"};
      }
    }
    throw util::Refused("lead '" + row.id + "' waits in pool '" + *row.pool + "', which " + agent +
                        " may not pick up from");
  }
  if (const core::Pool* pool = pickup_pool_for(allowed, row)) {
    return {pool, "manual_queue"};
  }
  throw util::Refused("lead '" + row.id + "' does not match the pickup rules of " + agent +
                      "'s pools");
}

}  // namespace

PickupResult pickup(store::Database& db, const core::Config& config, util::Time now,
                    const std::string& agent, const std::optional<std::string>& pool,
                    const std::optional<std::string>& lead) {
  require_agent(config, agent);
  const Allowed allowed = allowed_pools(config, agent, pool);
  store::WriteTransaction tx(db);
  store::RoutingStore store(db);
  store::QueueStore queue(db);

  std::optional<store::LeadRow> row;
  const core::Pool* via = nullptr;
  std::string from;
  if (lead) {
    row = require_lead(store, *lead);
    std::tie(via, from) = check_named(allowed, *row, agent);
  } else {
    auto open = queue.oldest_in_pools(names_of(allowed.open_pools));
    auto manual = oldest_manual(queue, allowed);
    const bool take_manual =
        manual && (!open || std::pair(manual->first.row.received_at, manual->first.rowid) <
                                std::pair(open->row.received_at, open->rowid));
    if (take_manual) {
      row = manual->first.row;
      via = manual->second;
      from = "manual_queue";
    } else if (open) {
      row = open->row;
      via = config.find_pool(*open->row.pool);
      from = "open_pool";
    } else {
      throw util::Refused("nothing to pick up for " + agent);
    }
  }
  store::LeadUpdate update{"assigned", agent, via->name, row->rule, std::nullopt, row->attempts};
  if (!store.update_lead(row->id, "queued", update, now)) {
    throw util::Refused("lead '" + row->id + "' was taken meanwhile; try again");
  }
  store.append_event({row->id, now, "picked_up", agent, via->name, row->rule,
                      nlohmann::json{{"reason", "pickup"}, {"from", from}}.dump()},
                     row->source);
  tx.commit();
  return {row->id, agent, via->name, from};
}

}  // namespace router::engine
