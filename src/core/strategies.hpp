#pragma once
// How a pool chooses among its eligible members (SPEC §5 table), and the round-robin
// rotation that every single-agent strategy moves and every tie falls back to.

#include <optional>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "core/snapshot.hpp"
#include "util/random.hpp"

namespace router::core {

// Everything a strategy reads.
struct StrategyInput {
  const Config& config;
  const Pool& pool;
  const Snapshot& snapshot;
  const std::vector<std::string>& eligible;  // non-empty, in configured member order
  Time now;
};

// A strategy's answer: who gets the offer or lead, and where the rotation now stands.
struct Choice {
  std::vector<std::string> chosen;       // one agent; every eligible one for broadcast
  std::optional<RotationCursor> cursor;  // set when one agent was picked
  std::string note;                      // e.g. "round_robin: next after stephanie"
};

// The pool's member ids in configured order.
std::vector<std::string> member_ids(const Pool& pool);

// Index into `members` where the rotation continues: after the cursor's agent, or, when
// that agent has left, after the position they had (the first later member of the old order
// still present, else the same index). 0 without a cursor.
std::size_t rotation_start(const std::vector<std::string>& members,
                           const std::optional<RotationCursor>& cursor);

// `candidates` (a subset of `members`) in rotation order starting at `start`.
std::vector<std::string> in_rotation_order(const std::vector<std::string>& members,
                                           std::size_t start,
                                           const std::vector<std::string>& candidates);

// Applies the pool's strategy. open_pool chooses nobody (the lead is queued in the pool).
Choice choose(const StrategyInput& in, util::Random& random);

}  // namespace router::core
