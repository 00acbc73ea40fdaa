#pragma once
// What concurrent routers must not decide at the same time. A decision reads and changes the
// state of its pool (rotation, usage) and of agents (open work, last lead). Pools that share
// an agent, as a member or as a default agent, form one group; routers that work in different
// groups cannot see each other's changes, so they may run side by side (PostgreSQL), while
// two in one group take turns.

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/decision.hpp"
#include "core/lead.hpp"
#include "core/model.hpp"

namespace router::core {

class StateGroups {
public:
  explicit StateGroups(const Config& config);

  // The index of `pool`'s group; nullopt for a pool the configuration lacks.
  std::optional<std::size_t> group(const std::string& pool) const;
  // The names that stand for the state of a group, sorted: "pool NAME" for each of its pools
  // and "agent ID" for each of its agents.
  const std::vector<std::string>& names_of(std::size_t group) const { return m_names.at(group); }
  // names_of(group(pool)); empty for a pool the configuration lacks.
  const std::vector<std::string>& names(const std::string& pool) const;
  // The most names any group has.
  std::size_t largest() const { return m_largest; }

private:
  std::unordered_map<std::string, std::size_t> m_group_of;  // pool name → index in m_names
  std::vector<std::vector<std::string>> m_names;
  std::size_t m_largest = 0;
};

// The name of a pool's and an agent's state, as StateGroups::names gives them.
std::string pool_state_name(const std::string& pool);
std::string agent_state_name(const std::string& agent);

// The pool a pending lead goes through, as route() in RouteMode::fresh decides it without
// owner_match: the pool of the first rule that holds; nullptr when none holds (or the lead's
// attributes cannot be read), when the lead touches no pool's or agent's state.
const Pool* fresh_pool(const Config& config, const Lead& lead);

// True when everything `d` changes is named in `held` (pool_state_name, agent_state_name).
bool within(const Decision& d, const std::set<std::string>& held);

}  // namespace router::core
