#pragma once
// Which members of a pool may receive a lead now, and why each of the others may not.

#include <optional>
#include <string>
#include <vector>

#include "core/decision.hpp"
#include "core/model.hpp"
#include "core/snapshot.hpp"

namespace router::core {

// Everything the eligibility checks read.
struct EligibilityInput {
  const Config& config;
  const Pool& pool;
  const Snapshot& snapshot;
  const LeadHistory& history;
  const std::vector<std::string>& requires_tags;  // the rule's `requires`; empty = none
  std::optional<std::string> exclude;             // the current owner, on reassign
  Time now;
};

// The members split into eligible (configured order) and excluded (with the first reason).
struct Eligibility {
  std::vector<std::string> eligible;
  std::vector<Excluded> excluded;
};

// The instant members' shifts are judged at: now, or, when the pool's schedule is closed
// now, its next opening (a lead waiting for the office goes to who works then).
Time shift_instant(const Config& config, const Pool& pool, Time now);

// Why one member is not eligible (the first failing check, SPEC §5 order), or nullopt.
std::optional<Excluded> exclusion_of(const EligibilityInput& in, const Member& member,
                                     Time shift_time);

// Runs the checks on every member of the pool, in configured order.
Eligibility check_eligibility(const EligibilityInput& in);

}  // namespace router::core
