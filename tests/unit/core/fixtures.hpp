#pragma once
// Hand-built configurations, leads and snapshots for the routing core's unit tests.

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/decision.hpp"
#include "core/lead.hpp"
#include "core/model.hpp"
#include "core/snapshot.hpp"
#include "util/time.hpp"

namespace router::core::fixtures {

// An RFC 3339 instant; the tests only use valid ones.
inline Time at(const char* text) {
  return *util::parse_rfc3339(text);
}

// An agent with tags and a weight.
inline Agent agent(std::string id, std::vector<std::string> tags = {}, double weight = 1.0) {
  Agent a;
  a.name = id;
  a.id = std::move(id);
  a.tags = std::move(tags);
  a.weight = weight;
  return a;
}

// A member with limits (0 = none).
inline Member member(std::string id, int daily = 0, int monthly = 0) {
  Member m;
  m.agent = std::move(id);
  m.daily_limit = daily;
  m.monthly_limit = monthly;
  return m;
}

// A pool of plain members.
inline Pool pool(std::string name, Strategy strategy, const std::vector<std::string>& ids) {
  Pool p;
  p.name = std::move(name);
  p.strategy = strategy;
  for (const auto& id : ids) {
    p.members.push_back(member(id));
  }
  return p;
}

// The pool's member entry for `id` (it must exist).
inline Member& member_of(Pool& p, const std::string& id) {
  for (auto& m : p.members) {
    if (m.agent == id) {
      return m;
    }
  }
  throw std::logic_error("no member " + id);
}

// Tests of each operator.
inline Test eq(std::string v) {
  Test t;
  t.op = Op::equals;
  t.values = {std::move(v)};
  return t;
}
inline Test any_of(std::vector<std::string> vs) {
  Test t;
  t.op = Op::any_of;
  t.values = std::move(vs);
  return t;
}
inline Test none_of(std::vector<std::string> vs) {
  Test t;
  t.op = Op::none_of;
  t.values = std::move(vs);
  return t;
}
inline Test num(Op op, double n) {
  Test t;
  t.op = op;
  t.number = n;
  return t;
}
inline Test matches(std::string pattern) {
  Test t;
  t.op = Op::matches;
  t.regex = std::make_shared<const std::regex>(pattern, std::regex::icase);
  t.pattern = std::move(pattern);
  return t;
}
inline Test exists(bool e) {
  Test t;
  t.op = Op::exists;
  t.exists = e;
  return t;
}

// "field satisfies these tests".
inline Condition when(std::string field, std::vector<Test> tests) {
  Condition c;
  c.field = std::move(field);
  c.tests = std::move(tests);
  return c;
}

// A rule sending leads that match `conditions` to `pool_name`.
inline Rule rule(std::string name, std::string pool_name, std::vector<Condition> conditions = {}) {
  Rule r;
  r.name = std::move(name);
  r.pool = std::move(pool_name);
  r.when = std::move(conditions);
  return r;
}

// A lead with single-valued attributes.
inline Lead lead(std::string id, std::string source,
                 std::vector<std::pair<std::string, std::string>> attributes = {},
                 Time received = at("2026-11-23T13:00:00Z")) {
  Lead l;
  l.id = std::move(id);
  l.source = std::move(source);
  for (auto& [k, v] : attributes) {
    l.attributes[k].push_back(v);
  }
  l.received_at = received;
  return l;
}

// Weekly hours with the same ranges on the ISO days [first, last] (0 = Monday).
inline WeeklyHours hours(int first, int last, int start_minute, int end_minute) {
  WeeklyHours h;
  for (int d = first; d <= last; ++d) {
    h.days[static_cast<std::size_t>(d)].push_back({start_minute, end_minute});
  }
  return h;
}

// A schedule open Monday to Friday 09:00-17:00 UTC.
inline Schedule office() {
  Schedule s;
  s.name = "office";
  s.timezone = "UTC";
  s.zone = router::util::zone_by_name("UTC");
  s.hours = hours(0, 4, 9 * 60, 17 * 60);
  return s;
}

// A configuration from its parts, indexed, in UTC.
inline Config config(std::vector<Agent> agents, std::vector<Pool> pools,
                     std::vector<Rule> rules = {}, std::vector<Schedule> schedules = {}) {
  Config c;
  c.timezone = "UTC";
  c.zone = router::util::zone_by_name("UTC");
  c.agents = std::move(agents);
  c.pools = std::move(pools);
  c.rules = std::move(rules);
  c.schedules = std::move(schedules);
  c.reindex();
  return c;
}

// Agents with these ids and no tags.
inline std::vector<Agent> agents(const std::vector<std::string>& ids) {
  std::vector<Agent> out;
  for (const auto& id : ids) {
    out.push_back(agent(id));
  }
  return out;
}

// What the engine would write after `d`: the rotation, the pool's usage, the agents'
// activity. Lets a test route lead after lead like the engine does.
inline void apply(Snapshot& snapshot, const Decision& d, Time now) {
  if (d.pool && d.new_cursor) {
    snapshot.pools[*d.pool].cursor = d.new_cursor;
  }
  for (const auto& id : d.chosen) {
    if (d.pool && d.counts_against_limits) {
      auto& usage = snapshot.pools[*d.pool].usage[id];
      ++usage.today;
      ++usage.month;
    }
    auto& state = snapshot.agents[id];
    ++state.active;
    state.last_assigned_at = now;
  }
}

}  // namespace router::core::fixtures
