#include "engine/sweep.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>

#include "core/calendar.hpp"
#include "core/sharing.hpp"
#include "engine/assign.hpp"
#include "engine/state_locks.hpp"
#include "store/sweep_store.hpp"

namespace router::engine {
namespace {

// The gaps around sorted names: everything that is not one of them (NULL excluded).
std::vector<store::Gap> gaps_around(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::vector<store::Gap> out;
  std::optional<std::string> previous;
  for (auto& name : names) {
    out.push_back({previous, name});
    previous = std::move(name);
  }
  out.push_back({previous, std::nullopt});
  return out;
}

// The outcome name a decision is counted under.
const char* handled_as(const core::Decision& d) {
  switch (d.outcome) {
  case core::Outcome::offer: return "offered";
  case core::Outcome::assign: return "assigned";
  case core::Outcome::queue: return "queued";
  case core::Outcome::open_pool: return "pooled";
  }
  return "queued";
}

class Sweeper {
public:
  Sweeper(store::Database& db, const core::Config& config, util::Time now, util::Random& random,
          const SweepOptions& options, const NewsSink& sink)
      : m_db(db), m_config(config), m_now(now), m_random(random), m_options(options), m_sink(sink),
        m_mover(db, config, now, random) {}

  SweepSummary run() {
    // A dry run makes every change inside one transaction that is rolled back (the
    // batches' transactions nest in it), so later steps see earlier ones exactly as a
    // real run would.
    std::optional<store::WriteTransaction> dry;
    if (m_options.dry_run) {
      dry.emplace(m_db);
    }
    // A big page cache and deferred agent writes, as assign has: a backlog of expiries is
    // as much writing as a backlog of new leads.
    m_mover.routing().bulk_mode();
    end_leaves();
    config_changes();
    unavailable_agents();
    expire_offers();
    stale_leads();
    route_pending();
    return m_summary;
  }

private:
  // Runs `step` in bounded batches, each its own transaction, until a batch comes back
  // short. `step` returns how many items it looked at.
  // With Sharing::shared (PostgreSQL) other runs' shared batches go on beside these: `step`
  // claims its rows and calls hold() before it reads any pool's or agent's state.
  template <class Step>
  void batches(Step&& step, store::Sharing sharing = store::Sharing::exclusive) {
    while (true) {
      store::WriteTransaction tx(m_db, sharing);
      m_held.clear();
      m_mover.begin();
      const std::size_t seen = step(m_options.batch_size);
      m_mover.finish();
      count_committed();
      tx.commit();
      if (seen < m_options.batch_size) {
        return;
      }
    }
  }

  // Adds what the current batch did to the database's counters, in its transaction: the
  // totals grow across runs by exactly the committed work (a batch rolled back or killed
  // adds nothing).
  void count_committed() {
    if (m_options.dry_run) {
      return;
    }
    std::map<std::string, std::int64_t> deltas;
    for (const auto& [outcome, count] : m_summary.handled) {
      const auto before = m_counted.handled.find(outcome);
      const std::size_t was = before == m_counted.handled.end() ? 0 : before->second;
      if (count > was) {
        deltas[k_counter_handled + outcome] = static_cast<std::int64_t>(count - was);
      }
    }
    if (m_summary.leaves_ended > m_counted.leaves_ended) {
      deltas[k_counter_leaves_ended] =
          static_cast<std::int64_t>(m_summary.leaves_ended - m_counted.leaves_ended);
    }
    if (!deltas.empty()) {
      m_mover.sweep().add_counters(deltas);
    }
    m_counted = m_summary;
  }

  // In a shared batch, before anything reads the state: takes the state of the pool groups
  // (and agents) of these offers that no other run holds, as assign does, and says per
  // offer whether this batch may take it back; one that may not waits for a later batch.
  std::vector<bool> hold(const std::vector<store::OfferWithLead>& offers) {
    if (!m_db.sharing()) {
      return std::vector<bool>(offers.size(), true);
    }
    // What taking an offer back and offering its lead on reads and changes: its pool's group
    // and its agent (in that group unless the configuration changed meanwhile). Offers of
    // one pool and agent share one list of names (`units`).
    std::map<std::pair<std::optional<std::string>, std::string>, std::size_t> unit_of;
    std::vector<std::vector<std::string>> units;
    std::vector<std::size_t> needs(offers.size());
    for (std::size_t i = 0; i < offers.size(); ++i) {
      const auto& offer = offers[i].offer;
      const auto [it, added] = unit_of.try_emplace({offer.pool, offer.agent}, units.size());
      if (added) {
        std::vector<std::string> names;
        if (offer.pool) {
          names = m_locks.groups().names(*offer.pool);
          names.push_back(core::pool_state_name(*offer.pool));
        }
        names.push_back(core::agent_state_name(offer.agent));
        std::sort(names.begin(), names.end());
        names.erase(std::unique(names.begin(), names.end()), names.end());
        units.push_back(std::move(names));
      }
      needs[i] = it->second;
    }
    // Units with the same names (the members of one group) are taken together.
    std::map<std::vector<std::string>, bool> held;
    for (const auto& names : units) {
      held.emplace(names, false);
    }
    bool any = false;
    for (auto& [names, got] : held) {
      got = m_db.lock_state(names, false);
      any = any || got;
    }
    if (!any && !held.empty()) {
      m_db.lock_state(held.begin()->first, true);
      held.begin()->second = true;
    }
    m_held = {""};  // never empty in a shared batch: tell_routed checks against it
    for (const auto& [names, got] : held) {
      if (got) {
        m_held.insert(names.begin(), names.end());
      }
    }
    std::vector<bool> ready(offers.size());
    for (std::size_t i = 0; i < offers.size(); ++i) {
      ready[i] = held.at(units[needs[i]]);
    }
    return ready;
  }

  void tell_routed(const std::string& step, const core::Decision& d) {
    if (!m_held.empty() && !core::within(d, m_held)) {
      // StateGroups would be out of step with where route() sends a lead: a bug.
      throw std::logic_error("lead '" + d.lead_id + "' was routed outside the state it locked");
    }
    ++m_summary.handled[handled_as(d)];
    SweepNews news;
    news.kind = SweepNews::Kind::routed;
    news.step = step;
    news.routed = &d;  // not copied: the sink sees it only during the call
    m_sink(news);
  }

  // Narrows the batch's snapshot to the pools of these offers' leads, the only ones
  // take_back() reads and routes into: an expiry in one pool of a hundred binds one pool's
  // members. For a batch that calls take_back() once (over() may call it per item).
  void only_their_pools(const std::vector<store::OfferWithLead>& offers) {
    std::vector<std::string> pools;
    for (const auto& o : offers) {
      for (const auto* pool : {&o.offer.pool, &o.lead.pool}) {
        if (*pool) {
          pools.push_back(**pool);
        }
      }
    }
    m_mover.only_pools(pools);
  }

  // Ends the offers (grouped by lead, in order) and offers each lead on once none of its
  // offers is open any more.
  void take_back(const std::vector<store::OfferWithLead>& offers, const std::string& step,
                 const std::string& state, const std::string& reason, core::Reason why) {
    std::vector<const store::LeadRow*> leads;
    std::set<std::string> seen;
    for (const auto& o : offers) {
      EndedOffer ended = m_mover.end(o.offer, o.lead, state, reason);
      ++m_summary.handled[state];
      SweepNews news;
      news.kind = SweepNews::Kind::offer_ended;
      news.step = step;
      news.ended = std::move(ended);
      m_sink(news);
      if (seen.insert(o.lead.id).second) {
        leads.push_back(&o.lead);
      }
    }
    std::vector<std::string> ids;
    ids.reserve(leads.size());
    for (const auto* lead : leads) {
      ids.push_back(lead->id);
    }
    m_mover.routing().prefetch_round_states(ids);
    for (const auto* lead : leads) {
      if (auto d = m_mover.offer_on(*lead, why)) {
        tell_routed(step, *d);
      }
    }
    m_mover.routing().forget_round_states();
  }

  void end_leaves() {
    batches([&](std::size_t limit) {
      const auto leaves = m_mover.sweep().ended_leaves(m_now, limit);
      for (const auto& leave : leaves) {
        if (m_mover.sweep().end_leave(leave, m_now)) {
          ++m_summary.leaves_ended;
          SweepNews news;
          news.kind = SweepNews::Kind::leave_ended;
          news.step = "leaves";
          news.agent = leave.agent;
          news.until = leave.until;
          m_sink(news);
        }
      }
      return leaves.size();
    });
  }

  // Runs `fetch(item, room)` over every item in turn inside bounded batches: a batch takes
  // up to its limit from as many items as needed, so an idle step is one transaction.
  // `fetch` processes what it finds (which then no longer matches) and returns the count.
  template <class Item, class Fetch> void over(const std::vector<Item>& items, Fetch&& fetch) {
    std::size_t next = 0;
    batches([&](std::size_t limit) {
      std::size_t seen = 0;
      while (next < items.size() && seen < limit) {
        seen += fetch(items[next], limit - seen);
        if (seen < limit) {
          ++next;  // this item is exhausted
        }
      }
      return seen;
    });
  }

  // Offers to agents no longer in their pool (or in a pool that is gone) are taken back;
  // leads queued in a pool that is gone move to the manual queue.
  void config_changes() {
    std::vector<std::string> pool_names;
    for (const auto& pool : m_config.pools) {
      pool_names.push_back(pool.name);
    }
    const auto missing_pools = gaps_around(pool_names);
    // A query per pool and member gap (hundreds) only when there is something to find.
    if (m_mover.sweep().any_open_broadcast_offer()) {
      broadcasts_outside_config(missing_pools);
    }
    lead_offers_outside_config();
    if (!m_mover.sweep().any_queued_lead()) {
      return;
    }
    over(missing_pools, [&](const store::Gap& gap, std::size_t limit) {
      const auto leads = m_mover.sweep().queued_in_pools(gap, limit);
      for (const auto& lead : leads) {
        if (auto d = m_mover.to_manual_queue(lead)) {
          tell_routed("config", *d);
        }
      }
      return leads.size();
    });
  }

  // Broadcasts' open offers to a pool the configuration lacks or to an agent no longer its
  // member are taken back.
  void broadcasts_outside_config(const std::vector<store::Gap>& missing_pools) {
    over(missing_pools, [&](const store::Gap& gap, std::size_t limit) {
      const auto offers = m_mover.sweep().open_offers_in_pools(gap, limit);
      take_back(offers, "config", "withdrawn", "config_changed", core::Reason::config_changed);
      return offers.size();
    });
    std::vector<std::pair<const core::Pool*, store::Gap>> member_gaps;
    for (const auto& pool : m_config.pools) {
      std::vector<std::string> members;
      for (const auto& m : pool.members) {
        members.push_back(m.agent);
      }
      for (auto& gap : gaps_around(members)) {
        member_gaps.emplace_back(&pool, std::move(gap));
      }
    }
    over(member_gaps, [&](const auto& item, std::size_t limit) {
      const auto offers = m_mover.sweep().open_offers_outside(item.first->name, item.second, limit);
      take_back(offers, "config", "withdrawn", "config_changed", core::Reason::config_changed);
      return offers.size();
    });
  }

  // Single-agent offers (held by their lead rows, which no index orders by pool and member)
  // to a pool the configuration lacks or to an agent no longer its member are taken back.
  // Only a change of configuration can make one, so they are looked at only when the
  // configuration differs from the one they were last checked against, or an offer was made
  // since under another (a process still running an older configuration).
  void lead_offers_outside_config() {
    std::int64_t config = 0;
    {
      store::WriteTransaction tx(m_db);
      config = m_mover.routing().config_id(m_config);
      const bool checked = m_mover.sweep().offers_checked_under(config);
      tx.commit();
      if (checked) {
        return;
      }
    }
    std::set<std::pair<std::string, std::string>> members;
    for (const auto& pool : m_config.pools) {
      for (const auto& m : pool.members) {
        members.emplace(pool.name, m.agent);
      }
    }
    std::int64_t after_received = INT64_MIN;
    std::int64_t after_rowid = INT64_MIN;
    batches([&](std::size_t limit) {
      const auto held = m_mover.sweep().lead_offers_after(after_received, after_rowid, limit);
      std::vector<store::OfferWithLead> outside;
      for (const auto& h : held) {
        after_received = h.offer.lead.received_at.time_since_epoch().count();
        after_rowid = h.rowid;
        const auto& offer = h.offer.offer;
        if (offer.pool && !members.count({*offer.pool, offer.agent})) {
          outside.push_back(h.offer);
        }
      }
      take_back(outside, "config", "withdrawn", "config_changed", core::Reason::config_changed);
      if (held.size() < limit) {
        m_mover.sweep().set_offers_checked(config);
      }
      return held.size();
    });
  }

  // Open offers of agents whose status is not available, or who are logged out of a pool
  // that requires being online, are taken back.
  void unavailable_agents() {
    // An agent without a row is available and logged out; one with an `available` row
    // differs from that only in being logged in, which only require_online pools ask.
    const bool online_asked = std::any_of(m_config.pools.begin(), m_config.pools.end(),
                                          [](const core::Pool& p) { return p.require_online; });
    std::map<std::string, core::AgentState> states;
    for (const auto& p : m_mover.sweep().agents(!online_asked)) {
      auto& s = states[p.agent];
      s.status = core::parse_agent_status(p.status).value_or(core::AgentStatus::available);
      s.until = p.until;
      s.online = p.online;
    }
    const auto state_of = [&](const std::string& agent) {
      const auto it = states.find(agent);
      return it == states.end() ? core::AgentState{} : it->second;
    };
    // (agent, pool): pool empty = every pool.
    std::vector<std::pair<std::string, std::string>> targets;
    for (const auto& agent : m_config.agents) {
      if (!state_of(agent.id).available_at(m_now)) {
        targets.emplace_back(agent.id, "");
      }
    }
    for (const auto& pool : m_config.pools) {
      if (!pool.require_online) {
        continue;
      }
      for (const auto& member : pool.members) {
        const core::AgentState s = state_of(member.agent);
        if (s.available_at(m_now) && !s.online) {
          targets.emplace_back(member.agent, pool.name);
        }
      }
    }
    over(targets, [&](const auto& target, std::size_t limit) {
      const auto offers = m_mover.sweep().open_offers_of(target.first, target.second, limit);
      take_back(offers, "unavailable", "withdrawn", "agent_unavailable",
                core::Reason::agent_unavailable);
      return offers.size();
    });
  }

  void expire_offers() {
    std::int64_t after_lead_deadline = INT64_MIN;
    std::int64_t after_rowid = INT64_MIN;
    const auto expire_held = [&](std::size_t limit) {
      const auto held =
          m_mover.sweep().due_lead_offers(m_now, after_lead_deadline, after_rowid, limit);
      std::vector<store::OfferWithLead> offers;
      offers.reserve(held.size());
      for (const auto& h : held) {
        offers.push_back(h.offer);
      }
      const std::vector<bool> ready = hold(offers);
      // The keyset moves past every offer taken, up to the first one left for another batch.
      std::vector<store::OfferWithLead> taken;
      bool left = false;
      for (std::size_t i = 0; i < held.size(); ++i) {
        if (!ready[i]) {
          left = true;
          continue;
        }
        if (!left) {
          after_lead_deadline = held[i].offer.offer.deadline->time_since_epoch().count();
          after_rowid = held[i].rowid;
        }
        taken.push_back(std::move(offers[i]));
      }
      only_their_pools(taken);
      take_back(taken, "expiry", "expired", "claim_timeout", core::Reason::expired);
      return left ? limit : held.size();
    };
    batches(expire_held, m_locks.sharing());
    // A broadcast's offers end one by one and its lead goes on after the last: two runs
    // ending two of them side by side could each see the other's still open. In turns.
    std::int64_t after_deadline = INT64_MIN;
    std::int64_t after_id = INT64_MIN;
    batches([&](std::size_t limit) {
      const auto offers = m_mover.sweep().due_offers(m_now, after_deadline, after_id, limit);
      if (!offers.empty()) {
        after_deadline = offers.back().offer.deadline->time_since_epoch().count();
        after_id = offers.back().offer.id;
      }
      only_their_pools(offers);
      take_back(offers, "expiry", "expired", "claim_timeout", core::Reason::expired);
      return offers.size();
    });
  }

  void stale_leads() {
    for (const auto& pool : m_config.pools) {
      const auto cutoff = stale_cutoff(m_config, pool, m_now);
      if (!cutoff) {
        continue;
      }
      std::int64_t after_activity = INT64_MIN;
      std::int64_t after_rowid = INT64_MIN;
      batches([&](std::size_t limit) {
        m_mover.only_pools({pool.name});  // every lead of the batch goes on in this pool
        const auto leads =
            m_mover.sweep().stale_leads(pool.name, *cutoff, after_activity, after_rowid, limit);
        for (const auto& lead : leads) {
          after_activity = lead.activity;
          after_rowid = lead.rowid;
          if (auto d = m_mover.reroute(lead.row, pool.name, core::Reason::stale)) {
            ++m_summary.handled["stale"];
            tell_routed("stale", *d);
          }
        }
        return leads.size();
      });
    }
  }

  void route_pending() {
    // Nothing has arrived to route (assign leaves leads received after `now` for later):
    // an idle sweep skips assign's set-up, which reads every pool's usage periods in its
    // zone's local time (date's zone list built on first use) and a snapshot, for nothing.
    if (const auto oldest = m_mover.sweep().oldest_pending(); !oldest || *oldest > m_now) {
      return;
    }
    m_held.clear();  // assign checks its own decisions
    // Not assign's own dry run: inside ours its batches nest and see the steps above.
    AssignOptions options;
    options.before_commit = [this] { count_committed(); };
    assign(m_db, m_config, m_now, m_random, options,
           [&](const core::Decision& d) { tell_routed("pending", d); });
  }

  store::Database& m_db;
  const core::Config& m_config;
  util::Time m_now;
  util::Random& m_random;
  const SweepOptions& m_options;
  const NewsSink& m_sink;
  OfferMover m_mover;
  // Expiries of single-agent offers, the bulk of a busy sweep, are shared between runs on
  // PostgreSQL unless a group of pools has more state than a transaction may lock.
  StateLocks m_locks{m_db, m_config};
  std::set<std::string> m_held;  // shared batch: the state names locked; else empty
  SweepSummary m_summary;
  SweepSummary m_counted;  // the part of m_summary already added to the counters
};

}  // namespace

SweepSummary sweep(store::Database& db, const core::Config& config, util::Time now,
                   util::Random& random, const SweepOptions& options, const NewsSink& sink) {
  return Sweeper(db, config, now, random, options, sink).run();
}

std::optional<util::Time> stale_cutoff(const core::Config& config, const core::Pool& pool,
                                       util::Time now) {
  if (!pool.stale_after || pool.stale_after->count() <= 0) {
    return std::nullopt;
  }
  const core::Duration need = *pool.stale_after;
  const core::Schedule* schedule = pool.schedule ? config.find_schedule(*pool.schedule) : nullptr;
  if (!schedule) {
    return now - need;
  }
  // Exact however far back (a minute a week and a day of stale_after: 1440 weeks).
  return core::subtract_business_time(*schedule, now, need);
}

}  // namespace router::engine
