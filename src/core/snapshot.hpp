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

// One pool member's entries in a bound snapshot (Snapshot::bind).
struct MemberSlot {
  const Agent* agent = nullptr;  // nullptr: not a defined agent
  AgentState* state = nullptr;   // the member's entry in Snapshot::agents
  MemberUsage* usage = nullptr;  // the member's entry in its pool's usage
};

// Per pool and member of one configuration, pointers into a snapshot's maps. A copy is
// empty (its pointers would name the original's entries); a move keeps them, as the maps'
// entries move with their nodes.
struct MemberSlots {
  MemberSlots() = default;
  MemberSlots(const MemberSlots&) {}
  MemberSlots& operator=(const MemberSlots&) {
    config = nullptr;
    pools.clear();
    return *this;
  }
  MemberSlots(MemberSlots&&) noexcept = default;
  MemberSlots& operator=(MemberSlots&&) noexcept = default;
  ~MemberSlots() = default;

  const Config* config = nullptr;
  std::vector<std::vector<MemberSlot>> pools;  // by index in config->pools, then member
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

  // Gives every member of every pool of `config` an entry in the maps (the default state
  // when it had none) and remembers where, so routing reads a member's state without
  // hashing ids. Entries must not be erased while bound; a copy of the snapshot is unbound.
  // With `only` (one flag per pool of `config`), just the pools flagged: routing in another
  // pool decides the same, looking its members up by id (slots() gives nullptr for it).
  void bind(const Config& config, const std::vector<bool>* only = nullptr);
  // The slots of `pool`'s members in the configuration bound, one per member in order;
  // nullptr when `config` is not the one bound or `pool` is not one of its pools (then look
  // members up by id).
  const std::vector<MemberSlot>* slots(const Config& config, const Pool& pool) const;
  // Member `i` of `pool` as slots() gives it; nullptr when slots() does or `i` is past the end.
  const MemberSlot* slot(const Config& config, const Pool& pool, std::size_t i) const;

private:
  MemberSlots m_slots;
};

// One lead's routing history in its current round.
struct LeadHistory {
  std::vector<std::string> offered;        // agents already offered this lead
  int attempts = 0;                        // offers made so far
  std::optional<std::string> prior_owner;  // owner of an earlier lead with the same key
};

}  // namespace router::core
