#pragma once
// How a pool's arrivals against its daily limits read (`coverage --since`): the text section
// printed after the pool's gaps, and its `demand` object in JSON.

#include <string>

#include <nlohmann/json.hpp>

#include "core/demand.hpp"
#include "util/clock.hpp"

namespace router::cli {

// "arrivals exceed the daily limits: 3 leads, limits 2": one over-limit day's reason.
std::string over_text(const core::OverLimit& over);

// The section: a week grid of arrivals per hour (`!` the hour the limits ran out), who is on
// duty each day with their limits, and the days over the limits. Lines fit in 80 columns.
std::string demand_text(const core::PoolDemand& demand, util::Time since, util::Time until);

// {since, until, total, arrivals (7 × 24), on_duty (7 × 24 lists), days, over}.
nlohmann::ordered_json demand_json(const core::PoolDemand& demand, util::Time since,
                                   util::Time until);

}  // namespace router::cli
