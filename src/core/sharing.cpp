#include "core/sharing.hpp"

#include <algorithm>
#include <numeric>

#include "core/match.hpp"

namespace router::core {
namespace {

// Union–find over pools (0..pools-1) and agents (after them).
class Sets {
public:
  explicit Sets(std::size_t n) : m_parent(n) { std::iota(m_parent.begin(), m_parent.end(), 0); }
  std::size_t find(std::size_t i) {
    while (m_parent[i] != i) {
      m_parent[i] = m_parent[m_parent[i]];
      i = m_parent[i];
    }
    return i;
  }
  void join(std::size_t a, std::size_t b) { m_parent[find(a)] = find(b); }

private:
  std::vector<std::size_t> m_parent;
};

}  // namespace

std::string pool_state_name(const std::string& pool) {
  return "pool " + pool;
}
std::string agent_state_name(const std::string& agent) {
  return "agent " + agent;
}

StateGroups::StateGroups(const Config& config) {
  const std::size_t pools = config.pools.size();
  std::unordered_map<std::string, std::size_t> agent_index;
  std::vector<std::string> agents;
  const auto agent = [&](const std::string& id) {
    const auto [it, added] = agent_index.try_emplace(id, pools + agents.size());
    if (added) {
      agents.push_back(id);
    }
    return it->second;
  };
  // Every agent a pool can hand a lead to: members, and the pool's and its rules' default.
  std::vector<std::pair<std::size_t, std::size_t>> links;
  for (std::size_t p = 0; p < pools; ++p) {
    const Pool& pool = config.pools[p];
    for (const auto& member : pool.members) {
      links.emplace_back(p, agent(member.agent));
    }
    if (pool.default_agent) {
      links.emplace_back(p, agent(*pool.default_agent));
    }
  }
  for (const auto& rule : config.rules) {
    const Pool* pool = config.find_pool(rule.pool);
    if (pool && rule.default_agent) {
      links.emplace_back(static_cast<std::size_t>(pool - config.pools.data()),
                         agent(*rule.default_agent));
    }
  }
  Sets sets(pools + agents.size());
  for (const auto& [p, a] : links) {
    sets.join(p, a);
  }
  std::unordered_map<std::size_t, std::size_t> group_of_root;
  for (std::size_t i = 0; i < pools + agents.size(); ++i) {
    const auto [it, added] = group_of_root.try_emplace(sets.find(i), m_names.size());
    if (added) {
      m_names.emplace_back();
    }
    if (i < pools) {
      m_group_of[config.pools[i].name] = it->second;
      m_names[it->second].push_back(pool_state_name(config.pools[i].name));
    } else {
      m_names[it->second].push_back(agent_state_name(agents[i - pools]));
    }
  }
  for (auto& names : m_names) {
    std::sort(names.begin(), names.end());
    m_largest = std::max(m_largest, names.size());
  }
}

std::optional<std::size_t> StateGroups::group(const std::string& pool) const {
  const auto it = m_group_of.find(pool);
  return it == m_group_of.end() ? std::nullopt : std::optional<std::size_t>(it->second);
}

const std::vector<std::string>& StateGroups::names(const std::string& pool) const {
  static const std::vector<std::string> none;
  const auto it = m_group_of.find(pool);
  return it == m_group_of.end() ? none : m_names[it->second];
}

const Pool* fresh_pool(const Config& config, const Lead& lead) {
  if (lead.attributes_error) {
    return nullptr;
  }
  for (const auto& rule : config.rules) {
    if (match_rule(config, rule, lead, false).matched) {
      return config.find_pool(rule.pool);
    }
  }
  return nullptr;
}

bool within(const Decision& d, const std::set<std::string>& held) {
  if (d.pool && held.count(pool_state_name(*d.pool)) == 0) {
    return false;
  }
  return std::all_of(d.chosen.begin(), d.chosen.end(), [&](const std::string& agent) {
    return held.count(agent_state_name(agent)) != 0;
  });
}

}  // namespace router::core
