#include "engine/simulate.hpp"

#include <functional>
#include <future>
#include <queue>
#include <set>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "core/calendar.hpp"
#include "core/route.hpp"
#include "engine/agents.hpp"
#include "engine/assign.hpp"
#include "engine/offers.hpp"
#include "engine/outcome.hpp"
#include "engine/pickup.hpp"
#include "engine/reassign.hpp"
#include "engine/reoffer.hpp"
#include "engine/simulate_time.hpp"
#include "engine/sweep.hpp"
#include "engine/touch.hpp"
#include "store/agents.hpp"
#include "store/leads.hpp"
#include "util/error.hpp"
#include "util/random.hpp"

namespace router::engine {

namespace {

const core::Schedule* schedule_of(const core::Config& config,
                                  const std::optional<std::string>& pool) {
  const core::Pool* p = pool ? config.find_pool(*pool) : nullptr;
  return p && p->schedule ? config.find_schedule(*p->schedule) : nullptr;
}

}  // namespace

core::Duration business_between(const core::Config& config, const std::optional<std::string>& pool,
                                util::Time a, util::Time b) {
  if (b <= a) {
    return core::Duration{0};
  }
  const core::Schedule* s = schedule_of(config, pool);
  return s ? core::business_time_between(*s, a, b) : b - a;
}

std::optional<util::Time> business_after(const core::Config& config,
                                         const std::optional<std::string>& pool, util::Time t,
                                         core::Duration d) {
  // As an offer's deadline is computed; a pool no longer configured counts wall time.
  const core::Pool* p = pool ? config.find_pool(*pool) : nullptr;
  return p ? core::offer_deadline(config, *p, t, d) : std::optional<util::Time>(t + d);
}

std::optional<core::Duration> sla_of(const core::Config& config,
                                     const std::optional<std::string>& pool,
                                     std::optional<core::Duration> sla) {
  if (sla) {
    return sla;
  }
  const core::Pool* p = pool ? config.find_pool(*pool) : nullptr;
  return p ? p->claim_timeout : std::nullopt;
}

namespace {

// What an agent did with one offer: claimed or declined it after some business time, or
// let it run out.
struct Reaction {
  enum class Kind { claim, decline, none };
  Kind kind = Kind::none;
  core::Duration after{0};
};

// Agents' behaviour as recorded. An offer the record holds (the same lead, agent and nth
// offer of the lead to them) gets its recorded reaction; any other is drawn from the
// agent's recorded reactions, else from those of the pool's members together (the pool's
// typical member), else from everyone's; with no record at all an offer is claimed at once.
class Behaviour {
public:
  explicit Behaviour(const core::Config& config) : m_config(config) {}

  // Learns from the record's next event (in seq order).
  void add(const store::RecordEvent& e) {
    if (!e.agent) {
      return;
    }
    const std::string key = e.lead_id + '\x1f' + *e.agent;
    if (e.type == "offered") {
      m_open[key] = {e.at, e.pool};
      // Unanswered until the answer below: still open at the end of the period.
      m_exact[key].emplace_back(Reaction{});
      return;
    }
    const auto it = m_open.find(key);
    if (it == m_open.end()) {
      return;
    }
    const bool claimed = e.type == "claimed";
    const bool declined = e.type == "declined";
    const bool expired = e.type == "expired";
    if (!claimed && !declined && !expired) {
      if (e.type == "withdrawn") {
        // Taken back before they answered: what they would have done is unknown.
        m_exact[key].back().reset();
        m_open.erase(it);
      }
      return;
    }
    Reaction r;
    if (!expired) {
      r.kind = claimed ? Reaction::Kind::claim : Reaction::Kind::decline;
      r.after = business_between(m_config, it->second.pool, it->second.at, e.at);
    }
    m_exact[key].back() = r;
    m_by_agent[*e.agent].push_back(r);
    if (it->second.pool) {
      m_by_pool[*it->second.pool].push_back(r);
    }
    m_all.push_back(r);
    m_open.erase(it);
  }

  // The reaction to the `nth` (from 0) offer of `lead` to `agent` through `pool`.
  // Only reads the record: both replays ask at once.
  Reaction react(const std::string& lead, const std::string& agent,
                 const std::optional<std::string>& pool, std::size_t nth,
                 util::Random& random) const {
    const auto exact = m_exact.find(lead + '\x1f' + agent);
    if (exact != m_exact.end() && nth < exact->second.size() && exact->second[nth]) {
      return *exact->second[nth];
    }
    const std::vector<Reaction>* sample = find(m_by_agent, agent);
    if (!sample && pool) {
      sample = find(m_by_pool, *pool);
    }
    if (!sample && !m_all.empty()) {
      sample = &m_all;
    }
    if (!sample) {
      return {Reaction::Kind::claim, core::Duration{0}};
    }
    random.restart_for(lead + '\x1f' + agent, nth);
    return (*sample)[random.below(sample->size())];
  }

private:
  static const std::vector<Reaction>*
  find(const std::unordered_map<std::string, std::vector<Reaction>>& map, const std::string& key) {
    const auto it = map.find(key);
    return it == map.end() || it->second.empty() ? nullptr : &it->second;
  }

  // An offer not answered yet while the record is read.
  struct Open {
    util::Time at;
    std::optional<std::string> pool;
  };

  const core::Config& m_config;
  std::unordered_map<std::string, Open> m_open;  // by lead and agent
  std::unordered_map<std::string, std::vector<std::optional<Reaction>>> m_exact;
  std::unordered_map<std::string, std::vector<Reaction>> m_by_agent;
  std::unordered_map<std::string, std::vector<Reaction>> m_by_pool;
  std::vector<Reaction> m_all;
};

// What the replays do by hand at the recorded time, as people did: assignments by hand,
// pick-ups, reassignment requests into a pool, outcomes and touches.
bool is_manual(const store::RecordEvent& e) {
  return (e.type == "assigned" && (e.reason == "manual" || e.reason == "manual_override")) ||
         e.type == "picked_up" || (e.type == "reassign_requested" && e.pool) ||
         e.type == "closed" || e.type == "touched";
}

// The record of a period, read once for both replays. Its events stream past once (into
// the record's figures and the agents' behaviour); only what the replays act on is kept.
struct Record {
  std::vector<store::NewLead> leads;
  std::vector<store::RecordEvent> manual;                  // is_manual events, in seq order
  std::unordered_map<std::string, util::Time> first_seen;  // by lead: its first event's time
  std::vector<store::RecordAgentChange> changes;
  std::vector<store::RecordMetric> metrics;
};

// The first instant of the minute after `t` (t itself on a minute): when cron's next sweep
// sees what fell due at t.
util::Time next_minute(util::Time t) {
  const auto minute = std::chrono::floor<std::chrono::minutes>(t);
  return minute == t ? t : util::Time(minute + std::chrono::minutes{1});
}

// One replay: a scratch database driven through the period by the engine.
class Replay {
public:
  Replay(const core::Config& config, const Record& record, const Behaviour& behaviour,
         const SimulateRequest& request)
      : m_db(store::Database::in_memory()), m_config(config), m_record(record),
        m_behaviour(behaviour), m_request(request),
        m_random(request.seed ? util::Random(*request.seed) : util::Random::unseeded()),
        m_draws(request.seed ? util::Random(*request.seed ^ 0x9e3779b97f4a7c15ULL)
                             : util::Random::unseeded()) {}

  SimSide run() {
    m_db.count_active_leads();
    seed_state();
    plan();
    while (!m_queue.empty()) {
      const Item item = m_queue.top();
      m_queue.pop();
      do_item(item);
    }
    SideTally counts(m_config, m_request.sla);
    store::RecordStore(m_db).each_event(m_request.since, m_request.until,
                                        [&](const store::RecordEvent& e) { counts.add(e); });
    SimSide side =
        counts.finish(static_cast<std::int64_t>(m_record.leads.size()), m_request.until, &m_hits);
    side.replayed = m_replayed;
    side.skipped = m_skipped;
    return side;
  }

private:
  // What happens at an instant, in this order among those at the same instant.
  enum class Kind { agent = 0, reaction = 1, manual = 2, sweep = 3, route = 4 };
  struct Item {
    util::Time at;
    Kind kind = Kind::sweep;
    std::uint64_t order = 0;  // insertion order among equals
    std::size_t index = 0;    // agent: m_record.changes; manual: m_record.manual; route: m_routes
    std::string lead;         // reaction
    std::string agent;        // reaction
    Reaction::Kind reaction = Reaction::Kind::none;
    bool operator>(const Item& o) const {
      return std::tie(at, kind, order) > std::tie(o.at, o.kind, o.order);
    }
  };

  static Item item_of(util::Time at, Kind kind, std::size_t index = 0) {
    Item item;
    item.at = at;
    item.kind = kind;
    item.index = index;
    return item;
  }

  void push(Item item) {
    if (item.at >= m_request.until) {
      return;
    }
    item.order = m_order++;
    m_queue.push(std::move(item));
  }
  void sweep_at(util::Time t) {
    t = std::max(next_minute(t), m_request.since);
    if (m_sweeps.insert(t).second) {
      push(item_of(t, Kind::sweep));
    }
  }

  // The agents' status and presence as the record had them at the start of the period,
  // and their metrics as they stand.
  void seed_state() {
    store::WriteTransaction tx(m_db);
    store::AgentStore agents(m_db);
    for (const auto& c : m_record.changes) {
      if (c.at >= m_request.since) {
        break;
      }
      apply(agents, c);
    }
    for (const auto& m : m_record.metrics) {
      agents.set_metric(m.agent, m.key, m.value, m_request.since);
    }
    tx.commit();
    // A leave running at the start ends by itself within the period: the sweep ends it then.
    for (const auto& [agent, state] : agents.states()) {
      if (state.status == "leave" && state.until) {
        sweep_at(*state.until);
      }
    }
  }

  void apply(store::AgentStore& agents, const store::RecordAgentChange& c) {
    if (c.kind == "status") {
      agents.set_status(c.agent, c.status, c.status == "leave" ? c.until : std::nullopt, c.at);
    } else if (c.kind == "login" || c.kind == "logout") {
      agents.set_online(c.agent, c.kind == "login", c.at);
    }
  }

  void plan() {
    for (std::size_t i = 0; i < m_record.changes.size(); ++i) {
      const auto& c = m_record.changes[i];
      // A leave the sweep ended ends here by the replay's own sweep.
      if (c.at >= m_request.since && !c.leave_ended) {
        push(item_of(c.at, Kind::agent, i));
      }
    }
    // Each lead is routed when the record first routed it (cron's minute, or the CRM's own
    // `assign`), else when it arrived.
    for (std::size_t i = 0; i < m_record.manual.size(); ++i) {
      push(item_of(m_record.manual[i].at, Kind::manual, i));
    }
    std::map<util::Time, std::vector<std::size_t>> routes;
    for (std::size_t i = 0; i < m_record.leads.size(); ++i) {
      const auto& lead = m_record.leads[i];
      const auto it = m_record.first_seen.find(lead.id);
      routes[it == m_record.first_seen.end() ? lead.received_at
                                             : std::max(it->second, lead.received_at)]
          .push_back(i);
    }
    for (auto& [at, leads] : routes) {
      push(item_of(at, Kind::route, m_routes.size()));
      m_routes.push_back(std::move(leads));
    }
    // Hourly sweeps stand for cron's every minute for what has no instant of its own here
    // (stale leads, leaves): the other sweeps are planned where something falls due.
    for (auto t = std::chrono::ceil<std::chrono::hours>(m_request.since); t < m_request.until;
         t += std::chrono::hours{1}) {
      sweep_at(util::Time(t));
    }
  }

  void do_item(const Item& item) {
    switch (item.kind) {
    case Kind::agent: {
      const auto& c = m_record.changes[item.index];
      store::WriteTransaction tx(m_db);
      store::AgentStore agents(m_db);
      apply(agents, c);
      tx.commit();
      if (c.kind == "status" && c.status == "leave" && c.until) {
        sweep_at(*c.until);
      }
      sweep_at(c.at);  // takes back offers from an agent who became unavailable
      break;
    }
    case Kind::reaction: react(item); break;
    case Kind::manual: manual(item.at, m_record.manual[item.index]); break;
    case Kind::sweep:
      sweep(m_db, m_config, item.at, m_random, {}, [&](const SweepNews& news) {
        if (news.kind == SweepNews::Kind::routed && news.routed) {
          decided(*news.routed, item.at);
        }
      });
      break;
    case Kind::route: route(item.at, m_routes[item.index]); break;
    }
  }

  void route(util::Time at, const std::vector<std::size_t>& leads) {
    AssignOptions options;
    {
      store::WriteTransaction tx(m_db);
      store::LeadStore store(m_db);
      for (const std::size_t i : leads) {
        store.add(m_record.leads[i]);
        options.leads.push_back(m_record.leads[i].id);
      }
      tx.commit();
    }
    options.rule_texts = false;
    assign(m_db, m_config, at, m_random, options, [&](const core::Decision& d) { decided(d, at); });
  }

  // Follows a decision made at `at`: limit hits, and each offer's answer and deadline.
  void decided(const core::Decision& d, util::Time at) {
    for (const auto& x : d.excluded) {
      if (x.code == core::Exclusion::daily_limit || x.code == core::Exclusion::monthly_limit) {
        ++m_hits.agents[x.agent];
        if (d.pool) {
          ++m_hits.pools[*d.pool];
        }
        if (d.rule) {
          ++m_hits.rules[*d.rule];
        }
        ++m_hits.total;
      }
    }
    if (d.outcome != core::Outcome::offer) {
      return;
    }
    // The sweep at the deadline is needed only when some offer may still be open then.
    bool all_answered = true;
    for (const auto& agent : d.chosen) {
      const std::size_t nth = m_offers[d.lead_id + '\x1f' + agent]++;
      const Reaction r = m_behaviour.react(d.lead_id, agent, d.pool, nth, m_draws);
      const auto when = r.kind == Reaction::Kind::none
                            ? std::nullopt
                            : business_after(m_config, d.pool, at, r.after);
      if (when) {
        Item item = item_of(*when, Kind::reaction);
        item.lead = d.lead_id;
        item.agent = agent;
        item.reaction = r.kind;
        push(std::move(item));
      }
      all_answered = all_answered && when && d.deadline && *when < *d.deadline;
    }
    if (d.deadline && !all_answered) {
      sweep_at(*d.deadline);
    }
  }

  void react(const Item& item) {
    try {
      if (item.reaction == Reaction::Kind::claim) {
        claim(m_db, m_config, item.at, item.lead, item.agent);
      } else {
        const auto result = decline(m_db, m_config, item.at, m_random, item.lead, item.agent);
        if (result.next) {
          decided(*result.next, item.at);
        }
      }
    } catch (const util::Refused&) {  // NOLINT(bugprone-empty-catch)
      // The offer ended first here (claimed by another, withdrawn, expired): nothing to do.
    }
  }

  // Replays what a person did, where the lead is in a state that allows it.
  void manual(util::Time at, const store::RecordEvent& e) {
    try {
      if (e.type == "assigned") {
        ManualMove how;
        how.force = e.reason == "manual_override";
        assign_manually(m_db, m_config, at, {e.lead_id}, *e.agent, how);
      } else if (e.type == "picked_up") {
        pickup(m_db, m_config, at, *e.agent, std::nullopt, e.lead_id);
      } else if (e.type == "reassign_requested") {
        reassign_to_pool(m_db, m_config, at, m_random, {e.lead_id}, *e.pool,
                         [&](const core::Decision& d) { decided(d, at); });
      } else if (e.type == "closed") {
        record_outcome(m_db, at, e.lead_id, e.outcome);
      } else if (e.type == "touched") {
        touch(m_db, m_config, at, e.lead_id, std::nullopt);
      }
      ++m_replayed[e.type];
    } catch (const util::Refused&) {
      ++m_skipped[e.type];
    } catch (const util::UsageError&) {
      ++m_skipped[e.type];
    }
  }

  store::Database m_db;
  const core::Config& m_config;
  const Record& m_record;
  const Behaviour& m_behaviour;
  const SimulateRequest& m_request;
  util::Random m_random;  // the strategies' draws
  util::Random m_draws;   // the agents' answers
  std::priority_queue<Item, std::vector<Item>, std::greater<>> m_queue;
  std::uint64_t m_order = 0;
  std::set<util::Time> m_sweeps;
  std::vector<std::vector<std::size_t>> m_routes;
  std::unordered_map<std::string, std::size_t> m_offers;  // offers made, by lead and agent
  LimitHits m_hits;
  std::map<std::string, std::int64_t> m_replayed;
  std::map<std::string, std::int64_t> m_skipped;
};

}  // namespace

SimulateResult simulate(store::Database& db, const core::Config& current,
                        const core::Config& proposed, const SimulateRequest& request) {
  Record record;
  SideTally recorded(current, request.sla);
  Behaviour behaviour(current);
  {
    store::RecordStore reader(db);
    record.leads = reader.leads(request.since, request.until);
    reader.each_event(request.since, request.until, [&](const store::RecordEvent& e) {
      recorded.add(e);
      behaviour.add(e);
      record.first_seen.try_emplace(e.lead_id, e.at);
      if (is_manual(e)) {
        record.manual.push_back(e);
      }
    });
    record.changes = reader.agent_changes(request.until);
    record.metrics = reader.metrics();
  }
  SimulateResult result;
  result.since = request.since;
  result.until = request.until;
  result.sla = request.sla;
  result.leads = static_cast<std::int64_t>(record.leads.size());
  result.recorded = recorded.finish(result.leads, request.until, nullptr);
  // The two replays share nothing they write (each has its own scratch database, opened in
  // its own thread, and its own generators), so they run side by side.
  auto proposed_side = std::async(
      std::launch::async, [&] { return Replay(proposed, record, behaviour, request).run(); });
  result.current = Replay(current, record, behaviour, request).run();
  result.proposed = proposed_side.get();
  result.diff = difference(result.current, result.proposed);
  return result;
}

}  // namespace router::engine
