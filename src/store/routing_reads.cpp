// RoutingStore's reads: pending leads, the snapshot routing decides on, offers, contacts,
// rounds. Its writes are in routing.cpp.
#include "store/routing.hpp"

#include <algorithm>
#include <set>

#include "store/sql.hpp"
#include <nlohmann/json.hpp>

#include "store/row_readers.hpp"
#include "store/sqlite_error.hpp"
#include "store/statement_util.hpp"

namespace router::store {

std::vector<QueuedLead> RoutingStore::pending_after(util::Time received_at, std::int64_t rowid,
                                                    std::size_t limit) {
  return guarded(m_db, [&] {
    // Whether the lead has its `received` event: an ingested lead has, a CRM row not yet.
    static const std::string sql = std::string("SELECT rowid, ") + k_lead_columns +
                                   ", EXISTS (SELECT 1 FROM events WHERE lead_id = leads.id)"
                                   " FROM leads WHERE state = 'pending' AND "
                                   "(received_at, rowid) > (?, ?) "
                                   "ORDER BY received_at, rowid LIMIT ?";
    static const std::string claim = sql + " FOR UPDATE OF leads SKIP LOCKED";
    std::vector<QueuedLead> out;
    m_db.begin_claim();
    {
      auto s = m_db.sharing() ? prepared(m_db, m_pending_claimed, claim.c_str())
                              : prepared(m_db, m_pending, sql.c_str());
      s.bind(1, seconds(received_at));
      s.bind(2, rowid);
      s.bind(3, static_cast<std::int64_t>(limit));
      while (s.executeStep()) {
        out.push_back({s.getColumn(0).getInt64(), read_lead_row(s, 1)});
        out.back().row.rowid = out.back().rowid;
        out.back().row.has_events = s.getColumn(13).getInt() != 0;
      }
    }
    m_db.end_claim();
    return out;
  });
}

std::optional<LeadRow> RoutingStore::find(const std::string& id) {
  return guarded(m_db, [&]() -> std::optional<LeadRow> {
    static const std::string sql =
        std::string("SELECT ") + k_lead_columns + " FROM leads WHERE id = ?";
    auto s = prepared(m_db, m_find, sql.c_str());
    s.bind(1, id);
    if (!s.executeStep()) {
      return std::nullopt;
    }
    return read_lead_row(s, 0);
  });
}

std::vector<std::string> RoutingStore::ids_near(const std::string& id) {
  return guarded(m_db, [&] {
    std::vector<std::string> out;
    for (const char* sql : {"SELECT id FROM leads WHERE id >= ? ORDER BY id LIMIT 5",
                            "SELECT id FROM leads WHERE id < ? ORDER BY id DESC LIMIT 5"}) {
      sql::Statement s(m_db.sql(), sql);
      s.bind(1, id);
      while (s.executeStep()) {
        out.push_back(s.getColumn(0).getString());
      }
    }
    return out;
  });
}

core::Snapshot
RoutingStore::load_snapshot(const core::Config& config, util::Time now,
                            const std::vector<std::pair<std::string, Periods>>& periods,
                            const SnapshotNeeds& needs) {
  return guarded(m_db, [&] {
    core::Snapshot snap;
    // Every agent and pool gets an entry when the snapshot is bound: room for them now.
    snap.agents.reserve(config.agents.size());
    snap.pools.reserve(config.pools.size());
    {
      sql::Statement s(m_db.sql(),
                       "SELECT agent, status, until, online, last_assigned_at FROM agent_state");
      while (s.executeStep()) {
        auto& a = snap.agents[s.getColumn(0).getString()];
        a.status = core::parse_agent_status(s.getColumn(1).getString())
                       .value_or(core::AgentStatus::available);
        a.until = optional_time(s.getColumn(2));
        a.online = s.getColumn(3).getInt() != 0;
        a.last_assigned_at = optional_time(s.getColumn(4));
      }
    }
    {
      sql::Statement s(m_db.sql(), "SELECT agent, key, value FROM agent_metrics");
      while (s.executeStep()) {
        snap.agents[s.getColumn(0).getString()].metrics[s.getColumn(1).getString()] =
            s.getColumn(2).getDouble();
      }
    }
    // Pool state (rotation, usage) only for the pools the snapshot is for: a decision in any
    // other is refused (SnapshotNeeds::bind), and one lead reads one pool's, not a hundred.
    {
      const auto read_cursor = [&](const std::string& pool, sql::Statement& s, int first) {
        core::RotationCursor cursor;
        cursor.last_agent = s.getColumn(first).getString();
        const auto order =
            nlohmann::json::parse(s.getColumn(first + 1).getString(), nullptr, false);
        if (order.is_array()) {
          for (const auto& a : order) {
            if (a.is_string()) {
              cursor.order.push_back(a.get<std::string>());
            }
          }
        }
        snap.pools[pool].cursor = std::move(cursor);
      };
      if (needs.bind) {
        sql::Statement s(m_db.sql(),
                         "SELECT last_agent, member_order FROM rotation WHERE pool = ?");
        for (std::size_t p = 0; p < config.pools.size(); ++p) {
          if (needs.for_pool(p)) {
            s.reset();
            s.bind(1, config.pools[p].name);
            if (s.executeStep()) {
              read_cursor(config.pools[p].name, s, 0);
            }
          }
        }
      } else {
        sql::Statement s(m_db.sql(), "SELECT pool, last_agent, member_order FROM rotation");
        while (s.executeStep()) {
          read_cursor(s.getColumn(0).getString(), s, 1);
        }
      }
    }
    {
      sql::Statement s(
          m_db.sql(), "SELECT agent, period, count FROM usage WHERE pool = ? AND period IN (?, ?)");
      for (const auto& [pool, p] : periods) {
        if (!needs.for_pool(config, pool)) {
          continue;
        }
        s.reset();
        s.bind(1, pool);
        s.bind(2, p.day);
        s.bind(3, p.month);
        auto& usage = snap.pools[pool].usage;
        while (s.executeStep()) {
          auto& u = usage[s.getColumn(0).getString()];
          const int count = s.getColumn(2).getInt();
          (s.getColumn(1).getString() == p.day ? u.today : u.month) = count;
        }
      }
    }
    if (needs.active && m_db.counts_active_leads()) {
      sql::Statement s(m_db.sql(), "SELECT agent, n FROM temp.active_leads WHERE n <> 0");
      while (s.executeStep()) {
        snap.agents[s.getColumn(0).getString()].active += s.getColumn(1).getInt();
      }
    } else if (needs.active) {
      // Only the members of the least_active pools the snapshot is for read their counts,
      // each taken from the (agent, state) covering indexes. Counting every open lead, with
      // a row read per lead and a sort, cost 0.38 s a batch at 300,000 open offers (these
      // 250 agents' counts: 0.06 s), and 0.7 s for a run of one lead.
      std::set<std::string> members;
      for (std::size_t p = 0; p < config.pools.size(); ++p) {
        if (config.pools[p].strategy == core::Strategy::least_active && needs.for_pool(p)) {
          for (const auto& member : config.pools[p].members) {
            members.insert(member.agent);
          }
        }
      }
      if (m_db.postgres() && !members.empty()) {
        // One round trip for them all.
        sql::Statement s(m_db.sql(),
                         "SELECT agent, count(*) FROM leads WHERE agent = ANY(CAST(? AS TEXT[])) "
                         "AND state IN ('offered', 'assigned') GROUP BY agent UNION ALL SELECT "
                         "agent, count(*) FROM broadcast_offers WHERE agent = ANY(CAST(? AS "
                         "TEXT[])) AND state = 'open' GROUP BY agent");
        const std::string agents = sql::text_array({members.begin(), members.end()});
        s.bind(1, agents);
        s.bind(2, agents);
        while (s.executeStep()) {
          snap.agents[s.getColumn(0).getString()].active += s.getColumn(1).getInt();
        }
      } else if (!members.empty()) {
        sql::Statement s(m_db.sql(),
                         "SELECT (SELECT count(*) FROM broadcast_offers WHERE agent = ?1 AND "
                         "state = 'open') + (SELECT count(*) FROM leads WHERE agent = ?1 AND "
                         "state IN ('offered', 'assigned'))");
        for (const auto& agent : members) {
          s.reset();
          s.bind(1, agent);
          if (s.executeStep()) {
            if (const int n = s.getColumn(0).getInt(); n != 0) {
              snap.agents[agent].active = n;
            }
          }
        }
      }
    }
    if (needs.close) {
      sql::Statement s(m_db.sql(), "SELECT agent, count(CASE WHEN outcome = 'won' THEN 1 END), "
                                   "count(CASE WHEN outcome = 'lost' THEN 1 END) FROM outcomes "
                                   "WHERE at >= ? AND agent IS NOT NULL GROUP BY agent");
      for (const auto& pool : config.pools) {
        if (pool.strategy != core::Strategy::best_close_rate) {
          continue;
        }
        s.reset();
        s.bind(1, seconds(now - pool.window));
        auto& close = snap.pools[pool.name].close;
        while (s.executeStep()) {
          close[s.getColumn(0).getString()] = {s.getColumn(1).getInt(), s.getColumn(2).getInt()};
        }
      }
    }
    snap.bind(config, needs.bind ? &*needs.bind : nullptr);
    return snap;
  });
}

void RoutingStore::forget_round_states() {
  m_round_states.clear();
}

void RoutingStore::prefetch_round_states(const std::vector<std::string>& lead_ids) {
  forget_round_states();
  if (!m_db.postgres() || lead_ids.size() < 2) {
    return;
  }
  const std::string ids = sql::text_array(lead_ids);
  guarded(m_db, [&] {
    std::unordered_map<std::string, RoundState> states;
    for (const auto& id : lead_ids) {
      states[id];
    }
    sql::Statement rounds(m_db.sql(), "SELECT lead_id, max(round) FROM rounds WHERE lead_id = "
                                      "ANY(CAST(? AS TEXT[])) GROUP BY lead_id");
    rounds.bind(1, ids);
    while (rounds.executeStep()) {
      states[rounds.getColumn(0).getString()].round = rounds.getColumn(1).getInt();
    }
    // As round_state's statement, for all the leads at once.
    sql::Statement offered(
        m_db.sql(), "SELECT e.lead_id, e.agent FROM events e WHERE e.lead_id = "
                    "ANY(CAST(? AS TEXT[])) AND e.type = 'offered' AND e.seq >= coalesce((SELECT "
                    "r.seq FROM rounds r WHERE r.lead_id = e.lead_id ORDER BY r.round DESC LIMIT "
                    "1), 0) ORDER BY e.lead_id, e.seq");
    offered.bind(1, ids);
    while (offered.executeStep()) {
      auto& list = states[offered.getColumn(0).getString()].offered;
      const char* agent = offered.getColumn(1).getText();
      if (std::find(list.begin(), list.end(), agent) == list.end()) {
        list.emplace_back(agent);
      }
    }
    m_round_states = std::move(states);
  });
}

RoutingStore::RoundState RoutingStore::round_state(const std::string& lead_id) {
  if (const auto it = m_round_states.find(lead_id); it != m_round_states.end()) {
    RoundState out = std::move(it->second);
    m_round_states.erase(it);
    return out;
  }
  return guarded(m_db, [&] {
    // One statement for both (the sweep asks for every lead it offers on): the offered events
    // since the current round began, in order, with the round on every row. The lead's index
    // returns them in seq order; each agent is kept once here, at its first offer (a GROUP
    // BY and ORDER BY in the query built two temporary b-trees per lead: 11% of a sweep).
    auto s = prepared(m_db, m_offered,
                      "SELECT agent, (SELECT coalesce(max(round), 0) FROM rounds WHERE lead_id = "
                      "?1) FROM events WHERE lead_id = ?1 AND type = 'offered' AND seq >= "
                      "coalesce((SELECT seq FROM rounds WHERE lead_id = ?1 ORDER BY round DESC "
                      "LIMIT 1), 0) ORDER BY seq");
    s.bind(1, lead_id);
    RoundState out;
    bool any = false;
    while (s.executeStep()) {
      const char* agent = s.getColumn(0).getText();
      if (std::find(out.offered.begin(), out.offered.end(), agent) == out.offered.end()) {
        out.offered.emplace_back(agent);
      }
      out.round = s.getColumn(1).getInt();
      any = true;
    }
    if (!any) {
      out.round = current_round(lead_id);
    }
    return out;
  });
}

std::optional<std::string> RoutingStore::prior_owner(const std::vector<std::string>& keys,
                                                     const std::string& lead_id, util::Time since) {
  flush_lead_updates();  // an earlier lead of this batch may be the one it finds
  return guarded(m_db, [&]() -> std::optional<std::string> {
    auto s = prepared(m_db, m_prior,
                      "SELECT l.agent FROM contacts c JOIN leads l ON l.id = c.lead_id "
                      "WHERE c.key = ? AND c.at >= ? AND c.lead_id <> ? "
                      "AND l.state IN ('assigned', 'closed') AND l.agent IS NOT NULL "
                      "ORDER BY c.at DESC LIMIT 1");
    std::optional<std::string> best;
    for (const auto& key : keys) {
      s.reset();
      s.bind(1, key);
      s.bind(2, seconds(since));
      s.bind(3, lead_id);
      if (s.executeStep()) {
        return s.getColumn(0).getString();
      }
    }
    return best;
  });
}

int RoutingStore::current_round(const std::string& lead_id) {
  return guarded(m_db, [&] {
    auto s =
        prepared(m_db, m_round, "SELECT coalesce(max(round), 0) FROM rounds WHERE lead_id = ?");
    s.bind(1, lead_id);
    s.executeStep();
    return s.getColumn(0).getInt();
  });
}

std::vector<OfferRow> RoutingStore::open_offers(const std::string& lead_id) {
  return guarded(m_db, [&] {
    // Either the lead row's own offer or a broadcast's rows (whose lead has no agent).
    static const std::string sql =
        std::string("SELECT 0, id, agent, pool, updated_at, deadline FROM leads WHERE id = ?1 AND "
                    "state = 'offered' AND agent IS NOT NULL UNION ALL SELECT ") +
        k_offer_columns + " FROM broadcast_offers WHERE lead_id = ?1 AND state = 'open' ORDER BY 1";
    auto s = prepared(m_db, m_open_offers, sql);
    s.bind(1, lead_id);
    std::vector<OfferRow> out;
    while (s.executeStep()) {
      out.push_back(read_offer_row(s));
    }
    return out;
  });
}

bool RoutingStore::reassign_in_progress(const std::string& lead_id) {
  return guarded(m_db, [&] {
    auto s = prepared(m_db, m_reassigning, "SELECT 1 FROM reassignments WHERE lead_id = ?");
    s.bind(1, lead_id);
    return s.executeStep();
  });
}

std::vector<std::string> RoutingStore::open_leads_of(const std::string& agent) {
  return guarded(m_db, [&] {
    sql::Statement s(m_db.sql(),
                     "SELECT id FROM leads WHERE agent = ?1 AND state IN ('offered', "
                     "'assigned') UNION SELECT lead_id FROM broadcast_offers WHERE agent = ?1 AND "
                     "state = 'open' ORDER BY 1");
    s.bind(1, agent);
    std::vector<std::string> out;
    while (s.executeStep()) {
      out.push_back(s.getColumn(0).getString());
    }
    return out;
  });
}

}  // namespace router::store
