#include "engine/assign.hpp"

#include <map>
#include <set>

#include "core/route.hpp"
#include "engine/decision_json.hpp"
#include "engine/lead_convert.hpp"
#include "engine/trail.hpp"
#include "store/routing.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace router::engine {
namespace {

// What a batch changes besides the lead rows, written once at its end.
struct BatchEffects {
  std::map<std::tuple<std::string, std::string, std::string>, int> usage;  // pool, agent, period
  std::set<std::string> rotated;  // pools whose rotation moved: their snapshot cursor
};

// What the store writes after `d`, mirrored in the in-memory snapshot for the next lead.
void apply(core::Snapshot& snapshot, BatchEffects& effects, core::Decision& d,
           const std::map<std::string, store::Periods>& periods, util::Time now) {
  if (d.pool && d.new_cursor) {
    snapshot.pools[*d.pool].cursor = std::move(d.new_cursor);
    effects.rotated.insert(*d.pool);
  }
  for (const auto& id : d.chosen) {
    if (d.pool && d.counts_against_limits) {
      auto& usage = snapshot.pools[*d.pool].usage[id];
      ++usage.today;
      ++usage.month;
      const auto& p = periods.at(*d.pool);
      ++effects.usage[{*d.pool, id, p.day}];
      ++effects.usage[{*d.pool, id, p.month}];
    }
    auto& state = snapshot.agents[id];
    ++state.active;
    state.last_assigned_at = now;
  }
}

void flush(store::RoutingStore& store, const BatchEffects& effects,
           const core::Snapshot& snapshot) {
  store.flush_deferred();
  for (const auto& [key, delta] : effects.usage) {
    store.add_usage(std::get<0>(key), std::get<1>(key), std::get<2>(key), delta);
  }
  for (const auto& pool : effects.rotated) {
    if (const auto& cursor = snapshot.pool(pool).cursor) {
      store.save_rotation(pool, *cursor);
    }
  }
}

// The named leads, each checked to exist and be pending.
std::vector<store::QueuedLead> named_leads(store::RoutingStore& store,
                                           const std::vector<std::string>& ids) {
  std::vector<store::QueuedLead> out;
  std::set<std::string> seen;
  for (const auto& id : ids) {
    if (!seen.insert(id).second) {
      continue;
    }
    auto row = store.find(id);
    if (!row) {
      throw util::Refused("no lead '" + id + "'" + util::did_you_mean(id, store.ids_near(id)));
    }
    if (row->state != "pending") {
      throw util::Refused("lead '" + id + "' is " + row->state +
                          ", not pending; use 'router reassign' to route it again");
    }
    out.push_back({0, std::move(*row)});
  }
  return out;
}

class Router {
public:
  Router(store::Database& db, const core::Config& config, util::Time now, util::Random& random,
         const DecisionSink& sink, bool rule_texts)
      : m_store(db), m_config(config), m_now(now), m_random(random), m_sink(sink),
        m_periods(pool_periods(config, now)), m_needs(needs_of(config)) {
    m_request.rule_texts = rule_texts;
    m_store.bulk_mode();
  }

  // Loads the snapshot; call at the start of every transaction.
  void begin() {
    std::vector<std::pair<std::string, store::Periods>> periods(m_periods.begin(), m_periods.end());
    m_snapshot = m_store.load_snapshot(m_config, m_now, periods, m_needs);
    m_effects = {};
  }

  // Decides and writes one lead; false when another process had routed it meanwhile.
  bool route(const store::LeadRow& row, AssignSummary& summary) {
    const core::Lead lead = to_core_lead(row);
    core::LeadHistory history;
    history.attempts = static_cast<int>(row.attempts);
    std::vector<std::string> keys;
    if (m_config.owner_match) {
      keys = contact_keys(*m_config.owner_match, lead);
      history.prior_owner =
          m_store.prior_owner(keys, lead.id, m_now - m_config.owner_match->within);
    }
    core::Decision d = core::route(m_config, m_snapshot, lead, history, m_request, m_now, m_random);
    if (!m_store.write_decision(d, row, "pending", m_now, 0, encode_trail(d, m_config, m_now),
                                m_config)) {
      ++summary.skipped;
      return false;
    }
    if (!keys.empty()) {
      m_store.remember_contacts(keys, lead.id, lead.received_at);
    }
    ++summary.routed;
    switch (d.outcome) {
    case core::Outcome::offer: ++summary.offered; break;
    case core::Outcome::assign: ++summary.assigned; break;
    case core::Outcome::queue:
    case core::Outcome::open_pool: ++summary.queued; break;
    }
    m_sink(d);
    apply(m_snapshot, m_effects, d, m_periods, m_now);  // moves the decision's cursor
    return true;
  }

  // Writes the batch's usage and rotation; call before committing.
  void end() {
    flush(m_store, m_effects, m_snapshot);
    m_effects = {};
  }

  store::RoutingStore& store() { return m_store; }

private:
  store::RoutingStore m_store;
  const core::Config& m_config;
  util::Time m_now;
  util::Random& m_random;
  const DecisionSink& m_sink;
  std::map<std::string, store::Periods> m_periods;
  store::SnapshotNeeds m_needs;
  core::Snapshot m_snapshot;
  BatchEffects m_effects;
  core::RouteRequest m_request = core::RouteRequest::fresh();
};

}  // namespace

AssignSummary assign(store::Database& db, const core::Config& config, util::Time now,
                     util::Random& random, const AssignOptions& options, const DecisionSink& sink) {
  AssignSummary summary;
  Router router(db, config, now, random, sink, options.rule_texts);
  if (!options.leads.empty()) {
    store::WriteTransaction tx(db);
    router.begin();
    for (const auto& lead : named_leads(router.store(), options.leads)) {
      router.route(lead.row, summary);
    }
    router.end();
    if (!options.dry_run) {
      if (options.before_commit) {
        options.before_commit();
      }
      tx.commit();
    }
    return summary;
  }
  // A dry run decides everything in one transaction that is rolled back, so later
  // decisions see earlier ones exactly as a real run would.
  std::optional<store::WriteTransaction> tx;
  util::Time after_time{std::chrono::seconds{INT64_MIN}};
  std::int64_t after_rowid = INT64_MIN;
  while (true) {
    if (!tx) {
      tx.emplace(db);
      router.begin();
    }
    const auto batch = router.store().pending_after(after_time, after_rowid, options.batch_size);
    // Leads come oldest first; one received after `now` has not arrived yet (a backfill
    // run with --now, or a CRM clock ahead): it and every later one wait for a later run.
    bool arrived_all = true;
    for (const auto& lead : batch) {
      if (lead.row.received_at > now) {
        arrived_all = false;
        break;
      }
      router.route(lead.row, summary);
    }
    if (!batch.empty()) {
      after_time = batch.back().row.received_at;
      after_rowid = batch.back().rowid;
    }
    router.end();
    if (!options.dry_run) {
      if (options.before_commit) {
        options.before_commit();
      }
      tx->commit();
      tx.reset();
    }
    if (!arrived_all || batch.size() < options.batch_size) {
      break;
    }
  }
  return summary;
}

}  // namespace router::engine
