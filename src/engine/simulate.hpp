#pragma once
// `router simulate --with NEW.yaml`: replays a period's leads through the current
// configuration and through NEW, each in a scratch in-memory database driven by the real
// engine (assign, sweep, claim, decline...) at the recorded times, and counts per agent,
// pool and rule what each side did. The real database is only read.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "store/database.hpp"
#include "store/record_store.hpp"
#include "util/clock.hpp"

namespace router::engine {

// What to simulate.
struct SimulateRequest {
  util::Time since;
  util::Time until;
  std::optional<core::Duration> sla;  // nullopt: each pool's claim_timeout
  std::optional<std::uint64_t> seed;  // --seed; nullopt: unpredictable draws
};

// One group's figures over the period. Times to claim are business time of the offer's
// pool (wall time for a pool without a schedule).
struct SimFigures {
  std::int64_t leads = 0;       // distinct leads the group saw
  std::int64_t offered = 0;     // offers made (one per agent for broadcast)
  std::int64_t claimed = 0;     // offers claimed
  std::int64_t declined = 0;    // offers declined
  std::int64_t expired = 0;     // offers that ran out
  std::int64_t assigned = 0;    // leads that became owned: claims, direct and manual assignments
  std::int64_t picked_up = 0;   // pulled from a queue
  std::int64_t defaulted = 0;   // given to the default agent (default or exhausted)
  std::int64_t queued = 0;      // sent to the manual queue or an open pool's queue
  std::int64_t limit_hits = 0;  // members passed over at a daily or monthly limit
  std::int64_t sla_misses = 0;  // offers that waited longer than the SLA
  std::optional<double> share;  // agents: of the leads owned; pools, rules: of the leads
  std::optional<double> median_claim_seconds;
  std::optional<std::int64_t> p90_claim_seconds;
};

// A named group (an agent, pool or rule) and its figures.
struct SimRow {
  std::string name;
  SimFigures figures;
};

// One side: the record, the current configuration or NEW.
struct SimSide {
  std::vector<SimRow> agents;  // configured agents first (in file order), then others seen
  std::vector<SimRow> pools;
  std::vector<SimRow> rules;
  SimFigures total;
  bool limits_known = true;                      // false for the record: limit hits are not stored
  std::map<std::string, std::int64_t> replayed;  // manual actions replayed, by event type
  std::map<std::string, std::int64_t> skipped;   // manual actions whose lead was elsewhere
};

// The whole answer. `diff` holds NEW − current per name (missing names count as zero);
// its rows are sorted by the size of their change, largest first.
struct SimulateResult {
  util::Time since;
  util::Time until;
  std::optional<core::Duration> sla;  // as requested
  std::int64_t leads = 0;
  SimSide recorded;
  SimSide current;
  SimSide proposed;
  SimSide diff;
};

// Replays the period of `db` through both configurations. `db` is only read.
SimulateResult simulate(store::Database& db, const core::Config& current,
                        const core::Config& proposed, const SimulateRequest& request);

// Members passed over at a limit during a replay, by the agent, the pool and the rule of
// the decision.
struct LimitHits {
  std::map<std::string, std::int64_t> agents;
  std::map<std::string, std::int64_t> pools;
  std::map<std::string, std::int64_t> rules;
  std::int64_t total = 0;
};

// Counts one side's figures from its events as they stream past (those of the period's
// leads, in seq order), so that no side's events need be held at once. `config` gives the
// pools' schedules and claim timeouts.
class SideTally {
public:
  SideTally(const core::Config& config, std::optional<core::Duration> sla);
  SideTally(const SideTally&) = delete;
  SideTally& operator=(const SideTally&) = delete;
  ~SideTally();

  void add(const store::RecordEvent& e);
  // The figures of the `leads` leads: offers still open count as waiting until `until`;
  // null `limit_hits` leaves the limit figures unknown (the record).
  SimSide finish(std::int64_t leads, util::Time until, const LimitHits* limit_hits);

private:
  struct State;
  std::unique_ptr<State> m_state;
};

// The differences `proposed` − `current`, row by row.
SimSide difference(const SimSide& current, const SimSide& proposed);

}  // namespace router::engine
