#include "core/model.hpp"

#include <functional>

namespace router::core {
namespace {

// Items are keyed by a member: &Agent::id, &Pool::name and so on.
template <typename T>
void index_by(NameIndex& index, const std::vector<T>& items, std::string T::*name) {
  std::vector<std::string_view> names;
  names.reserve(items.size());
  for (const T& item : items) {
    names.emplace_back(item.*name);
  }
  index.build(names);
}

template <typename T>
const T* lookup(const NameIndex& index, const std::vector<T>& items, std::string T::*name,
                std::string_view key) {
  const std::size_t i = index.find(key, [&](std::size_t at, std::string_view wanted) {
    return at < items.size() && items[at].*name == wanted;
  });
  return i == NameIndex::npos ? nullptr : &items[i];
}

constexpr std::array<const char*, 10> k_strategy_names = {
    "round_robin",     "random",    "weighted_random", "least_active", "least_pending",
    "best_close_rate", "top_score", "least_recent",    "broadcast",    "open_pool"};

}  // namespace

bool WeeklyHours::empty() const {
  for (const auto& day : days) {
    if (!day.empty()) {
      return false;
    }
  }
  return true;
}

void NameIndex::build(const std::vector<std::string_view>& names) {
  std::size_t size = 1;
  while (size < 2 * names.size()) {
    size *= 2;
  }
  m_slots.assign(names.empty() ? 0 : size, 0);
  const std::size_t mask = size - 1;
  for (std::size_t i = 0; i < names.size(); ++i) {
    for (std::size_t at = std::hash<std::string_view>{}(names[i]) & mask;; at = (at + 1) & mask) {
      const std::uint32_t slot = m_slots[at];
      if (slot == 0) {
        m_slots[at] = static_cast<std::uint32_t>(i + 1);
        break;
      }
      if (names[slot - 1] == names[i]) {
        break;  // the first of equal names is kept
      }
    }
  }
}

void Config::reindex() {
  index_by(m_agents, agents, &Agent::id);
  index_by(m_pools, pools, &Pool::name);
  index_by(m_schedules, schedules, &Schedule::name);
  index_by(m_rules, rules, &Rule::name);
  m_member_agents.assign(pools.size(), {});
  for (std::size_t p = 0; p < pools.size(); ++p) {
    m_member_agents[p].reserve(pools[p].members.size());
    for (const auto& m : pools[p].members) {
      const Agent* a = find_agent(m.agent);
      m_member_agents[p].push_back(a ? static_cast<std::size_t>(a - agents.data()) : agents.size());
    }
  }
}

const Agent* Config::member_agent(const Pool& pool, std::size_t member) const {
  const std::string& id = pool.members.at(member).agent;
  const std::less<const Pool*> before;
  if (!pools.empty() && !before(&pool, pools.data()) &&
      before(&pool, pools.data() + pools.size())) {
    const auto p = static_cast<std::size_t>(&pool - pools.data());
    if (p < m_member_agents.size() && member < m_member_agents[p].size()) {
      // Checked against the id, so vectors changed since reindex() cannot mislead it.
      const std::size_t a = m_member_agents[p][member];
      if (a < agents.size() && agents[a].id == id) {
        return &agents[a];
      }
    }
  }
  return find_agent(id);
}

const Agent* Config::find_agent(const std::string& id) const {
  return lookup(m_agents, agents, &Agent::id, id);
}

const Pool* Config::find_pool(const std::string& name) const {
  return lookup(m_pools, pools, &Pool::name, name);
}

const Schedule* Config::find_schedule(const std::string& name) const {
  return lookup(m_schedules, schedules, &Schedule::name, name);
}

const Rule* Config::find_rule(const std::string& name) const {
  return lookup(m_rules, rules, &Rule::name, name);
}

const Webhook* Notifications::find_webhook(const std::string& name) const {
  for (const Webhook& w : webhooks) {
    if (w.name == name) {
      return &w;
    }
  }
  return nullptr;
}

const util::Zone* Config::pool_zone(const Pool& pool) const {
  if (pool.schedule) {
    if (const Schedule* s = find_schedule(*pool.schedule); s && s->zone) {
      return s->zone;
    }
  }
  return zone;
}

const char* to_string(Strategy s) {
  return k_strategy_names[static_cast<std::size_t>(s)];
}

const char* to_string(OnExhausted o) {
  return o == OnExhausted::queue ? "queue" : "default";
}

const char* to_string(Op o) {
  switch (o) {
  case Op::equals: return "equals";
  case Op::any_of: return "in";
  case Op::none_of: return "not";
  case Op::gt: return "gt";
  case Op::gte: return "gte";
  case Op::lt: return "lt";
  case Op::lte: return "lte";
  case Op::matches: return "matches";
  case Op::exists: return "exists";
  }
  return "?";
}

std::optional<Strategy> parse_strategy(const std::string& name) {
  for (std::size_t i = 0; i < k_strategy_names.size(); ++i) {
    if (name == k_strategy_names[i]) {
      return static_cast<Strategy>(i);
    }
  }
  return std::nullopt;
}

std::vector<std::string> strategy_names() {
  return {k_strategy_names.begin(), k_strategy_names.end()};
}

}  // namespace router::core
