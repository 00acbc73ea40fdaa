#include "engine/agents.hpp"

#include <charconv>
#include <cmath>

#include <nlohmann/json.hpp>

#include "core/snapshot.hpp"
#include "engine/lead_convert.hpp"
#include "engine/offers.hpp"
#include "store/read_transaction.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

namespace router::engine {
namespace {

bool valid_key(std::string_view key) {
  if (key.empty()) {
    return false;
  }
  for (const char c : key) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return true;
}

core::AgentState to_core(const std::optional<store::AgentStateRow>& row) {
  core::AgentState state;
  if (row) {
    state.status = core::parse_agent_status(row->status).value_or(core::AgentStatus::available);
    state.until = row->until;
    state.online = row->online;
  }
  return state;
}

// The status as it stands at `now`: a leave whose `until` has passed is over.
std::string effective_status(const core::AgentState& state, util::Time now) {
  return state.available_at(now) ? "available" : core::to_string(state.status);
}

}  // namespace

MetricValue parse_metric(std::string_view pair) {
  const auto bad = [&](const std::string& why) {
    return util::UsageError("bad metric '" + std::string(pair) + "': " + why);
  };
  const auto eq = pair.find('=');
  if (eq == std::string_view::npos) {
    throw bad("expected KEY=VALUE");
  }
  const std::string_view key = pair.substr(0, eq);
  const std::string_view text = pair.substr(eq + 1);
  if (!valid_key(key)) {
    throw bad("KEY must be lower-case letters, digits and _");
  }
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() ||
      !std::isfinite(value)) {
    throw bad("VALUE must be a number");
  }
  return {std::string(key), value};
}

StatusChange set_status(store::Database& db, const core::Config& config, util::Time now,
                        const std::string& agent, const std::string& status,
                        std::optional<util::Time> until) {
  const auto parsed = core::parse_agent_status(status);
  if (!parsed) {
    throw util::UsageError("unknown status '" + status +
                           "' (expected available, away, leave or offline)");
  }
  if (until && *parsed != core::AgentStatus::leave) {
    throw util::UsageError("--until is only for --status leave");
  }
  if (until && *until <= now) {
    throw util::UsageError("--until " + util::format_rfc3339(*until) + " is not in the future");
  }
  require_agent(config, agent);
  store::WriteTransaction tx(db);
  store::AgentStore store(db);
  StatusChange change{agent, effective_status(to_core(store.state(agent)), now), status, until};
  store.set_status(agent, status, until, now);
  nlohmann::json detail{{"previous", change.previous}};
  detail["until"] = until ? nlohmann::json(util::format_rfc3339(*until)) : nlohmann::json(nullptr);
  store.log(agent, now, "status", status, detail.dump());
  tx.commit();
  return change;
}

PresenceChange set_presence(store::Database& db, const core::Config& config, util::Time now,
                            const std::string& agent, bool online) {
  require_agent(config, agent);
  store::WriteTransaction tx(db);
  store::AgentStore store(db);
  const auto row = store.state(agent);
  const bool was_online = row && row->online;
  if (was_online == online) {
    return {agent, online, false};
  }
  store.set_online(agent, online, now);
  store.log(agent, now, online ? "login" : "logout", std::nullopt, "{}");
  tx.commit();
  return {agent, online, true};
}

std::vector<MetricValue> set_metrics(store::Database& db, const core::Config& config,
                                     util::Time now, const std::string& agent,
                                     const std::vector<std::string>& pairs) {
  if (pairs.empty()) {
    throw util::UsageError("agent metric needs at least one KEY=VALUE");
  }
  std::vector<MetricValue> values;
  values.reserve(pairs.size());
  for (const auto& pair : pairs) {
    values.push_back(parse_metric(pair));
  }
  require_agent(config, agent);
  store::WriteTransaction tx(db);
  store::AgentStore store(db);
  for (const auto& v : values) {
    store.set_metric(agent, v.key, v.value, now);
  }
  tx.commit();
  return values;
}

std::vector<AgentSummary> list_agents(store::Database& db, const core::Config& config,
                                      util::Time now) {
  store::ReadTransaction tx(db);
  store::AgentStore store(db);
  const auto states = store.states();
  const auto open = store.open_counts();
  std::vector<std::map<std::string, store::UsageCounts>> usage;
  usage.reserve(config.pools.size());
  for (const auto& pool : config.pools) {
    const auto [day, month] = usage_periods(config.pool_zone(pool), now);
    usage.push_back(store.usage(pool.name, day, month));
  }
  std::vector<AgentSummary> out;
  out.reserve(config.agents.size());
  for (const auto& agent : config.agents) {
    AgentSummary s{agent.id, agent.name, "available", std::nullopt, false, 0, 0, {}};
    if (const auto it = states.find(agent.id); it != states.end()) {
      const auto state = to_core(it->second);
      s.status = effective_status(state, now);
      s.until = s.status == "leave" ? state.until : std::nullopt;
      s.online = state.online;
    }
    if (const auto it = open.find(agent.id); it != open.end()) {
      s.offered = it->second.offered;
      s.assigned = it->second.assigned;
    }
    for (std::size_t i = 0; i < config.pools.size(); ++i) {
      for (const auto& member : config.pools[i].members) {
        if (member.agent != agent.id) {
          continue;
        }
        const auto u = usage[i].find(agent.id);
        const store::UsageCounts counts = u == usage[i].end() ? store::UsageCounts{} : u->second;
        s.pools.push_back({config.pools[i].name, counts.today, counts.month, member.daily_limit,
                           member.monthly_limit});
      }
    }
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<store::AgentLogRow> agent_history(store::Database& db, const core::Config& config,
                                              const std::string& agent) {
  require_agent(config, agent);
  store::AgentStore store(db);
  return store.history(agent);
}

}  // namespace router::engine
