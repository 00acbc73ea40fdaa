#pragma once
// `router coverage` and `validate --coverage`: the leaves the database knows, and every
// pool's coverage over the next weeks (core/coverage.hpp).

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
};

// Every pool judged, in configuration order.
struct CoverageResult {
  core::Time from;
  core::Time to;
  std::vector<core::PoolCoverage> pools;
  // True when any pool or rule has a gap.
  bool has_gaps() const;
};

// The leaves running at `now` for the configured agents: status leave, with `until` when it
// ends by itself. Other statuses (away, offline) say nothing about the weeks ahead.
std::vector<core::Leave> known_leaves(store::Database& db, const core::Config& config,
                                      core::Time now);

// Throws Refused (exit 1, as for every command) naming the nearest pool when `name` is not a
// pool.
void check_pool(const core::Config& config, const std::string& name);

// Judges the pools (all, or the one named: Refused with the nearest name when unknown).
CoverageResult coverage(const core::Config& config, const std::vector<core::Leave>& leaves,
                        const CoverageRequest& request);

}  // namespace router::engine
