#include "core/model.hpp"

#include <functional>
#include <utility>

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

// The slots of a NameIndex of n names: the least power of two at least 2n (at most half
// full); none for none.
std::size_t slot_count(std::size_t n) {
  if (n == 0) {
    return 0;
  }
  std::size_t size = 1;
  while (size < 2 * n) {
    size *= 2;
  }
  return size;
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

NameIndex NameIndex::from_slots(std::vector<std::uint32_t> slots) {
  NameIndex index;
  index.m_slots = std::move(slots);
  return index;
}

bool NameIndex::fits(std::size_t items) const {
  if (m_slots.size() != slot_count(items)) {
    return false;
  }
  for (const std::uint32_t slot : m_slots) {
    if (slot > items) {
      return false;
    }
  }
  return true;
}

void NameIndex::build(const std::vector<std::string_view>& names) {
  m_slots.assign(slot_count(names.size()), 0);
  const std::size_t mask = m_slots.size() - 1;
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
  index_by(m_indexes.agents, agents, &Agent::id);
  index_by(m_indexes.pools, pools, &Pool::name);
  index_by(m_indexes.schedules, schedules, &Schedule::name);
  index_by(m_indexes.rules, rules, &Rule::name);
  auto& member_agents = m_indexes.member_agents;
  member_agents.assign(pools.size(), {});
  for (std::size_t p = 0; p < pools.size(); ++p) {
    member_agents[p].reserve(pools[p].members.size());
    for (const auto& m : pools[p].members) {
      const Agent* a = find_agent(m.agent);
      member_agents[p].push_back(a ? static_cast<std::size_t>(a - agents.data()) : agents.size());
    }
  }
}

bool Config::restore(ConfigIndexes indexes) {
  if (!indexes.agents.fits(agents.size()) || !indexes.pools.fits(pools.size()) ||
      !indexes.schedules.fits(schedules.size()) || !indexes.rules.fits(rules.size()) ||
      indexes.member_agents.size() != pools.size()) {
    return false;
  }
  for (std::size_t p = 0; p < pools.size(); ++p) {
    const auto& positions = indexes.member_agents[p];
    if (positions.size() != pools[p].members.size()) {
      return false;
    }
    for (const std::size_t a : positions) {
      if (a > agents.size()) {
        return false;
      }
    }
  }
  m_indexes = std::move(indexes);
  return true;
}

const Agent* Config::member_agent(const Pool& pool, std::size_t member) const {
  const std::string& id = pool.members.at(member).agent;
  const std::less<const Pool*> before;
  if (!pools.empty() && !before(&pool, pools.data()) &&
      before(&pool, pools.data() + pools.size())) {
    const auto p = static_cast<std::size_t>(&pool - pools.data());
    const auto& member_agents = m_indexes.member_agents;
    if (p < member_agents.size() && member < member_agents[p].size()) {
      // Checked against the id, so vectors changed since reindex() cannot mislead it.
      const std::size_t a = member_agents[p][member];
      if (a < agents.size() && agents[a].id == id) {
        return &agents[a];
      }
    }
  }
  return find_agent(id);
}

const Agent* Config::find_agent(const std::string& id) const {
  return lookup(m_indexes.agents, agents, &Agent::id, id);
}

const Pool* Config::find_pool(const std::string& name) const {
  return lookup(m_indexes.pools, pools, &Pool::name, name);
}

const Schedule* Config::find_schedule(const std::string& name) const {
  return lookup(m_indexes.schedules, schedules, &Schedule::name, name);
}

const Rule* Config::find_rule(const std::string& name) const {
  return lookup(m_indexes.rules, rules, &Rule::name, name);
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
