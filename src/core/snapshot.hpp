#pragma once
// The state a routing decision reads, loaded by the engine from the database before it asks
// the core: agents' status and presence, per-pool usage and rotation, per-lead history.

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/model.hpp"

namespace router::core {

// An agent's availability as set with `router agent set`.
enum class AgentStatus { available, away, leave, offline };

// Names as used on the command line and in the database.
const char* to_string(AgentStatus s);
// Parses a status name; nullopt when unknown.
std::optional<AgentStatus> parse_agent_status(const std::string& name);

// What the engine knows about one agent now.
struct AgentState {
  AgentStatus status = AgentStatus::available;
  std::optional<Time> until;              // when a leave ends by itself
  bool online = false;                    // logged in (`agent login`)
  int active = 0;                         // leads offered to or assigned to them, all pools
  std::optional<Time> last_assigned_at;   // their last lead from any pool; nullopt = never
  std::map<std::string, double> metrics;  // `agent metric A KEY=VALUE`

  // Available at `now`: status available, or a leave whose `until` has passed.
  bool available_at(Time now) const {
    return status == AgentStatus::available ||
           (status == AgentStatus::leave && until && *until <= now);
  }
  // A metric's value; 0 when never set.
  double metric(const std::string& key) const {
    const auto it = metrics.find(key);
    return it == metrics.end() ? 0.0 : it->second;
  }
};

// A member's leads counted against their limits in one pool (the pool's zone's periods).
struct MemberUsage {
  int today = 0;
  int month = 0;
};

// Won and lost outcomes of an agent's leads within the pool's `window`.
struct CloseStats {
  int won = 0;
  int lost = 0;
};

// Where a pool's rotation stands: who got its last lead, and the member order at that time
// (so a removed member's position is still known).
struct RotationCursor {
  std::string last_agent;
  std::vector<std::string> order;
  bool operator==(const RotationCursor&) const = default;
};

// What the engine knows about one pool.
struct PoolState {
  std::optional<RotationCursor> cursor;                // nullopt: the pool never chose anyone
  std::unordered_map<std::string, MemberUsage> usage;  // by agent id; absent = none
  std::unordered_map<std::string, CloseStats> close;   // by agent id; absent = no outcomes
};

// The state shared by every lead of a batch. Agents and pools missing from the maps have
// the default state (available, not logged in, nothing counted).
struct Snapshot {
  std::unordered_map<std::string, AgentState> agents;
  std::unordered_map<std::string, PoolState> pools;

  // The agent's state, or the default one.
  const AgentState& agent(const std::string& id) const;
  // The pool's state, or the default one.
  const PoolState& pool(const std::string& name) const;
};

// One lead's routing history in its current round.
struct LeadHistory {
  std::vector<std::string> offered;        // agents already offered this lead
  int attempts = 0;                        // offers made so far
  std::optional<std::string> prior_owner;  // owner of an earlier lead with the same key
};

}  // namespace router::core
