#include "engine/coverage.hpp"

#include <algorithm>

#include "engine/offers.hpp"
#include "store/agents.hpp"
#include "store/read_transaction.hpp"
#include "store/report_store.hpp"

namespace router::engine {

bool CoverageResult::has_gaps() const {
  return std::any_of(pools.begin(), pools.end(),
                     [](const core::PoolCoverage& p) { return p.has_gaps(); });
}

bool CoverageResult::over_limits() const {
  return std::any_of(pools.begin(), pools.end(),
                     [](const core::PoolCoverage& p) { return p.over_limits(); });
}

Arrivals pool_arrivals(store::Database& db, core::Time since, core::Time until) {
  Arrivals out;
  store::ReportStore store(db);
  for (auto& row : store.arrivals(since, until)) {
    out[row.pool].push_back(row.received_at);
  }
  return out;
}

std::vector<core::Leave> known_leaves(store::Database& db, const core::Config& config,
                                      core::Time now) {
  store::ReadTransaction tx(db);
  const auto states = store::AgentStore(db).states();
  std::vector<core::Leave> out;
  for (const auto& agent : config.agents) {
    const auto it = states.find(agent.id);
    if (it == states.end() || it->second.status != "leave") {
      continue;
    }
    if (!it->second.until || *it->second.until > now) {
      out.push_back({agent.id, it->second.until});
    }
  }
  return out;
}

CoverageResult coverage(const core::Config& config, const std::vector<core::Leave>& leaves,
                        const CoverageRequest& request, const Arrivals& arrivals) {
  CoverageResult result;
  result.from = request.now;
  result.since = request.since;
  result.to = request.now + std::chrono::days{7} * request.weeks;
  if (request.pool) {
    require_pool(config, *request.pool);
  }
  for (const auto& pool : config.pools) {
    if (!request.pool || *request.pool == pool.name) {
      result.pools.push_back(core::pool_coverage(config, pool, leaves, result.from, result.to));
      if (request.since) {
        const auto it = arrivals.find(pool.name);
        result.pools.back().demand = core::pool_demand(
            config, pool, it == arrivals.end() ? std::vector<core::Time>{} : it->second);
      }
    }
  }
  return result;
}

}  // namespace router::engine
