#pragma once
// Agents' runtime state (`agent_state`), their history (`agent_log`), metrics
// (`agent_metrics`) and the counts `agent list` shows: open leads and limit usage.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "util/clock.hpp"

namespace router::store {

// A row of `agent_state`. An agent never touched has no row: available, logged out.
struct AgentStateRow {
  std::string agent;
  std::string status = "available";
  std::optional<util::Time> until;
  bool online = false;
  std::optional<util::Time> last_assigned_at;
  std::optional<util::Time> updated_at;
};

// A row of `agent_log`. kind: status | login | logout; detail is a JSON object as text.
struct AgentLogRow {
  std::int64_t seq = 0;
  std::string agent;
  util::Time at;
  std::string kind;
  std::optional<std::string> value;
  std::string detail = "{}";
};

// An agent's open leads: open offers (broadcast ones included) and assigned leads.
struct OpenCounts {
  int offered = 0;
  int assigned = 0;
};

// Counted leads of one member of a pool in a day and a month (see the `usage` table).
struct UsageCounts {
  int today = 0;
  int month = 0;
};

// Reads and writes agents' rows. Writers must run inside a WriteTransaction.
class AgentStore {
public:
  explicit AgentStore(Database& db) : m_db(db) {}

  // The agent's state row, if any.
  std::optional<AgentStateRow> state(const std::string& agent);
  // Every agent_state row, by agent id.
  std::map<std::string, AgentStateRow> states();
  // Sets status and until (upsert); keeps presence and last lead.
  void set_status(const std::string& agent, const std::string& status,
                  std::optional<util::Time> until, util::Time now);
  // Sets presence (upsert); keeps the rest.
  void set_online(const std::string& agent, bool online, util::Time now);
  // Appends a history row.
  void log(const std::string& agent, util::Time at, const std::string& kind,
           const std::optional<std::string>& value, const std::string& detail);
  // The agent's history, oldest first.
  std::vector<AgentLogRow> history(const std::string& agent);
  // Sets one metric (upsert).
  void set_metric(const std::string& agent, const std::string& key, double value, util::Time now);
  // Every metric of the agent, by key.
  std::map<std::string, double> metrics(const std::string& agent);
  // Open offers and assigned leads per agent (agents with none are absent).
  std::map<std::string, OpenCounts> open_counts();
  // Counted leads per agent of `pool` in the periods `day` and `month`.
  std::map<std::string, UsageCounts> usage(const std::string& pool, const std::string& day,
                                           const std::string& month);

private:
  Database& m_db;
};

}  // namespace router::store
