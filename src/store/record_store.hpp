#pragma once
// Read-only queries behind `router simulate`: the recorded history of a period (its leads,
// their events, the agents' status and presence changes, their metrics). Nothing here writes.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "store/leads.hpp"
#include "store/read_transaction.hpp"
#include "util/clock.hpp"

namespace router::store {

// One event of a lead received in the period, with detail.reason (or detail.outcome for a
// `closed` event) read out of its detail.
struct RecordEvent {
  std::string lead_id;
  util::Time at;
  std::string type;
  std::optional<std::string> agent;
  std::optional<std::string> pool;
  std::optional<std::string> rule;
  std::string reason;   // detail.reason; empty when absent
  std::string outcome;  // closed: detail.outcome (won | lost)
};

// One row of `agent_log`: a status change (value: the status; until from the detail), a
// log-in or a log-out.
struct RecordAgentChange {
  std::string agent;
  util::Time at;
  std::string kind;  // status | login | logout
  std::string status;
  std::optional<util::Time> until;
  bool leave_ended = false;  // written by the sweep when a leave ran out
};

// An agent's metric as it stands (metrics keep no history).
struct RecordMetric {
  std::string agent;
  std::string key;
  double value = 0;
};

// Reads the record of a period. Holds one read transaction for its lifetime, so every
// list comes from the same snapshot.
class RecordStore {
public:
  explicit RecordStore(Database& db);
  RecordStore(const RecordStore&) = delete;
  RecordStore& operator=(const RecordStore&) = delete;
  ~RecordStore() = default;

  // The leads with received_at in [since, until), oldest first (ties in insertion order).
  std::vector<NewLead> leads(util::Time since, util::Time until);
  // The events before `until` of the leads received in [since, until), in seq order, each
  // passed to `fn` as it is read (none kept: a period's events may be millions).
  void each_event(util::Time since, util::Time until,
                  const std::function<void(const RecordEvent&)>& fn);
  // Every agent_log row before `until`, oldest first.
  std::vector<RecordAgentChange> agent_changes(util::Time until);
  // Every stored metric.
  std::vector<RecordMetric> metrics();

private:
  Database& m_db;
  ReadTransaction m_transaction;  // every list below comes from one snapshot
};

}  // namespace router::store
