#include "config/build_pools.hpp"

#include <unordered_map>

#include "config/build_hours.hpp"
#include "config/conditions.hpp"
#include "util/strings.hpp"

namespace router::config {
namespace {

const std::vector<std::string> k_pool_keys = {
    "strategy", "members",        "default",     "claim_timeout", "max_offers", "on_exhausted",
    "schedule", "require_online", "stale_after", "pickup",        "window"};
const std::vector<std::string> k_member_keys = {"agent", "daily_limit", "monthly_limit", "shifts"};
const std::vector<std::string> k_pickup_keys = {"when"};
const std::vector<std::string> k_rule_keys = {"name",       "when",         "requires",
                                              "during",     "pool",         "claim_timeout",
                                              "max_offers", "on_exhausted", "default"};
const std::vector<std::string> k_on_exhausted = {"default", "queue"};

using Kind = Reference::Kind;

// A name that must be defined elsewhere; returns it for the model.
std::optional<std::string> reference(const Field& f, Kind kind, const std::string& where,
                                     Built& built, Sink& sink) {
  auto name = read_string(f, sink);
  if (name) {
    built.references.push_back({kind, *name, f.value_at(), where});
  }
  return name;
}

std::optional<core::OnExhausted> read_on_exhausted(const Field& f, Sink& sink) {
  const auto text = read_string(f, sink);
  if (!text) {
    return std::nullopt;
  }
  if (*text == "default") {
    return core::OnExhausted::default_agent;
  }
  if (*text == "queue") {
    return core::OnExhausted::queue;
  }
  sink.error(f.value_at(), "'on_exhausted' must be default or queue, not '" + *text + "'" +
                               util::did_you_mean(*text, k_on_exhausted));
  return std::nullopt;
}

std::optional<int> read_max_offers(const Field& f, Sink& sink) {
  const auto n = read_integer(f, 1, sink);
  return n ? std::optional<int>(static_cast<int>(*n)) : std::nullopt;
}

void read_member(const YAML::Node& item, const std::string& pool, core::Pool& out, Built& built,
                 std::unordered_map<std::string, core::Location>& seen, Sink& sink) {
  core::Member member;
  member.where = location_of(item);
  core::Location agent_at = member.where;
  const std::string where = "in the members of pool '" + pool + "'";
  if (item.IsScalar()) {
    member.agent = item.Scalar();
  } else if (item.IsMap()) {
    const Mapping m(item, &k_member_keys, "in a member of pool '" + pool + "'", sink);
    const Field* agent = m.get("agent");
    if (!agent) {
      sink.error(member.where, "a member of pool '" + pool + "' needs 'agent'");
      return;
    }
    agent_at = agent->value_at();
    member.agent = read_string(*agent, sink).value_or("");
    if (const Field* f = m.get("daily_limit")) {
      member.daily_limit = static_cast<int>(read_integer(*f, 0, sink).value_or(0));
    }
    if (const Field* f = m.get("monthly_limit")) {
      member.monthly_limit = static_cast<int>(read_integer(*f, 0, sink).value_or(0));
    }
    if (const Field* f = m.get("shifts")) {
      member.shifts = read_weekly(*f, "of '" + member.agent + "' in pool '" + pool + "'", sink);
    }
  } else {
    sink.error(member.where,
               "a member of pool '" + pool + "' must be an agent id or a mapping with 'agent'");
    return;
  }
  if (member.agent.empty()) {
    return;
  }
  if (const auto [first, fresh] = seen.emplace(member.agent, agent_at); !fresh) {
    sink.error(agent_at, "agent '" + member.agent + "' is listed twice in pool '" + pool +
                             "' (first at " + describe(first->second) + ")");
    return;
  }
  built.references.push_back({Kind::agent, member.agent, agent_at, where});
  out.members.push_back(std::move(member));
}

void read_pickup(const Field& f, core::Pool& pool, Sink& sink) {
  if (!f.value.IsMap()) {
    expect(f, "a mapping with 'when'", sink);
    return;
  }
  core::Pickup pickup;
  pickup.where = f.key_at;
  const Mapping m(f.value, &k_pickup_keys, "in the pickup of pool '" + pool.name + "'", sink);
  if (const Field* when = m.get("when")) {
    pickup.when = read_conditions(*when, sink).value_or(std::vector<core::Condition>{});
  }
  pool.pickup = std::move(pickup);
}

// Keeps a business-time setting for validate's wall-time check.
void note_timing(const Field& f, const std::optional<core::Duration>& value,
                 const std::string& pool, const std::string& owner, Built& built) {
  if (value && value->count() > 0) {
    built.timings.push_back({f.key, *value, pool, owner, f.value_at()});
  }
}

void read_settings(const Mapping& m, core::Pool& pool, Built& built, Sink& sink) {
  if (const Field* f = m.get("strategy")) {
    if (const auto text = read_string(*f, sink)) {
      if (const auto s = core::parse_strategy(*text)) {
        pool.strategy = *s;
      } else {
        sink.error(f->value_at(), "unknown strategy '" + *text + "'" +
                                      util::did_you_mean(*text, core::strategy_names()));
      }
    }
  }
  if (const Field* f = m.get("default")) {
    pool.default_agent =
        reference(*f, Kind::agent, "as the default of pool '" + pool.name + "'", built, sink);
  }
  if (const Field* f = m.get("claim_timeout")) {
    pool.claim_timeout = read_duration(*f, sink);
    note_timing(*f, pool.claim_timeout, pool.name, "pool '" + pool.name + "'", built);
  }
  if (const Field* f = m.get("max_offers")) {
    pool.max_offers = read_max_offers(*f, sink);
  }
  if (const Field* f = m.get("on_exhausted")) {
    pool.on_exhausted = read_on_exhausted(*f, sink).value_or(pool.on_exhausted);
  }
  if (const Field* f = m.get("schedule")) {
    pool.schedule =
        reference(*f, Kind::schedule, "as the schedule of pool '" + pool.name + "'", built, sink);
  }
  if (const Field* f = m.get("require_online")) {
    pool.require_online = read_bool(*f, sink).value_or(false);
  }
  if (const Field* f = m.get("stale_after")) {
    pool.stale_after = read_duration(*f, sink);
    note_timing(*f, pool.stale_after, pool.name, "pool '" + pool.name + "'", built);
  }
  if (const Field* f = m.get("window")) {
    pool.window = read_duration(*f, sink).value_or(pool.window);
  }
  if (const Field* f = m.get("pickup")) {
    read_pickup(*f, pool, sink);
  }
}

void read_pool(const Field& p, Built& built, Sink& sink) {
  core::Pool pool;
  pool.name = p.key;
  pool.where = p.key_at;
  if (!p.value.IsMap()) {
    expect(p, "a mapping with 'members' (and 'strategy', 'default'...)", sink);
    return;
  }
  const Mapping m(p.value, &k_pool_keys, "in pool '" + p.key + "'", sink);
  read_settings(m, pool, built, sink);
  if (const Field* f = m.get("members")) {
    if (f->value.IsSequence()) {
      std::unordered_map<std::string, core::Location> seen;
      for (const auto& item : f->value) {
        read_member(item, p.key, pool, built, seen, sink);
      }
    } else if (!f->value.IsNull()) {
      expect_list(*f, "a list of agent ids or { agent: ... } mappings", sink);
      built.pools_unread.insert(pool.name);
    }
  }
  built.config.pools.push_back(std::move(pool));
}

void read_rule(const YAML::Node& item, std::size_t index, Built& built,
               std::unordered_map<std::string, core::Location>& seen, Sink& sink) {
  core::Rule rule;
  rule.where = location_of(item);
  if (!item.IsMap()) {
    sink.error(rule.where, "a rule must be a mapping with 'name' and 'pool'");
    return;
  }
  const Mapping m(item, &k_rule_keys, "in rule #" + std::to_string(index + 1), sink);
  const Field* name = m.get("name");
  if (name) {
    rule.name = read_string(*name, sink).value_or("");
    if (const auto [first, fresh] = seen.emplace(rule.name, name->value_at());
        !fresh && !rule.name.empty()) {
      sink.error(name->value_at(), "duplicate rule name '" + rule.name + "' (first at " +
                                       describe(first->second) + ")");
    }
  } else {
    sink.error(rule.where, "rule #" + std::to_string(index + 1) + " needs a 'name'");
  }
  const std::string label =
      name ? "rule '" + rule.name + "'" : "rule #" + std::to_string(index + 1);
  if (const Field* f = m.get("pool")) {
    rule.pool = reference(*f, Kind::pool, "in " + label, built, sink).value_or("");
  } else {
    sink.error(rule.where, label + " needs a 'pool'");
  }
  if (const Field* f = m.get("when")) {
    auto when = read_conditions(*f, sink);
    // A broken `when` still makes the rule conditional: no "never matches" warnings after it.
    rule.when = when ? std::move(*when) : std::vector<core::Condition>{{f->key, {}, f->key_at}};
  }
  if (const Field* f = m.get("requires")) {
    const auto tags = read_list(*f, sink);
    if (!tags) {
      built.rules_unread.insert(built.config.rules.size());
    }
    for (const Item& tag : tags.value_or(std::vector<Item>{})) {
      rule.requires_tags.push_back(util::to_lower(tag.text));
      built.required_tags.push_back({built.config.rules.size(), rule.requires_tags.back(), tag.at});
    }
  }
  if (const Field* f = m.get("during")) {
    rule.during = reference(*f, Kind::schedule, "as 'during' of " + label, built, sink);
  }
  if (const Field* f = m.get("default")) {
    rule.default_agent = reference(*f, Kind::agent, "as the default of " + label, built, sink);
  }
  if (const Field* f = m.get("claim_timeout")) {
    rule.claim_timeout = read_duration(*f, sink);
    note_timing(*f, rule.claim_timeout, rule.pool, label, built);
  }
  if (const Field* f = m.get("max_offers")) {
    rule.max_offers = read_max_offers(*f, sink);
  }
  if (const Field* f = m.get("on_exhausted")) {
    rule.on_exhausted = read_on_exhausted(*f, sink);
  }
  built.config.rules.push_back(std::move(rule));
}

}  // namespace

void read_pools(const Field& pools, Built& built, Sink& sink) {
  if (pools.value.IsNull()) {
    return;
  }
  if (!pools.value.IsMap()) {
    expect(pools, "a mapping of pool names to settings", sink);
    return;
  }
  const Mapping entries(pools.value, nullptr, "in 'pools'", sink);
  for (const Field& p : entries.fields()) {
    read_pool(p, built, sink);
  }
}

void read_rules(const Field& rules, Built& built, Sink& sink) {
  if (rules.value.IsNull()) {
    return;
  }
  if (!rules.value.IsSequence()) {
    expect(rules, "a list of rules", sink);
    return;
  }
  std::unordered_map<std::string, core::Location> seen;
  std::size_t index = 0;
  for (const auto& item : rules.value) {
    read_rule(item, index++, built, seen, sink);
  }
}

}  // namespace router::config
