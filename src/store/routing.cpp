#include "store/routing.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include "store/lead_row.hpp"
#include "store/sqlite_error.hpp"
#include "store/statement_util.hpp"
#include "util/time.hpp"

namespace router::store {
namespace {

std::int64_t seconds(util::Time t) {
  return static_cast<std::int64_t>(t.time_since_epoch().count());
}

SQLite::Statement& prepared(Database& db, std::unique_ptr<SQLite::Statement>& s,
                            const char* sql) {
  if (!s) {
    s = std::make_unique<SQLite::Statement>(db.sql(), sql);
  }
  s->reset();
  s->clearBindings();
  return *s;
}

const char* state_after(core::Outcome o) {
  switch (o) {
    case core::Outcome::offer: return "offered";
    case core::Outcome::assign: return "assigned";
    case core::Outcome::queue:
    case core::Outcome::open_pool: return "queued";
  }
  return "pending";
}

const char* event_type(core::Outcome o) {
  switch (o) {
    case core::Outcome::offer: return "offered";
    case core::Outcome::assign: return "assigned";
    case core::Outcome::queue:
    case core::Outcome::open_pool: return "queued";
  }
  return "queued";
}

// The event's detail: {"attempt":N,"deadline":"...","reason":"..."} (keys sorted, as
// nlohmann::json writes them), built directly since every routed lead writes one. Reason
// names and RFC 3339 times need no escaping.
std::string event_detail(const core::Decision& d) {
  std::string out = "{";
  // Every offer carries its attempt; a broadcast without claim_timeout has no deadline.
  if (d.outcome == core::Outcome::offer) {
    out += "\"attempt\":";
    out += std::to_string(d.attempts);
    out += ",";
    if (d.deadline) {
      out += "\"deadline\":\"";
      out += util::format_rfc3339(*d.deadline);
      out += "\",";
    }
  }
  out += "\"reason\":\"";
  out += core::to_string(d.reason);
  out += "\"}";
  return out;
}

}  // namespace

RoutingStore::RoutingStore(Database& db) : m_db(db), m_events(db) {}
RoutingStore::~RoutingStore() = default;

std::vector<QueuedLead> RoutingStore::pending_after(util::Time received_at, std::int64_t rowid,
                                                    std::size_t limit) {
  return guarded(m_db, [&] {
    static const std::string sql = std::string("SELECT rowid, ") + k_lead_columns +
                                   " FROM leads WHERE state = 'pending' AND "
                                   "(received_at, rowid) > (?, ?) "
                                   "ORDER BY received_at, rowid LIMIT ?";
    auto& s = prepared(m_db, m_pending, sql.c_str());
    s.bind(1, seconds(received_at));
    s.bind(2, rowid);
    s.bind(3, static_cast<std::int64_t>(limit));
    std::vector<QueuedLead> out;
    while (s.executeStep()) {
      out.push_back({s.getColumn(0).getInt64(), read_lead_row(s, 1)});
    }
    return out;
  });
}

std::optional<LeadRow> RoutingStore::find(const std::string& id) {
  return guarded(m_db, [&]() -> std::optional<LeadRow> {
    static const std::string sql =
        std::string("SELECT ") + k_lead_columns + " FROM leads WHERE id = ?";
    auto& s = prepared(m_db, m_find, sql.c_str());
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
      SQLite::Statement s(m_db.sql(), sql);
      s.bind(1, id);
      while (s.executeStep()) {
        out.push_back(s.getColumn(0).getString());
      }
    }
    return out;
  });
}

core::Snapshot RoutingStore::load_snapshot(
    const core::Config& config, util::Time now,
    const std::vector<std::pair<std::string, Periods>>& periods, const SnapshotNeeds& needs) {
  return guarded(m_db, [&] {
    core::Snapshot snap;
    {
      SQLite::Statement s(m_db.sql(),
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
      SQLite::Statement s(m_db.sql(), "SELECT agent, key, value FROM agent_metrics");
      while (s.executeStep()) {
        snap.agents[s.getColumn(0).getString()].metrics[s.getColumn(1).getString()] =
            s.getColumn(2).getDouble();
      }
    }
    {
      SQLite::Statement s(m_db.sql(), "SELECT pool, last_agent, member_order FROM rotation");
      while (s.executeStep()) {
        core::RotationCursor cursor;
        cursor.last_agent = s.getColumn(1).getString();
        const auto order = nlohmann::json::parse(s.getColumn(2).getString(), nullptr, false);
        if (order.is_array()) {
          for (const auto& a : order) {
            if (a.is_string()) {
              cursor.order.push_back(a.get<std::string>());
            }
          }
        }
        snap.pools[s.getColumn(0).getString()].cursor = std::move(cursor);
      }
    }
    {
      SQLite::Statement s(m_db.sql(),
                          "SELECT agent, period, count FROM usage WHERE pool = ? AND period IN (?, ?)");
      for (const auto& [pool, p] : periods) {
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
    if (needs.active) {
      SQLite::Statement s(m_db.sql(),
                          "SELECT agent, count(*) FROM offers WHERE state = 'open' GROUP BY agent "
                          "UNION ALL SELECT agent, count(*) FROM leads "
                          "WHERE state = 'assigned' AND agent IS NOT NULL GROUP BY agent");
      while (s.executeStep()) {
        snap.agents[s.getColumn(0).getString()].active += s.getColumn(1).getInt();
      }
    }
    if (needs.close) {
      SQLite::Statement s(m_db.sql(),
                          "SELECT agent, sum(outcome = 'won'), sum(outcome = 'lost') FROM outcomes "
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
    return snap;
  });
}

std::vector<std::string> RoutingStore::offered_agents(const std::string& lead_id) {
  return guarded(m_db, [&] {
    auto& s = prepared(m_db, m_offered,
                       "SELECT DISTINCT agent FROM offers WHERE lead_id = ? AND round = "
                       "(SELECT coalesce(max(round), 0) FROM offers WHERE lead_id = ?)");
    s.bind(1, lead_id);
    s.bind(2, lead_id);
    std::vector<std::string> out;
    while (s.executeStep()) {
      out.push_back(s.getColumn(0).getString());
    }
    return out;
  });
}

std::optional<std::string> RoutingStore::prior_owner(const std::vector<std::string>& keys,
                                                     const std::string& lead_id,
                                                     util::Time since) {
  return guarded(m_db, [&]() -> std::optional<std::string> {
    auto& s = prepared(m_db, m_prior,
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

void RoutingStore::remember_contacts(const std::vector<std::string>& keys,
                                     const std::string& lead_id, util::Time at) {
  guarded(m_db, [&] {
    auto& s = prepared(m_db, m_contact,
                       "INSERT OR IGNORE INTO contacts(key, at, lead_id) VALUES (?, ?, ?)");
    for (const auto& key : keys) {
      s.reset();
      s.bind(1, key);
      s.bind(2, seconds(at));
      s.bind(3, lead_id);
      s.exec();
    }
  });
}

int RoutingStore::current_round(const std::string& lead_id) {
  return guarded(m_db, [&] {
    auto& s = prepared(m_db, m_round,
                       "SELECT coalesce(max(round), 0) FROM offers WHERE lead_id = ?");
    s.bind(1, lead_id);
    s.executeStep();
    return s.getColumn(0).getInt();
  });
}

bool RoutingStore::write_decision(const core::Decision& d, const LeadRow& lead,
                                  const std::string& expected_state, util::Time now,
                                  int round, const std::string& decision_json) {
  return guarded(m_db, [&] {
    const bool single = d.outcome == core::Outcome::assign ||
                        (d.outcome == core::Outcome::offer && d.chosen.size() == 1);
    auto& u = prepared(m_db, m_update_lead,
                       "UPDATE leads SET state = ?, agent = ?, pool = ?, rule = ?, deadline = ?, "
                       "attempts = ?, updated_at = ? WHERE id = ? AND state = ?");
    u.bind(1, state_after(d.outcome));
    bind_optional(u, 2, single ? std::optional<std::string>{d.chosen.front()} : std::nullopt);
    bind_optional(u, 3, d.outcome == core::Outcome::queue ? std::nullopt : d.pool);
    bind_optional(u, 4, d.rule);
    if (d.outcome == core::Outcome::offer && d.deadline) {
      u.bind(5, seconds(*d.deadline));
    } else {
      u.bind(5);
    }
    u.bind(6, static_cast<std::int64_t>(d.outcome == core::Outcome::offer ? d.attempts
                                                                             : lead.attempts));
    u.bind(7, seconds(now));
    u.bind(8, lead.id);
    u.bind(9, expected_state);
    if (u.exec() != 1) {
      return false;
    }

    const std::string detail_text = event_detail(d);
    if (d.outcome == core::Outcome::offer) {
      auto& o = prepared(m_db, m_insert_offer,
                         "INSERT INTO offers(lead_id, agent, pool, offered_at, deadline, round) "
                         "VALUES (?, ?, ?, ?, ?, ?)");
      for (const auto& agent : d.chosen) {
        o.reset();
        o.bind(1, lead.id);
        o.bind(2, agent);
        bind_optional(o, 3, d.pool);
        o.bind(4, seconds(now));
        if (d.deadline) {
          o.bind(5, seconds(*d.deadline));
        } else {
          o.bind(5);
        }
        o.bind(6, round);
        o.exec();
      }
    }
    if (d.chosen.empty()) {
      m_events.append({lead.id, now, event_type(d.outcome), std::nullopt,
                       d.outcome == core::Outcome::queue ? std::nullopt : d.pool, d.rule,
                       detail_text});
    }
    for (const auto& agent : d.chosen) {
      m_events.append({lead.id, now, event_type(d.outcome), agent, d.pool, d.rule, detail_text});
      agent_last(agent, now);
    }
    if (d.outcome != core::Outcome::offer) {
      end_reassignment(lead.id);
    }
    auto& dec = prepared(m_db, m_insert_decision,
                         "INSERT INTO decisions(lead_id, at, detail) VALUES (?, ?, ?)");
    dec.bind(1, lead.id);
    dec.bind(2, seconds(now));
    dec.bind(3, decision_json);
    dec.exec();
    return true;
  });
}

void RoutingStore::agent_last(const std::string& agent, util::Time now) {
  if (m_defer) {
    m_agent_last.insert_or_assign(agent, now);
    return;
  }
  auto& last = prepared(m_db, m_agent_last_stmt,
                        "INSERT INTO agent_state(agent, last_assigned_at, updated_at) "
                        "VALUES (?1, ?2, ?2) ON CONFLICT(agent) DO UPDATE SET "
                        "last_assigned_at = ?2");
  last.bind(1, agent);
  last.bind(2, seconds(now));
  last.exec();
}

void RoutingStore::bulk_mode() {
  // 32 MB, like a bulk import (store/leads.cpp); memory stays flat whatever the backlog.
  // Checkpoints every 32 MB of WAL instead of 4 MB: each one syncs the file, and a batch
  // of decisions writes several MB, so the default would sync after nearly every commit.
  guarded(m_db, [&] {
    m_db.sql().exec("PRAGMA main.cache_size = -32768");
    m_db.sql().exec("PRAGMA wal_autocheckpoint = 8192");
  });
  m_defer = true;
}

void RoutingStore::flush_deferred() {
  guarded(m_db, [&] {
    const bool defer = m_defer;
    m_defer = false;
    for (const auto& [agent, at] : m_agent_last) {
      agent_last(agent, at);
    }
    m_agent_last.clear();
    m_defer = defer;
  });
}

std::vector<OfferRow> RoutingStore::open_offers(const std::string& lead_id) {
  return guarded(m_db, [&] {
    auto& s = prepared(m_db, m_open_offers,
                       "SELECT id, lead_id, agent, pool, offered_at, deadline FROM offers "
                       "WHERE lead_id = ? AND state = 'open' ORDER BY id");
    s.bind(1, lead_id);
    std::vector<OfferRow> out;
    while (s.executeStep()) {
      out.push_back({s.getColumn(0).getInt64(), s.getColumn(1).getString(),
                     s.getColumn(2).getString(), optional_text(s.getColumn(3)),
                     time_of(s.getColumn(4)), optional_time(s.getColumn(5))});
    }
    return out;
  });
}

void RoutingStore::end_offer(std::int64_t offer_id, const std::string& state, util::Time now) {
  guarded(m_db, [&] {
    auto& s = prepared(m_db, m_end_offer,
                       "UPDATE offers SET state = ?, ended_at = ? WHERE id = ? AND state = 'open'");
    s.bind(1, state);
    s.bind(2, seconds(now));
    s.bind(3, offer_id);
    s.exec();
  });
}

bool RoutingStore::update_lead(const std::string& id, const std::string& expected_state,
                               const LeadUpdate& update, util::Time now) {
  return guarded(m_db, [&] {
    auto& u = prepared(m_db, m_set_lead,
                       "UPDATE leads SET state = ?, agent = ?, pool = ?, rule = ?, deadline = ?, "
                       "attempts = ?, updated_at = ? WHERE id = ? AND state = ?");
    u.bind(1, update.state);
    bind_optional(u, 2, update.agent);
    bind_optional(u, 3, update.pool);
    bind_optional(u, 4, update.rule);
    if (update.deadline) {
      u.bind(5, seconds(*update.deadline));
    } else {
      u.bind(5);
    }
    u.bind(6, update.attempts);
    u.bind(7, seconds(now));
    u.bind(8, id);
    u.bind(9, expected_state);
    return u.exec() == 1;
  });
}

bool RoutingStore::reassign_in_progress(const std::string& lead_id) {
  return guarded(m_db, [&] {
    auto& s = prepared(m_db, m_reassigning, "SELECT 1 FROM reassignments WHERE lead_id = ?");
    s.bind(1, lead_id);
    return s.executeStep();
  });
}

void RoutingStore::add_usage(const std::string& pool, const std::string& agent,
                             const std::string& period, int delta) {
  guarded(m_db, [&] {
    auto& s = prepared(m_db, m_usage,
                       "INSERT INTO usage(pool, agent, period, count) VALUES (?1, ?2, ?3, ?4) "
                       "ON CONFLICT(pool, agent, period) DO UPDATE SET count = max(0, count + ?4)");
    s.bind(1, pool);
    s.bind(2, agent);
    s.bind(3, period);
    s.bind(4, delta);
    s.exec();
  });
}

void RoutingStore::save_rotation(const std::string& pool, const core::RotationCursor& cursor) {
  guarded(m_db, [&] {
    auto& s = prepared(m_db, m_rotation,
                       "INSERT INTO rotation(pool, last_agent, member_order) VALUES (?1, ?2, ?3) "
                       "ON CONFLICT(pool) DO UPDATE SET last_agent = ?2, member_order = ?3");
    s.bind(1, pool);
    s.bind(2, cursor.last_agent);
    s.bind(3, nlohmann::json(cursor.order).dump());
    s.exec();
  });
}

void RoutingStore::begin_reassignment(const std::string& lead_id, const std::string& pool,
                                      util::Time now,
                                      const std::optional<std::string>& previous_agent) {
  guarded(m_db, [&] {
    SQLite::Statement s(m_db.sql(),
                        "INSERT OR REPLACE INTO reassignments(lead_id, pool, requested_at, "
                        "previous_agent) VALUES (?, ?, ?, ?)");
    s.bind(1, lead_id);
    s.bind(2, pool);
    s.bind(3, seconds(now));
    bind_optional(s, 4, previous_agent);
    s.exec();
  });
}

void RoutingStore::end_reassignment(const std::string& lead_id) {
  guarded(m_db, [&] {
    SQLite::Statement s(m_db.sql(), "DELETE FROM reassignments WHERE lead_id = ?");
    s.bind(1, lead_id);
    s.exec();
  });
}

std::vector<std::string> RoutingStore::open_leads_of(const std::string& agent) {
  return guarded(m_db, [&] {
    SQLite::Statement s(m_db.sql(),
                        "SELECT id FROM leads WHERE agent = ?1 AND state IN ('offered', "
                        "'assigned') UNION SELECT lead_id FROM offers WHERE agent = ?1 AND "
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
