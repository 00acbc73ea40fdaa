#pragma once
// `router coverage` and `validate --coverage`: the leaves the database knows, and every
// pool's coverage over the next weeks (core/coverage.hpp).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/coverage.hpp"
#include "core/model.hpp"
#include "store/database.hpp"

namespace router::engine {

// What to judge: [now, now + weeks), one pool or all.
struct CoverageRequest {
  core::Time now;
  int weeks = 4;
  std::optional<std::string> pool;
  std::optional<core::Time> since;  // --since: arrivals over [since, now) against capacity
};

// The received_at of the leads of a period, by the pool they were first routed to.
using Arrivals = std::map<std::string, std::vector<core::Time>>;

// Every pool judged, in configuration order.
struct CoverageResult {
  core::Time from;
  core::Time to;
  std::optional<core::Time> since;  // set with --since; the period is [since, from)
  std::vector<core::PoolCoverage> pools;
  // True when any pool or rule has a gap.
  bool has_gaps() const;
  // True when any pool's arrivals exceeded its daily limits on some day.
  bool over_limits() const;
};

// The leaves running at `now` for the configured agents: status leave, with `until` when it
// ends by itself. Other statuses (away, offline) say nothing about the weeks ahead.
std::vector<core::Leave> known_leaves(store::Database& db, const core::Config& config,
                                      core::Time now);

// The leads received in [since, until) that were routed to a pool, by that pool
// (store::ReportStore::arrivals).
Arrivals pool_arrivals(store::Database& db, core::Time since, core::Time until);

// Judges the pools (all, or the one named: Refused with the nearest name when unknown); with
// request.since, each pool's `demand` from `arrivals` (a pool absent there had none).
CoverageResult coverage(const core::Config& config, const std::vector<core::Leave>& leaves,
                        const CoverageRequest& request, const Arrivals& arrivals = {});

}  // namespace router::engine
