#include "config/validate.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "config/build_notifications.hpp"
#include "core/calendar.hpp"
#include "util/strings.hpp"
#include "util/time.hpp"

namespace router::config {
namespace {

using Kind = Reference::Kind;

// From how much wall time a business-time setting is worth a warning.
constexpr core::Duration k_long_wall = std::chrono::days{14};

const char* kind_name(Kind k) {
  switch (k) {
  case Kind::agent: return "agent";
  case Kind::pool: return "pool";
  case Kind::schedule: return "schedule";
  case Kind::calendar: return "calendar";
  }
  return "?";
}

template <typename T, typename Name>
std::vector<std::string> names_of(const std::vector<T>& items, Name name) {
  std::vector<std::string> out;
  out.reserve(items.size());
  for (const auto& item : items) {
    out.push_back(name(item));
  }
  return out;
}

void check_references(const Built& built, Sink& sink) {
  const core::Config& c = built.config;
  const std::vector<std::string> names[] = {
      names_of(c.agents, [](const core::Agent& a) { return a.id; }),
      names_of(c.pools, [](const core::Pool& p) { return p.name; }),
      names_of(c.schedules, [](const core::Schedule& s) { return s.name; }),
      names_of(c.calendars, [](const core::Calendar& k) { return k.name; })};
  for (const Reference& ref : built.references) {
    const auto& known = names[static_cast<std::size_t>(ref.kind)];
    if (std::find(known.begin(), known.end(), ref.name) == known.end()) {
      sink.error(ref.at, std::string("unknown ") + kind_name(ref.kind) + " '" + ref.name + "' " +
                             ref.where + util::did_you_mean(ref.name, known));
    }
  }
}

void flatten_holidays(core::Config& c) {
  for (core::Schedule& s : c.schedules) {
    s.holidays.clear();
    for (const std::string& name : s.calendars) {
      const auto it = std::find_if(c.calendars.begin(), c.calendars.end(),
                                   [&](const core::Calendar& k) { return k.name == name; });
      if (it != c.calendars.end()) {
        s.holidays.insert(s.holidays.end(), it->days.begin(), it->days.end());
      }
    }
  }
}

void check_pools(const Built& built, Sink& sink) {
  for (const core::Pool& p : built.config.pools) {
    if (built.pools_unread.contains(p.name)) {
      continue;  // its members are already an error
    }
    if (p.strategy == core::Strategy::open_pool && p.members.empty()) {
      sink.error(p.where, "pool '" + p.name +
                              "' is an open_pool without members: nobody could pick up its leads");
    } else if (p.members.empty() && !p.default_agent) {
      sink.error(p.where, "pool '" + p.name +
                              "' has no members and no default: it could never route a lead");
    }
  }
}

// A rule with no when, requires or during matches every lead; the rules after it never run.
void check_rules(const Built& built, Sink& sink) {
  const core::Rule* catch_all = nullptr;
  for (std::size_t i = 0; i < built.config.rules.size(); ++i) {
    const core::Rule& r = built.config.rules[i];
    if (catch_all) {
      sink.warning(r.where, "rule '" + r.name + "' can never match: rule '" + catch_all->name +
                                "' before it (at " + describe(catch_all->where) +
                                ") matches every lead");
    } else if (r.when.empty() && r.requires_tags.empty() && !r.during &&
               !built.rules_unread.contains(i)) {
      catch_all = &r;
    }
  }
}

// A tag in `requires` that no member of the rule's pool has: nobody there is ever eligible.
void check_required_tags(const Built& built, Sink& sink) {
  const core::Config& c = built.config;
  std::unordered_map<std::string, const core::Agent*> agents;
  for (const core::Agent& a : c.agents) {
    agents.emplace(a.id, &a);
  }
  std::unordered_map<std::string, const core::Pool*> pools;
  for (const core::Pool& p : c.pools) {
    pools.emplace(p.name, &p);
  }
  const auto has_tag = [&](const core::Member& m, const std::string& tag) {
    const auto agent = agents.find(m.agent);
    return agent != agents.end() &&
           std::find(agent->second->tags.begin(), agent->second->tags.end(), tag) !=
               agent->second->tags.end();
  };
  for (const RequiredTag& required : built.required_tags) {
    const core::Rule& rule = c.rules[required.rule];
    const auto pool = pools.find(rule.pool);
    if (pool == pools.end() || built.pools_unread.contains(rule.pool)) {
      continue;  // already an unknown pool, or its members already an error
    }
    const auto& members = pool->second->members;
    if (std::none_of(members.begin(), members.end(),
                     [&](const core::Member& m) { return has_tag(m, required.tag); })) {
      sink.warning(required.at, "rule '" + rule.name + "' requires tag '" + required.tag +
                                    "', but no member of pool '" + rule.pool +
                                    "' has it: no member can get its leads");
    }
  }
}

void check_unused(const Built& built, Sink& sink) {
  const core::Config& c = built.config;
  std::unordered_set<std::string> used_agents;
  for (const core::Pool& p : c.pools) {
    for (const core::Member& m : p.members) {
      used_agents.insert(m.agent);
    }
    if (p.default_agent) {
      used_agents.insert(*p.default_agent);
    }
  }
  for (const core::Rule& r : c.rules) {
    if (r.default_agent) {
      used_agents.insert(*r.default_agent);
    }
  }
  for (const core::Agent& a : c.agents) {
    // With a pool's members unread, who is in no pool cannot be said.
    if (!used_agents.contains(a.id) && !built.invalid_agents.contains(a.id) &&
        built.pools_unread.empty()) {
      sink.warning(a.where, "agent '" + a.id +
                                "' is in no pool and is no default: it will never get a lead");
    }
  }
  std::unordered_set<std::string> used_calendars;
  for (const core::Schedule& s : c.schedules) {
    used_calendars.insert(s.calendars.begin(), s.calendars.end());
  }
  for (const core::Calendar& k : c.calendars) {
    if (!used_calendars.contains(k.name) && !built.holidays_unread) {
      sink.warning(k.where, "calendar '" + k.name + "' is not used by any schedule");
    }
  }
}

// A schedule whose yearly holidays close every day would open only on dated special hours.
void check_schedules(const core::Config& c, Sink& sink) {
  for (const core::Schedule& s : c.schedules) {
    if (!s.hours.empty() && !core::opens_for_ever(s)) {
      sink.error(s.where, "schedule '" + s.name +
                              "' is closed every day of the year by its yearly holidays: it "
                              "would never be open (but for dated special hours)");
    }
  }
}

// A claim_timeout or stale_after that can take two weeks or more of wall time on its pool's
// schedule: business time runs only while the schedule is open.
void check_wall_time(const Built& built, Sink& sink) {
  const core::Config& c = built.config;
  for (const Timing& t : built.timings) {
    const auto pool = std::find_if(c.pools.begin(), c.pools.end(),
                                   [&](const core::Pool& p) { return p.name == t.pool; });
    if (pool == c.pools.end() || !pool->schedule) {
      continue;
    }
    const auto schedule =
        std::find_if(c.schedules.begin(), c.schedules.end(),
                     [&](const core::Schedule& s) { return s.name == *pool->schedule; });
    if (schedule == c.schedules.end() || !core::opens_for_ever(*schedule)) {
      continue;  // reported on the schedule
    }
    const std::string what = t.owner + ": " + t.key + " " + util::format_duration(t.value.count());
    const std::string on = " on schedule '" + schedule->name + "'" +
                           (t.owner.starts_with("rule") ? " (of pool '" + pool->name + "')" : "");
    const auto wall = core::longest_wall_time(*schedule, t.value);
    if (!wall) {
      sink.warning(t.at, what + " would not pass before the year 9999" + on);
    } else if (*wall >= k_long_wall) {
      const auto days = (*wall + std::chrono::days{1} - core::Duration{1}) / std::chrono::days{1};
      sink.warning(t.at, what + " can take up to " + std::to_string(days) + " days of wall time" +
                             on + ", which is open " +
                             util::format_duration(core::weekly_open_time(*schedule).count()) +
                             " a week");
    }
  }
}

}  // namespace

void validate(Built& built, Sink& sink) {
  check_references(built, sink);
  flatten_holidays(built.config);
  check_pools(built, sink);
  check_rules(built, sink);
  check_required_tags(built, sink);
  check_unused(built, sink);
  check_schedules(built.config, sink);
  check_wall_time(built, sink);
  check_notifications(built.config, sink);
}

}  // namespace router::config
