#include "engine/assign.hpp"

#include <map>
#include <optional>
#include <set>
#include <stdexcept>

#include "core/route.hpp"
#include "core/sharing.hpp"
#include "engine/decision_json.hpp"
#include "engine/lead_convert.hpp"
#include "engine/state_locks.hpp"
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
  for (const auto& [key, delta] : effects.usage) {
    store.add_usage(std::get<0>(key), std::get<1>(key), std::get<2>(key), delta);
  }
  for (const auto& pool : effects.rotated) {
    if (const auto& cursor = snapshot.pool(pool).cursor) {
      store.save_rotation(pool, *cursor);
    }
  }
  // Last: in a shared transaction the events wait for their turn (Database::lock_appends).
  store.flush_deferred();
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

  // Loads the snapshot; call at the start of every transaction, with the leads it routes
  // (`only_these`: and no others, so the snapshot may be for their pools alone).
  void begin(const std::vector<core::Lead>& leads, bool only_these) {
    std::vector<std::pair<std::string, store::Periods>> periods(m_periods.begin(), m_periods.end());
    store::SnapshotNeeds needs = m_needs;
    if (only_these) {
      needs.bind = pools_to_bind(leads);
    }
    m_snapshot = m_store.load_snapshot(m_config, m_now, periods, needs);
    m_loaded = std::move(needs);
    m_effects = {};
  }

  // Decides and writes one lead (`lead` is `row` converted); false when another process had
  // routed it meanwhile.
  bool route(const store::LeadRow& row, const core::Lead& lead, AssignSummary& summary) {
    core::LeadHistory history;
    history.attempts = static_cast<int>(row.attempts);
    std::vector<std::string> keys;
    if (m_config.owner_match) {
      keys = contact_keys(*m_config.owner_match, lead);
      history.prior_owner =
          m_store.prior_owner(keys, lead.id, m_now - m_config.owner_match->within);
    }
    core::Decision d = core::route(m_config, m_snapshot, lead, history, m_request, m_now, m_random);
    if (!m_held.empty() && !core::within(d, m_held)) {
      // fresh_pool and StateGroups would be out of step with route(): a bug, never a guess.
      throw std::logic_error("lead '" + lead.id + "' was routed outside the state it locked");
    }
    if (d.pool && !m_loaded.for_pool(m_config, *d.pool)) {
      // The same drift against the pools the snapshot was loaded for.
      throw std::logic_error("lead '" + lead.id + "' was routed outside the pools loaded");
    }
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

  // In a shared transaction, before begin() reads the state: takes the state of the groups
  // of pools these leads go to that no other run holds (waiting for the first one only when
  // it gets none), so that the decisions are the ones a lone process would make. Says per
  // lead whether its group is held; a lead whose is not waits for a later batch.
  std::vector<bool> lock_state_of(const std::vector<core::Lead>& leads) {
    std::vector<std::optional<std::size_t>> group(leads.size());
    std::set<std::size_t> needed;
    for (std::size_t i = 0; i < leads.size(); ++i) {
      if (const core::Pool* pool = core::fresh_pool(m_config, leads[i])) {
        group[i] = m_locks.groups().group(pool->name);
        needed.insert(*group[i]);
      }
    }
    std::set<std::size_t> held;
    for (const std::size_t g : needed) {
      if (m_store.db().lock_state(m_locks.groups().names_of(g), false)) {
        held.insert(g);
      }
    }
    if (held.empty() && !needed.empty()) {
      m_store.db().lock_state(m_locks.groups().names_of(*needed.begin()), true);
      held.insert(*needed.begin());
    }
    m_held = {""};  // never empty in a shared transaction: route() checks against it
    for (const std::size_t g : held) {
      const auto& names = m_locks.groups().names_of(g);
      m_held.insert(names.begin(), names.end());
    }
    std::vector<bool> ready(leads.size());
    for (std::size_t i = 0; i < leads.size(); ++i) {
      ready[i] = !group[i] || held.count(*group[i]) != 0;
    }
    return ready;
  }

  // The pools the snapshot is for (store::SnapshotNeeds::bind): when there are fewer leads
  // than pools (a CRM's `assign` of one lead, a quiet minute), only the pools they go to
  // (core::fresh_pool, as route() decides without owner_match); else every pool, which costs
  // less than matching each lead's rules twice.
  std::optional<std::vector<bool>> pools_to_bind(const std::vector<core::Lead>& leads) const {
    if (m_config.owner_match || leads.size() >= m_config.pools.size()) {
      return std::nullopt;
    }
    std::vector<bool> bind(m_config.pools.size(), false);
    for (const auto& lead : leads) {
      if (const core::Pool* pool = core::fresh_pool(m_config, lead)) {
        bind[static_cast<std::size_t>(pool - m_config.pools.data())] = true;
      }
    }
    return bind;
  }

  // Writes the batch's usage and rotation; call before committing.
  void end() {
    flush(m_store, m_effects, m_snapshot);
    m_effects = {};
  }

  store::RoutingStore& store() { return m_store; }
  StateLocks& locks() { return m_locks; }

private:
  store::RoutingStore m_store;
  const core::Config& m_config;
  util::Time m_now;
  util::Random& m_random;
  const DecisionSink& m_sink;
  std::map<std::string, store::Periods> m_periods;
  store::SnapshotNeeds m_needs;
  core::Snapshot m_snapshot;
  store::SnapshotNeeds m_loaded;  // what m_snapshot was loaded for (its pools: bind)
  BatchEffects m_effects;
  StateLocks m_locks{m_store.db(), m_config};
  std::set<std::string> m_held;  // shared transaction: the state names locked; else empty
  core::RouteRequest m_request = core::RouteRequest::fresh();
};

}  // namespace

AssignSummary assign(store::Database& db, const core::Config& config, util::Time now,
                     util::Random& random, const AssignOptions& options, const DecisionSink& sink) {
  AssignSummary summary;
  Router router(db, config, now, random, sink, options.rule_texts);
  if (!options.leads.empty()) {
    store::WriteTransaction tx(db);
    const auto named = named_leads(router.store(), options.leads);
    std::vector<core::Lead> leads;
    leads.reserve(named.size());
    for (const auto& lead : named) {
      leads.push_back(to_core_lead(lead.row));
    }
    router.begin(leads, true);
    for (std::size_t i = 0; i < named.size(); ++i) {
      router.route(named[i].row, leads[i], summary);
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
  // On PostgreSQL concurrent runs share the pending leads: each batch claims its own rows and
  // takes the state of the pools they go to, so runs work side by side on different groups
  // of pools. Not with owner_match, whose lookups span every pool: there, as on SQLite,
  // runs take turns a batch at a time.
  const store::Sharing sharing =
      options.dry_run || config.owner_match ? store::Sharing::exclusive : router.locks().sharing();
  // A dry run decides everything in one transaction that is rolled back, so later
  // decisions see earlier ones exactly as a real run would.
  std::optional<store::WriteTransaction> tx;
  util::Time after_time{std::chrono::seconds{INT64_MIN}};
  std::int64_t after_rowid = INT64_MIN;
  while (true) {
    const bool fresh = !tx;
    if (fresh) {
      tx.emplace(db, sharing);
    }
    const auto batch = router.store().pending_after(after_time, after_rowid, options.batch_size);
    // Leads come oldest first; one received after `now` has not arrived yet (a backfill
    // run with --now, or a CRM clock ahead): it and every later one wait for a later run.
    std::vector<core::Lead> leads;
    leads.reserve(batch.size());
    for (const auto& lead : batch) {
      if (lead.row.received_at > now) {
        break;
      }
      leads.push_back(to_core_lead(lead.row));
    }
    const bool arrived_all = leads.size() == batch.size();
    std::vector<bool> ready;  // shared: whose state this batch holds
    if (fresh) {
      if (db.sharing()) {
        ready = router.lock_state_of(leads);
      }
      router.begin(leads, !options.dry_run);  // a dry run's later batches share it
    }
    // The keyset moves past every lead routed, up to the first one left for another batch.
    std::optional<std::size_t> first_left;
    for (std::size_t i = 0; i < leads.size(); ++i) {
      if (!ready.empty() && !ready[i]) {
        first_left = first_left.value_or(i);
        continue;
      }
      router.route(batch[i].row, leads[i], summary);
    }
    const std::size_t moved = first_left.value_or(batch.size());
    if (moved > 0) {
      after_time = batch[moved - 1].row.received_at;
      after_rowid = batch[moved - 1].rowid;
    }
    router.end();
    if (!options.dry_run) {
      if (options.before_commit) {
        options.before_commit();
      }
      tx->commit();
      tx.reset();
    }
    if (!first_left && (!arrived_all || batch.size() < options.batch_size)) {
      break;
    }
  }
  return summary;
}

}  // namespace router::engine
