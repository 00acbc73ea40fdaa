#include "core/snapshot.hpp"

#include <array>

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

}  // namespace router::core
