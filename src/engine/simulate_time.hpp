#pragma once
// Business time as `router simulate` measures and replays it: on the schedule of the pool an
// offer came from, or wall time when the pool has none (or is not configured).

#include <optional>
#include <string>

#include "core/model.hpp"
#include "util/clock.hpp"

namespace router::engine {

// Open time of `pool`'s schedule in [a, b); wall time without one; zero when b <= a.
core::Duration business_between(const core::Config& config, const std::optional<std::string>& pool,
                                util::Time a, util::Time b);

// When `d` of `pool`'s business time has passed after `t` (t + d without a schedule);
// nullopt when the schedule never gives that much open time.
std::optional<util::Time> business_after(const core::Config& config,
                                         const std::optional<std::string>& pool, util::Time t,
                                         core::Duration d);

// The SLA an offer of `pool` is judged against: `sla` when given, else the pool's
// claim_timeout; nullopt when neither (no SLA).
std::optional<core::Duration> sla_of(const core::Config& config,
                                     const std::optional<std::string>& pool,
                                     std::optional<core::Duration> sla);

}  // namespace router::engine
