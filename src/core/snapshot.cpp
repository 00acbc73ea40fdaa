#include "core/snapshot.hpp"

#include <array>
#include <functional>

namespace router::core {
namespace {

constexpr std::array<const char*, 4> k_status_names = {"available", "away", "leave", "offline"};

}  // namespace

const char* to_string(AgentStatus s) {
  return k_status_names[static_cast<std::size_t>(s)];
}

std::optional<AgentStatus> parse_agent_status(const std::string& name) {
  for (std::size_t i = 0; i < k_status_names.size(); ++i) {
    if (name == k_status_names[i]) {
      return static_cast<AgentStatus>(i);
    }
  }
  return std::nullopt;
}

const AgentState& Snapshot::agent(const std::string& id) const {
  static const AgentState k_default;
  const auto it = agents.find(id);
  return it == agents.end() ? k_default : it->second;
}

const PoolState& Snapshot::pool(const std::string& name) const {
  static const PoolState k_default;
  const auto it = pools.find(name);
  return it == pools.end() ? k_default : it->second;
}

void Snapshot::bind(const Config& config, const std::vector<bool>* only) {
  m_slots.config = &config;
  m_slots.pools.assign(config.pools.size(), {});
  for (std::size_t p = 0; p < config.pools.size(); ++p) {
    if (only && (p >= only->size() || !(*only)[p])) {
      continue;
    }
    const Pool& pool = config.pools[p];
    auto& usage = pools[pool.name].usage;
    usage.reserve(pool.members.size());
    auto& slots = m_slots.pools[p];
    slots.reserve(pool.members.size());
    for (std::size_t i = 0; i < pool.members.size(); ++i) {
      const std::string& id = pool.members[i].agent;
      slots.push_back({config.member_agent(pool, i), &agents[id], &usage[id]});
    }
  }
}

const std::vector<MemberSlot>* Snapshot::slots(const Config& config, const Pool& pool) const {
  if (m_slots.config != &config) {
    return nullptr;
  }
  const std::less<const Pool*> before;
  const Pool* first = config.pools.data();
  if (before(&pool, first) || !before(&pool, first + config.pools.size())) {
    return nullptr;
  }
  const auto p = static_cast<std::size_t>(&pool - first);
  if (p < m_slots.pools.size() && m_slots.pools[p].size() == pool.members.size()) {
    return &m_slots.pools[p];
  }
  return nullptr;
}

const MemberSlot* Snapshot::slot(const Config& config, const Pool& pool, std::size_t i) const {
  const auto* all = slots(config, pool);
  return all && i < all->size() ? &(*all)[i] : nullptr;
}

}  // namespace router::core
