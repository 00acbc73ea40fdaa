#pragma once
// `router sweep`, the job cron runs every minute (SPEC §6): ends leaves, honours
// configuration changes, takes back offers from unavailable agents, expires offers and
// offers the leads on, re-routes stale leads, routes pending leads. Bounded batches, each
// its own write transaction; safe to overlap with itself and to run twice at one --now.

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "core/decision.hpp"
#include "core/model.hpp"
#include "engine/reoffer.hpp"
#include "store/database.hpp"
#include "util/clock.hpp"
#include "util/random.hpp"

namespace router::engine {

// How to sweep.
struct SweepOptions {
  bool dry_run = false;           // decide and report, write nothing
  std::size_t batch_size = 5000;  // items per transaction (as assign)
};

// One change the sweep made (or would make, in a dry run).
struct SweepNews {
  // What kind of change.
  enum class Kind { leave_ended, offer_ended, routed };
  Kind kind = Kind::routed;
  std::string step;                 // leaves | config | unavailable | expiry | stale | pending
  std::optional<EndedOffer> ended;  // offer_ended
  const core::Decision* routed = nullptr;  // routed: where the lead went (during the call)
  std::string agent;                       // leave_ended: whose leave
  util::Time until{};                      // leave_ended: when it ran out
};

// Called once per change, after it is written (or decided, in a dry run).
using NewsSink = std::function<void(const SweepNews&)>;

// What a run did, counted for the log and the metrics file.
struct SweepSummary {
  std::size_t leaves_ended = 0;
  std::map<std::string, std::size_t> handled;  // by outcome: expired, withdrawn, offered...

  // True when the run changed nothing.
  bool idle() const { return leaves_ended == 0 && handled.empty(); }
};

// The database counters the sweep adds to (SweepStore::counters): leads handled, by
// outcome (the name ends with it), and leaves ended, over every sweep the database has seen.
inline constexpr const char* k_counter_handled = "sweep.leads_handled.";
inline constexpr const char* k_counter_leaves_ended = "sweep.leaves_ended";

// Runs every step of the sweep. Throws BusyError when another process holds the write lock
// past the busy timeout (batches committed before stay committed), DbError on failure.
SweepSummary sweep(store::Database& db, const core::Config& config, util::Time now,
                   util::Random& random, const SweepOptions& options, const NewsSink& sink);

// The latest instant whose activity makes a lead of `pool` stale at `now`: stale_after of
// the pool schedule's business time before now (wall time without a schedule), exact
// however far back. nullopt when the pool has no stale_after, or that much open time never
// passed before now (since the year 0001).
std::optional<util::Time> stale_cutoff(const core::Config& config, const core::Pool& pool,
                                       util::Time now);

}  // namespace router::engine
