// The figures of `router simulate`, counted from a side's events: the same count for the
// record and for both replays, so an unchanged configuration can be compared with itself.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>
#include <string_view>
#include <unordered_map>

#include "core/calendar.hpp"
#include "engine/report.hpp"
#include "engine/simulate.hpp"
#include "engine/simulate_time.hpp"

namespace router::engine {
// Named, not anonymous: SideTally::State holds these.
namespace tally_detail {

// One group's counts while the events stream past.
struct Counting {
  SimFigures figures;
  std::vector<std::uint32_t> leads;  // the leads seen, by number, with repeats until counted
  std::vector<std::int64_t> claim_seconds;
};

// Groups by name, remembering the order names were first seen.
class Groups {
public:
  Counting* at(const std::optional<std::string>& name) {
    if (!name) {
      return nullptr;
    }
    auto [it, added] = m_index.try_emplace(*name, m_rows.size());
    if (added) {
      m_rows.emplace_back(*name, Counting{});
    }
    return &m_rows[it->second].second;
  }
  std::vector<std::pair<std::string, Counting>>& rows() { return m_rows; }

private:
  std::unordered_map<std::string, std::size_t> m_index;
  std::vector<std::pair<std::string, Counting>> m_rows;
};

// An offer waiting for its agent's answer.
struct Waiting {
  util::Time at;
  std::optional<std::string> pool;
  std::optional<std::string> rule;
};

// The nearest-rank 90th percentile of sorted values.
std::int64_t p90(const std::vector<std::int64_t>& sorted) {
  const auto rank = static_cast<std::size_t>(std::ceil(0.9 * static_cast<double>(sorted.size())));
  return sorted[std::max<std::size_t>(rank, 1) - 1];
}

SimFigures figures_of(Counting& c) {
  SimFigures f = c.figures;
  std::sort(c.leads.begin(), c.leads.end());
  f.leads = std::unique(c.leads.begin(), c.leads.end()) - c.leads.begin();
  if (!c.claim_seconds.empty()) {
    f.median_claim_seconds = median(c.claim_seconds);
    std::sort(c.claim_seconds.begin(), c.claim_seconds.end());
    f.p90_claim_seconds = p90(c.claim_seconds);
  }
  return f;
}

// Rows: `configured` names first in that order, then the others seen, sorted.
std::vector<SimRow> rows_of(Groups& groups, const std::vector<std::string>& configured) {
  std::vector<SimRow> rows;
  std::set<std::string> listed;
  std::unordered_map<std::string, Counting*> by_name;
  for (auto& [name, counting] : groups.rows()) {
    by_name.emplace(name, &counting);
  }
  for (const auto& name : configured) {
    if (!listed.insert(name).second) {
      continue;
    }
    const auto it = by_name.find(name);
    Counting empty;
    rows.push_back({name, figures_of(it == by_name.end() ? empty : *it->second)});
  }
  std::vector<SimRow> others;
  for (auto& [name, counting] : groups.rows()) {
    if (!listed.count(name)) {
      others.push_back({name, figures_of(counting)});
    }
  }
  std::sort(others.begin(), others.end(),
            [](const SimRow& a, const SimRow& b) { return a.name < b.name; });
  rows.insert(rows.end(), others.begin(), others.end());
  return rows;
}

std::int64_t hits_of(const std::map<std::string, std::int64_t>& hits, const std::string& name) {
  const auto it = hits.find(name);
  return it == hits.end() ? 0 : it->second;
}

}  // namespace tally_detail

using namespace tally_detail;

struct SideTally::State {
  const core::Config& config;
  std::optional<core::Duration> sla;
  Groups agents;
  Groups pools;
  Groups rules;
  Counting total;
  std::unordered_map<std::string, std::uint32_t> ids;  // every lead seen, numbered
  std::unordered_map<std::string, Waiting> waiting;    // by lead and agent

  // Calls fn on the groups of the agent, pool and rule given and on the total, counting
  // the lead under each (an empty lead: already counted).
  template <class Fn>
  void each(std::string_view lead, const std::optional<std::string>& agent,
            const std::optional<std::string>& pool, const std::optional<std::string>& rule,
            Fn&& fn) {
    const auto number = static_cast<std::uint32_t>(ids.size());
    const std::uint32_t id =
        lead.empty() ? 0 : ids.try_emplace(std::string(lead), number).first->second;
    for (Counting* c : {agents.at(agent), pools.at(pool), rules.at(rule), &total}) {
      if (c) {
        if (!lead.empty() && (c->leads.empty() || c->leads.back() != id)) {
          c->leads.push_back(id);
        }
        fn(*c);
      }
    }
  }

  // Ends the offer of e.lead_id to e.agent: counts an SLA miss when it waited too long.
  void end_offer(const store::RecordEvent& e, bool claimed) {
    const auto it = waiting.find(e.lead_id + '\x1f' + *e.agent);
    if (it == waiting.end()) {
      return;
    }
    const Waiting w = it->second;
    waiting.erase(it);
    const auto waited = business_between(config, w.pool, w.at, e.at);
    if (claimed) {
      each(e.lead_id, e.agent, w.pool, w.rule,
           [&](Counting& c) { c.claim_seconds.push_back(waited.count()); });
    }
    const auto limit = sla_of(config, w.pool, sla);
    if (limit && (claimed ? waited > *limit : waited >= *limit)) {
      each(e.lead_id, e.agent, w.pool, w.rule, [](Counting& c) { ++c.figures.sla_misses; });
    }
  }
};

SideTally::SideTally(const core::Config& config, std::optional<core::Duration> sla)
    : m_state(std::make_unique<State>(State{config, sla, {}, {}, {}, {}, {}, {}})) {}

SideTally::~SideTally() = default;

void SideTally::add(const store::RecordEvent& e) {
  State& s = *m_state;
  const auto& t = e.type;
  if (t == "offered" && e.agent) {
    s.waiting[e.lead_id + '\x1f' + *e.agent] = {e.at, e.pool, e.rule};
    s.each(e.lead_id, e.agent, e.pool, e.rule, [](Counting& c) { ++c.figures.offered; });
  } else if (t == "claimed" && e.agent) {
    s.end_offer(e, true);
    s.each(e.lead_id, e.agent, e.pool, e.rule, [](Counting& c) {
      ++c.figures.claimed;
      ++c.figures.assigned;
    });
  } else if ((t == "declined" || t == "expired" || t == "withdrawn") && e.agent) {
    s.end_offer(e, false);
    s.each(e.lead_id, e.agent, e.pool, e.rule, [&](Counting& c) {
      if (t == "declined") {
        ++c.figures.declined;
      } else if (t == "expired") {
        ++c.figures.expired;
      }
    });
  } else if (t == "assigned") {
    const bool defaulted = e.reason == "default" || e.reason == "exhausted";
    s.each(e.lead_id, e.agent, e.pool, e.rule, [&](Counting& c) {
      ++c.figures.assigned;
      c.figures.defaulted += defaulted ? 1 : 0;
    });
  } else if (t == "picked_up") {
    s.each(e.lead_id, e.agent, e.pool, e.rule, [](Counting& c) { ++c.figures.picked_up; });
  } else if (t == "queued") {
    s.each(e.lead_id, std::nullopt, e.pool, e.rule, [](Counting& c) { ++c.figures.queued; });
  } else if (t != "touched" && t != "closed" && t != "reassign_requested") {
    // Other events only tell which pool and rule saw the lead.
    s.each(e.lead_id, std::nullopt, e.pool, e.rule, [](Counting&) {});
  }
}

SimSide SideTally::finish(std::int64_t leads, util::Time until, const LimitHits* limit_hits) {
  State& s = *m_state;
  const core::Config& config = s.config;
  Groups& agents = s.agents;
  Groups& pools = s.pools;
  Groups& rules = s.rules;
  // Offers still waiting at the end of the period waited until then.
  for (const auto& [key, w] : s.waiting) {
    const auto limit = sla_of(config, w.pool, s.sla);
    if (limit && business_between(config, w.pool, w.at, until) >= *limit) {
      const std::optional<std::string> agent = key.substr(key.find('\x1f') + 1);
      s.each({}, agent, w.pool, w.rule, [](Counting& c) { ++c.figures.sla_misses; });
    }
  }

  SimSide side;
  std::vector<std::string> names;
  for (const auto& a : config.agents) {
    names.push_back(a.id);
  }
  side.agents = rows_of(agents, names);
  names.clear();
  for (const auto& p : config.pools) {
    names.push_back(p.name);
  }
  side.pools = rows_of(pools, names);
  names.clear();
  for (const auto& r : config.rules) {
    names.push_back(r.name);
  }
  side.rules = rows_of(rules, names);
  side.total = figures_of(s.total);
  side.total.leads = leads;

  std::int64_t owned = 0;
  for (const auto& row : side.agents) {
    owned += row.figures.assigned + row.figures.picked_up;
  }
  for (auto& row : side.agents) {
    if (owned > 0) {
      row.figures.share = static_cast<double>(row.figures.assigned + row.figures.picked_up) /
                          static_cast<double>(owned);
    }
  }
  for (auto* list : {&side.pools, &side.rules}) {
    for (auto& row : *list) {
      if (leads > 0) {
        row.figures.share = static_cast<double>(row.figures.leads) / static_cast<double>(leads);
      }
    }
  }
  side.limits_known = limit_hits != nullptr;
  if (limit_hits) {
    for (auto& row : side.agents) {
      row.figures.limit_hits = hits_of(limit_hits->agents, row.name);
    }
    for (auto& row : side.pools) {
      row.figures.limit_hits = hits_of(limit_hits->pools, row.name);
    }
    for (auto& row : side.rules) {
      row.figures.limit_hits = hits_of(limit_hits->rules, row.name);
    }
    side.total.limit_hits = limit_hits->total;
  }
  return side;
}

namespace {

SimFigures minus(const SimFigures& b, const SimFigures& a) {
  SimFigures d;
  d.leads = b.leads - a.leads;
  d.offered = b.offered - a.offered;
  d.claimed = b.claimed - a.claimed;
  d.declined = b.declined - a.declined;
  d.expired = b.expired - a.expired;
  d.assigned = b.assigned - a.assigned;
  d.picked_up = b.picked_up - a.picked_up;
  d.defaulted = b.defaulted - a.defaulted;
  d.queued = b.queued - a.queued;
  d.limit_hits = b.limit_hits - a.limit_hits;
  d.sla_misses = b.sla_misses - a.sla_misses;
  d.share = b.share.value_or(0) - a.share.value_or(0);
  if (!a.share && !b.share) {
    d.share.reset();
  }
  if (a.median_claim_seconds && b.median_claim_seconds) {
    d.median_claim_seconds = *b.median_claim_seconds - *a.median_claim_seconds;
  }
  if (a.p90_claim_seconds && b.p90_claim_seconds) {
    d.p90_claim_seconds = *b.p90_claim_seconds - *a.p90_claim_seconds;
  }
  return d;
}

// How much a row changed: the sum of its counts' changes, then its share's.
std::pair<std::int64_t, double> size_of(const SimFigures& d) {
  const std::int64_t counts = std::llabs(d.leads) + std::llabs(d.offered) + std::llabs(d.claimed) +
                              std::llabs(d.declined) + std::llabs(d.expired) +
                              std::llabs(d.assigned) + std::llabs(d.picked_up) +
                              std::llabs(d.defaulted) + std::llabs(d.queued) +
                              std::llabs(d.limit_hits) + std::llabs(d.sla_misses);
  return {counts, std::fabs(d.share.value_or(0))};
}

std::vector<SimRow> minus(const std::vector<SimRow>& current, const std::vector<SimRow>& proposed) {
  std::vector<SimRow> rows;
  std::map<std::string, const SimFigures*> before;
  for (const auto& row : current) {
    before.emplace(row.name, &row.figures);
  }
  const SimFigures none;
  std::set<std::string> seen;
  for (const auto& row : proposed) {
    const auto it = before.find(row.name);
    rows.push_back({row.name, minus(row.figures, it == before.end() ? none : *it->second)});
    seen.insert(row.name);
  }
  for (const auto& row : current) {
    if (!seen.count(row.name)) {
      rows.push_back({row.name, minus(none, row.figures)});
    }
  }
  std::stable_sort(rows.begin(), rows.end(), [](const SimRow& a, const SimRow& b) {
    return size_of(a.figures) > size_of(b.figures);
  });
  return rows;
}

}  // namespace

SimSide difference(const SimSide& current, const SimSide& proposed) {
  SimSide d;
  d.agents = minus(current.agents, proposed.agents);
  d.pools = minus(current.pools, proposed.pools);
  d.rules = minus(current.rules, proposed.rules);
  d.total = minus(proposed.total, current.total);
  d.total.share.reset();
  d.limits_known = current.limits_known && proposed.limits_known;
  for (const auto& [kind, n] : proposed.replayed) {
    d.replayed[kind] += n;
  }
  for (const auto& [kind, n] : current.replayed) {
    d.replayed[kind] -= n;
  }
  for (const auto& [kind, n] : proposed.skipped) {
    d.skipped[kind] += n;
  }
  for (const auto& [kind, n] : current.skipped) {
    d.skipped[kind] -= n;
  }
  return d;
}

}  // namespace router::engine
