#include "engine/report.hpp"

#include <algorithm>
#include <charconv>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "engine/lead_convert.hpp"
#include "store/delivery_store.hpp"

namespace router::engine {
namespace {

// Where the value of `"key"` starts in `detail` (after the colon and blanks), or npos.
std::size_t value_start(std::string_view detail, std::string_view key) {
  std::string quoted;
  quoted.reserve(key.size() + 2);
  quoted.append(1, '"').append(key).append(1, '"');
  for (std::size_t at = detail.find(quoted); at != std::string_view::npos;
       at = detail.find(quoted, at + 1)) {
    std::size_t i = at + quoted.size();
    while (i < detail.size() && (detail[i] == ' ' || detail[i] == '\t' || detail[i] == '\n')) {
      ++i;
    }
    if (i < detail.size() && detail[i] == ':') {
      ++i;
      while (i < detail.size() && (detail[i] == ' ' || detail[i] == '\t' || detail[i] == '\n')) {
        ++i;
      }
      return i;
    }
  }
  return std::string_view::npos;
}

void add_open(std::vector<ReportRow>& rows, const std::vector<store::KeyCount>& open) {
  for (const auto& oc : open) {
    for (auto& row : rows) {
      if (row.key == oc.key) {
        row.figures.open += oc.count;
      }
    }
  }
}

// An agent's memberships with their limits and usage at `now` in each pool's zone.
std::vector<LimitUsage> limits_of(const core::Config& config, const std::string& agent,
                                  const std::vector<store::UsageRow>& usage, util::Time now) {
  std::vector<LimitUsage> limits;
  for (const auto& pool : config.pools) {
    for (const auto& m : pool.members) {
      if (m.agent != agent) {
        continue;
      }
      const auto [day, month] = usage_periods(config.pool_zone(pool), now);
      LimitUsage l{pool.name, m.daily_limit, 0, m.monthly_limit, 0};
      for (const auto& u : usage) {
        if (u.pool == pool.name && u.agent == agent) {
          l.today += u.period == day ? u.count : 0;
          l.month += u.period == month ? u.count : 0;
        }
      }
      limits.push_back(l);
    }
  }
  return limits;
}

std::vector<std::string> usage_period_names(const core::Config& config, util::Time now) {
  std::set<std::string> names;
  for (const auto& pool : config.pools) {
    const auto [day, month] = usage_periods(config.pool_zone(pool), now);
    names.insert(day);
    names.insert(month);
  }
  return {names.begin(), names.end()};
}

QueueReport queue_report(store::ReportStore& store, const core::Config& config, util::Time now) {
  QueueReport q;
  const auto manual = store.manual_queue();
  q.depth = manual.depth;
  if (manual.oldest_received) {
    q.oldest_seconds = std::max<std::int64_t>(0, (now - *manual.oldest_received).count());
  }
  const auto queued = store.pool_queues();
  const auto depth_of = [&](const std::string& pool) {
    const auto it = std::find_if(queued.begin(), queued.end(),
                                 [&](const store::KeyCount& k) { return k.key == pool; });
    return it == queued.end() ? std::int64_t{0} : it->count;
  };
  for (const auto& pool : config.pools) {
    if (pool.strategy == core::Strategy::open_pool || depth_of(pool.name) > 0) {
      q.pools.emplace_back(pool.name, depth_of(pool.name));
    }
  }
  for (const auto& k : queued) {  // pools no longer configured (the sweep moves them)
    if (k.key && !config.find_pool(*k.key)) {
      q.pools.emplace_back(*k.key, k.count);
    }
  }
  return q;
}

}  // namespace

const char* to_string(GroupBy by) {
  switch (by) {
  case GroupBy::agent: return "agent";
  case GroupBy::pool: return "pool";
  case GroupBy::rule: return "rule";
  case GroupBy::source: return "source";
  }
  return "agent";
}

const char* plural(GroupBy by) {
  switch (by) {
  case GroupBy::agent: return "agents";
  case GroupBy::pool: return "pools";
  case GroupBy::rule: return "rules";
  case GroupBy::source: return "sources";
  }
  return "agents";
}

std::optional<GroupBy> parse_group_by(std::string_view text) {
  for (const GroupBy by : {GroupBy::agent, GroupBy::pool, GroupBy::rule, GroupBy::source}) {
    if (text == to_string(by)) {
      return by;
    }
  }
  return std::nullopt;
}

const std::vector<ReportRow>& Report::rows() const {
  switch (by) {
  case GroupBy::agent: return agents;
  case GroupBy::pool: return pools;
  default: return groups;
  }
}

util::Time start_of_month(const util::Zone* zone, util::Time now) {
  const auto local = zone ? zone->to_local(now) : date::local_seconds{now.time_since_epoch()};
  const date::year_month_day ymd{date::floor<date::days>(local)};
  const date::local_days first{ymd.year() / ymd.month() / 1};
  if (!zone) {
    return util::Time{first.time_since_epoch()};
  }
  return zone->to_sys(date::local_seconds{first}, date::choose::earliest);
}

std::optional<double> median(std::vector<std::int64_t>& values) {
  if (values.empty()) {
    return std::nullopt;
  }
  const std::size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
  const auto upper = static_cast<double>(values[mid]);
  if (values.size() % 2 == 1) {
    return upper;
  }
  const auto lower =
      *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid));
  return (static_cast<double>(lower) + upper) / 2.0;
}

std::optional<std::int64_t> detail_int(std::string_view detail, std::string_view key) {
  const std::size_t at = value_start(detail, key);
  if (at == std::string_view::npos) {
    return std::nullopt;
  }
  std::int64_t value = 0;
  const auto [end, error] =
      std::from_chars(detail.data() + at, detail.data() + detail.size(), value);
  if (error != std::errc{} || end == detail.data() + at) {
    return std::nullopt;
  }
  return value;
}

std::optional<std::string> detail_string(std::string_view detail, std::string_view key) {
  const std::size_t at = value_start(detail, key);
  if (at == std::string_view::npos || detail[at] != '"') {
    return std::nullopt;
  }
  const std::size_t end = detail.find('"', at + 1);
  if (end == std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view raw = detail.substr(at + 1, end - at - 1);
  if (raw.find('\\') == std::string_view::npos) {
    return std::string{raw};
  }
  // Escapes are rare (our writers never produce them here): let the JSON parser decode.
  const auto parsed = nlohmann::json::parse(detail, nullptr, false);
  if (parsed.is_object() && parsed.contains(key) && parsed[std::string{key}].is_string()) {
    return parsed[std::string{key}].get<std::string>();
  }
  return std::nullopt;
}

EventFigure classify(const store::ReportEventRow& row) {
  using Kind = EventFigure::Kind;
  EventFigure e;
  const std::string_view t = row.type;
  if (t == "offered") {
    e.kind = Kind::offered;
  } else if (t == "claimed") {
    e.kind = Kind::claimed;
    e.claim_seconds = detail_int(row.detail, "seconds_to_claim");
  } else if (t == "assigned") {
    e.kind = Kind::assigned;
    const auto reason = detail_string(row.detail, "reason");
    e.defaulted = reason == "default" || reason == "exhausted";
  } else if (t == "closed") {
    const auto outcome = detail_string(row.detail, "outcome");
    e.kind = outcome == "won" ? Kind::won : outcome == "lost" ? Kind::lost : Kind::closed_other;
  } else if (t == "expired") {
    e.kind = Kind::expired;
  } else if (t == "declined") {
    e.kind = Kind::declined;
  } else if (t == "picked_up") {
    e.kind = Kind::picked_up;
  } else if (t == "queued") {
    e.kind = Kind::queued;
  }
  return e;
}

void Tally::count(Group& g, const EventFigure& e) {
  using Kind = EventFigure::Kind;
  auto& f = g.figures;
  switch (e.kind) {
  case Kind::offered: ++f.offered; break;
  case Kind::claimed:
    ++f.claimed;
    ++f.assigned;
    if (e.claim_seconds) {
      g.claim_seconds.push_back(*e.claim_seconds);
    }
    break;
  case Kind::assigned:
    ++f.assigned;
    f.defaulted += e.defaulted ? 1 : 0;
    break;
  case Kind::expired: ++f.expired; break;
  case Kind::declined: ++f.declined; break;
  case Kind::picked_up: ++f.picked_up; break;
  case Kind::won: ++f.won; break;
  case Kind::lost: ++f.lost; break;
  case Kind::queued: ++f.queued; break;
  case Kind::closed_other:
  case Kind::none: break;
  }
}

void Tally::add(const std::optional<std::string_view>& key, const EventFigure& event) {
  if (event.kind == EventFigure::Kind::none) {
    return;
  }
  count(m_all, event);
  if (!key) {
    count(m_none, event);
    return;
  }
  const std::size_t i = m_names.index(*key);
  if (i == m_groups.size()) {
    m_groups.emplace_back();
  }
  count(m_groups[i], event);
}

ReportRow Tally::finish(std::optional<std::string> key, Group& g) {
  ReportRow row{std::move(key), g.figures, {}};
  const auto decided = row.figures.won + row.figures.lost;
  if (decided > 0) {
    row.figures.close_rate = static_cast<double>(row.figures.won) / static_cast<double>(decided);
  }
  row.figures.median_claim_seconds = median(g.claim_seconds);
  return row;
}

std::vector<ReportRow> Tally::rows(const std::vector<std::string>& configured,
                                   const std::vector<store::KeyCount>& open) {
  std::vector<ReportRow> rows;
  std::set<std::string> done;
  for (const auto& name : configured) {
    if (!done.insert(name).second) {
      continue;
    }
    Group empty;
    rows.push_back(finish(name, find(name) ? *find(name) : empty));
  }
  std::set<std::string> others(m_names.keys().begin(), m_names.keys().end());
  for (const auto& oc : open) {
    if (oc.key && oc.count > 0) {
      others.insert(*oc.key);
    }
  }
  for (const auto& name : others) {
    if (done.count(name) == 0) {
      Group empty;
      rows.push_back(finish(name, find(name) ? *find(name) : empty));
    }
  }
  const bool open_without_key =
      std::any_of(open.begin(), open.end(), [](const auto& oc) { return !oc.key && oc.count > 0; });
  const auto& n = m_none.figures;
  if (open_without_key || n.offered + n.claimed + n.expired + n.declined + n.assigned +
                                  n.picked_up + n.won + n.lost + n.queued >
                              0) {
    rows.push_back(finish(std::nullopt, m_none));
  }
  add_open(rows, open);
  return rows;
}

Tally::Group* Tally::find(const std::string& name) {
  const auto& keys = m_names.keys();
  const auto it = std::find(keys.begin(), keys.end(), name);
  return it == keys.end() ? nullptr : &m_groups[static_cast<std::size_t>(it - keys.begin())];
}

ReportRow Tally::total() {
  return finish(std::nullopt, m_all);
}

Report build_report(store::Database& db, const core::Config& config, const ReportRequest& req) {
  Report report;
  report.since = req.since;
  report.until = req.until;
  report.by = req.by;
  store::ReportStore store(db);

  Tally agents;
  Tally pools;
  Tally groups;
  const bool by_other = req.by == GroupBy::rule || req.by == GroupBy::source;
  // A period that ends now includes what happened at this very second (the sweep that just
  // ran at --now); an explicit --until stays exclusive.
  const util::Time scan_until = req.until_now ? req.until + std::chrono::seconds{1} : req.until;
  std::optional<store::LeadColumn> extra;
  if (by_other) {
    extra = req.by == GroupBy::rule ? store::LeadColumn::rule : store::LeadColumn::source;
  }
  store.scan_events(req.since, scan_until, extra, [&](const store::ReportEventRow& row) {
    const EventFigure event = classify(row);
    agents.add(row.agent, event);
    pools.add(row.pool, event);
    if (by_other) {
      groups.add(req.by == GroupBy::rule ? row.rule : row.source, event);
    }
  });

  std::vector<std::string> agent_names;
  for (const auto& a : config.agents) {
    agent_names.push_back(a.id);
  }
  std::vector<std::string> pool_names;
  for (const auto& p : config.pools) {
    pool_names.push_back(p.name);
  }
  report.agents = agents.rows(agent_names, store.open_by_agent());
  // The open leads by pool and by the other grouping come from one pass over the leads.
  std::vector<store::KeyCount> open_pools;
  std::vector<store::KeyCount> open_groups;
  if (by_other) {
    std::tie(open_pools, open_groups) =
        store.open_by(store::LeadColumn::pool, req.by == GroupBy::rule ? store::LeadColumn::rule
                                                                       : store::LeadColumn::source);
  } else {
    open_pools = store.open_by(store::LeadColumn::pool);
  }
  report.pools = pools.rows(pool_names, open_pools);
  if (req.by == GroupBy::rule) {
    std::vector<std::string> rule_names;
    for (const auto& r : config.rules) {
      rule_names.push_back(r.name);
    }
    report.groups = groups.rows(rule_names, open_groups);
  } else if (req.by == GroupBy::source) {
    report.groups = groups.rows({}, open_groups);
  }

  report.total = agents.total();
  for (const auto& oc : open_pools) {
    report.total.figures.open += oc.count;
  }
  const auto usage = store.usage(usage_period_names(config, req.now));
  for (auto& row : report.agents) {
    if (row.key) {
      row.limits = limits_of(config, *row.key, usage, req.now);
    }
  }
  report.queue = queue_report(store, config, req.now);
  {
    store::DeliveryStore deliveries(db);
    auto states = deliveries.open_counts();
    auto& n = report.notifications;
    n.shown = config.notifications.has_value() || deliveries.any();
    n.sent = deliveries.sent_between(req.since, req.until, req.until_now);
    n.pending = states["pending"] + states["sending"];
    n.failed = states["failed"];
  }
  return report;
}

}  // namespace router::engine
