#pragma once
// `router assign`: routes pending leads through owner_match and the rules, in arrival order,
// in bounded batches that are each one write transaction.

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/decision.hpp"
#include "core/model.hpp"
#include "store/database.hpp"
#include "util/clock.hpp"
#include "util/random.hpp"

namespace router::engine {

// What to route.
struct AssignOptions {
  std::vector<std::string> leads;  // only these (each must be pending); empty = all pending
                                   // that were received by `now`
  bool dry_run = false;            // decide and report, write nothing
  std::size_t batch_size = 5000;   // leads per transaction
  // Each decision given to the sink says why every rule before its own missed (what
  // `--format json` prints); false when nothing prints them, which saves building the texts.
  bool rule_texts = true;
  // Called inside each batch's write transaction just before it commits (never in a dry
  // run), so a caller can write what the batch changed in the same transaction.
  std::function<void()> before_commit;
};

// Counts of what a run did, by outcome.
struct AssignSummary {
  std::size_t routed = 0;
  std::size_t offered = 0;
  std::size_t assigned = 0;
  std::size_t queued = 0;
  std::size_t skipped = 0;  // taken by another process meanwhile
};

// Called once per decision, after it is written (or decided, in a dry run).
using DecisionSink = std::function<void(const core::Decision&)>;

// Routes pending leads; those received after `now` wait for a later run. Throws Refused
// for a named lead that does not exist or is not pending, BusyError/DbError from the store.
AssignSummary assign(store::Database& db, const core::Config& config, util::Time now,
                     util::Random& random, const AssignOptions& options, const DecisionSink& sink);

}  // namespace router::engine
