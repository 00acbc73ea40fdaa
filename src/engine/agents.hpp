#pragma once
// `router agent ...`: agents' status, presence, metrics, their listing and history.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "store/agents.hpp"
#include "store/database.hpp"
#include "util/clock.hpp"

namespace router::engine {

// One `KEY=VALUE` metric from the command line.
struct MetricValue {
  std::string key;
  double value = 0;
};

// Parses "pending=3": key [a-z0-9_]+, value a finite number. Throws UsageError naming the pair.
MetricValue parse_metric(std::string_view pair);

// What `agent set` changed.
struct StatusChange {
  std::string agent;
  std::string previous;  // the effective status before (an ended leave reads "available")
  std::string status;
  std::optional<util::Time> until;
};

// Sets an agent's status, with `until` only for leave (a leave that ends by itself), and
// logs it, in one transaction. Throws Refused for an unknown agent, UsageError for an unknown
// status, `until` without leave, or an `until` not in the future.
StatusChange set_status(store::Database& db, const core::Config& config, util::Time now,
                        const std::string& agent, const std::string& status,
                        std::optional<util::Time> until);

// What `agent login|logout` did; `changed` is false when they already were in that state
// (then nothing is written).
struct PresenceChange {
  std::string agent;
  bool online = false;
  bool changed = false;
};

// Logs an agent in or out and records it in their history.
PresenceChange set_presence(store::Database& db, const core::Config& config, util::Time now,
                            const std::string& agent, bool online);

// Parses every pair first (nothing is written when one is bad), then stores them all in one
// transaction. Throws UsageError (no pairs, bad pair) or Refused (unknown agent).
std::vector<MetricValue> set_metrics(store::Database& db, const core::Config& config,
                                     util::Time now, const std::string& agent,
                                     const std::vector<std::string>& pairs);

// One pool's counted leads for a member and the member's limits there (0 = no limit).
struct PoolUsage {
  std::string pool;
  int today = 0;
  int month = 0;
  int daily_limit = 0;
  int monthly_limit = 0;
};

// One line of `agent list`.
struct AgentSummary {
  std::string agent;
  std::string name;
  std::string status;               // effective now: a leave whose until passed is available
  std::optional<util::Time> until;  // the end of a leave still running
  bool online = false;
  int offered = 0;               // open offers
  int assigned = 0;              // assigned leads
  std::vector<PoolUsage> pools;  // every pool the agent is a member of, in config order
};

// Every configured agent, in configuration order, as of `now`.
std::vector<AgentSummary> list_agents(store::Database& db, const core::Config& config,
                                      util::Time now);

// The agent's status and presence history, oldest first. Refused for an unknown agent.
std::vector<store::AgentLogRow> agent_history(store::Database& db, const core::Config& config,
                                              const std::string& agent);

}  // namespace router::engine
