// RoutingStore's writes: decisions with their offers and events, usage, rotation, agents'
// last offer times, offer and lead updates, reassignments. Its reads are in
// routing_reads.cpp.
#include "store/routing.hpp"

#include "store/sql.hpp"
#include <nlohmann/json.hpp>

#include "store/sqlite_error.hpp"
#include "store/statement_util.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

namespace router::store {
namespace {

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

// The event's detail: {"attempt":N,"deadline":"...","error":"...","reason":"..."} (keys
// sorted, as nlohmann::json writes them), built directly since every routed lead writes one.
// Reason names and RFC 3339 times need no escaping.
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
  // bad_attributes: the parser's message (ASCII, but it may quote anything).
  if (!d.error.empty()) {
    out += "\"error\":";
    out += nlohmann::json(d.error).dump();
    out += ",";
  }
  out += "\"reason\":\"";
  out += core::to_string(d.reason);
  out += "\"}";
  return out;
}

}  // namespace

std::string received_detail(std::string_view source) {
  // As SQLite's json_object('reason', 'crm_insert', 'source', source) writes it (the detail
  // once came from that call): '"' and '\\' escaped, \b \t \n \f \r by name, other control
  // characters as \u00xx, every other byte as it is.
  std::string out = R"({"reason":"crm_insert","source":")";
  out.reserve(out.size() + source.size() + 2);
  for (const char ch : source) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      static constexpr char k_hex[] = "0123456789abcdef";
      switch (c) {
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      default:
        out += "\\u00";
        out += k_hex[c >> 4];
        out += k_hex[c & 15];
      }
    } else {
      out += ch;
    }
  }
  out += "\"}";
  return out;
}

RoutingStore::RoutingStore(Database& db) : m_db(db), m_events(db) {}
RoutingStore::~RoutingStore() = default;

void RoutingStore::remember_contacts(const std::vector<std::string>& keys,
                                     const std::string& lead_id, util::Time at) {
  guarded(m_db, [&] {
    auto s = prepared(m_db, m_contact,
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

bool RoutingStore::write_decision(const core::Decision& d, const LeadRow& lead,
                                  const std::string& expected_state, util::Time now, int round,
                                  const std::string& trail, const core::Config& config_of_run) {
  return guarded(m_db, [&] {
    const bool single = d.outcome == core::Outcome::assign ||
                        (d.outcome == core::Outcome::offer && d.chosen.size() == 1);
    const std::optional<std::string> holder =
        single ? std::optional<std::string>{d.chosen.front()} : std::nullopt;
    const std::optional<std::string> pool =
        d.outcome == core::Outcome::queue ? std::nullopt : d.pool;
    const std::optional<std::int64_t> deadline =
        d.outcome == core::Outcome::offer && d.deadline
            ? std::optional<std::int64_t>{seconds(*d.deadline)}
            : std::nullopt;
    const std::int64_t attempts = d.outcome == core::Outcome::offer ? d.attempts : lead.attempts;
    if (m_defer && lead.rowid > 0 && expected_state == lead.state) {
      // Read in `expected_state` in this write transaction by a reader that holds the row
      // (LeadRow::rowid): it is still in that state.
      if (m_lead_updates.empty()) {
        m_lead_updates_rollbacks = m_db.rollbacks();
      }
      m_lead_updates.push_back({lead.rowid, expected_state, state_after(d.outcome), holder, pool,
                                d.rule, deadline, attempts, seconds(now)});
    } else {
      auto u = prepared(m_db, m_update_lead,
                        "UPDATE leads SET state = ?, agent = ?, pool = ?, rule = ?, deadline = ?, "
                        "attempts = ?, updated_at = ? WHERE id = ? AND state = ?");
      u.bind(1, state_after(d.outcome));
      bind_optional(u, 2, holder);
      bind_optional(u, 3, pool);
      bind_optional(u, 4, d.rule);
      bind_optional(u, 5, deadline);
      u.bind(6, attempts);
      u.bind(7, seconds(now));
      u.bind(8, lead.id);
      u.bind(9, expected_state);
      if (u.exec() != 1) {
        return false;
      }
    }
    if (expected_state == "pending") {
      ensure_received(lead);
    }

    const std::string detail_text = event_detail(d);
    // A single offer is the lead row itself; a broadcast keeps a row per member, whose
    // offers end one by one.
    if (d.outcome == core::Outcome::offer && d.chosen.size() > 1) {
      auto o = prepared(m_db, m_insert_offer,
                        "INSERT INTO broadcast_offers(lead_id, agent, pool, offered_at, deadline, "
                        "round) VALUES (?, ?, ?, ?, ?, ?)");
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
    const std::size_t first_queued = m_events.queued();
    std::int64_t first_seq = 0;
    if (d.chosen.empty()) {
      first_seq = m_events.append({lead.id, now, event_type(d.outcome), std::nullopt,
                                   d.outcome == core::Outcome::queue ? std::nullopt : d.pool,
                                   d.rule, detail_text},
                                  lead.source);
    }
    for (const auto& agent : d.chosen) {
      const std::int64_t seq = m_events.append(
          {lead.id, now, event_type(d.outcome), agent, d.pool, d.rule, detail_text}, lead.source);
      first_seq = first_seq == 0 ? seq : first_seq;
      agent_last(agent, now);
    }
    if (d.outcome != core::Outcome::offer) {
      end_reassignment(lead.id);
    }
    // The first offers of a new round mark where "offered already" starts counting again.
    const int new_round = d.outcome == core::Outcome::offer ? round : 0;
    const std::int64_t config = config_id(config_of_run);
    if (m_defer) {
      if (m_trails.empty()) {
        m_trails_rollbacks = m_db.rollbacks();
      }
      m_trails.push_back(
          {first_queued, config, trail, new_round > 0 ? lead.id : std::string{}, new_round});
    } else {
      write_trail(first_seq, config, trail, lead.id, new_round);
    }
    return true;
  });
}

void RoutingStore::write_trail(std::int64_t seq, std::int64_t config, const std::string& trail,
                               const std::string& lead_id, int round) {
  if (round > 0) {
    auto r = prepared(m_db, m_insert_round,
                      "INSERT OR IGNORE INTO rounds(lead_id, round, seq) VALUES (?, ?, ?)");
    r.bind(1, lead_id);
    r.bind(2, round);
    r.bind(3, seq);
    r.exec();
  }
  auto dec =
      prepared(m_db, m_insert_decision, "INSERT INTO trails(seq, config, data) VALUES (?, ?, ?)");
  dec.bind(1, seq);
  dec.bind(2, config);
  dec.bindNoCopy(3, trail.data(), static_cast<int>(trail.size()));
  dec.exec();
}

void RoutingStore::write_trails_many(std::int64_t first) {
  // On a server each statement is a round trip: the trails go k_rows to an INSERT (SQLite,
  // with no round trips, runs its one prepared statement per trail).
  constexpr std::size_t k_rows = 128;
  const auto sql = [](std::size_t rows) {
    std::string text = "INSERT INTO trails(seq, config, data) VALUES ";
    for (std::size_t r = 0; r < rows; ++r) {
      text += r ? ", (?, ?, ?)" : "(?, ?, ?)";
    }
    return text;
  };
  const auto write = [&](sql::Statement& s, std::size_t from, std::size_t rows) {
    for (std::size_t r = 0; r < rows; ++r) {
      const QueuedTrail& t = m_trails[from + r];
      const std::int64_t seq = first + static_cast<std::int64_t>(t.first_event);
      if (t.round > 0) {
        auto round = prepared(m_db, m_insert_round,
                              "INSERT OR IGNORE INTO rounds(lead_id, round, seq) VALUES (?, ?, ?)");
        round.bind(1, t.lead_id);
        round.bind(2, t.round);
        round.bind(3, seq);
        round.exec();
      }
      const int base = static_cast<int>(r) * 3;
      s.bind(base + 1, seq);
      s.bind(base + 2, t.config);
      s.bindNoCopy(base + 3, t.data.data(), static_cast<int>(t.data.size()));
    }
    s.exec();
  };
  std::size_t i = 0;
  if (m_trails.size() >= k_rows) {
    // Built at the first full block: a run of a few leads never needs it.
    static const std::string many = sql(k_rows);
    for (; i + k_rows <= m_trails.size(); i += k_rows) {
      auto s = prepared(m_db, m_insert_trails_many, many);
      write(s, i, k_rows);
    }
  }
  if (const std::size_t rest = m_trails.size() - i; rest > 0) {
    sql::Statement s(m_db.sql(), sql(rest));
    write(s, i, rest);
  }
}

std::int64_t RoutingStore::config_id(const core::Config& config) {
  if (m_config == &config && m_config_rollbacks == m_db.rollbacks()) {
    return m_config_id;
  }
  return guarded(m_db, [&] {
    const auto hash = static_cast<std::int64_t>(config.source_hash);
    auto find = prepared(m_db, m_find_config,
                         "SELECT id FROM configs WHERE hash = ? AND size = ? ORDER BY id LIMIT 1");
    find.bind(1, hash);
    find.bind(2, static_cast<std::int64_t>(config.source_text.size()));
    std::int64_t id = 0;
    if (find.executeStep()) {
      id = find.getColumn(0).getInt64();
    } else {
      auto insert =
          prepared(m_db, m_insert_config, "INSERT INTO configs(hash, text, size) VALUES (?, ?, ?)");
      insert.bind(1, hash);
      insert.bind(2, std::string(config.source_text));  // once per configuration
      insert.bind(3, static_cast<std::int64_t>(config.source_text.size()));
      insert.exec();
      id = m_db.sql().getLastInsertRowid();
    }
    find.reset();
    m_config = &config;
    m_config_id = id;
    m_config_rollbacks = m_db.rollbacks();
    return id;
  });
}

void RoutingStore::ensure_received(const LeadRow& lead) {
  if (lead.rowid > 0) {
    // Read by pending_after in this write transaction, which saw whether it had an event.
    if (!lead.has_events) {
      m_events.append({lead.id, lead.received_at, "received", std::nullopt, std::nullopt,
                       std::nullopt, received_detail(lead.source)},
                      lead.source);
    }
    return;
  }
  guarded(m_db, [&] {
    // One seek in events_lead: an ingested lead has its event already, a CRM row none.
    auto has = prepared(m_db, m_has_event, "SELECT 1 FROM events WHERE lead_id = ? LIMIT 1");
    has.bind(1, lead.id);
    if (has.executeStep()) {
      return;
    }
    m_events.append({lead.id, lead.received_at, "received", std::nullopt, std::nullopt,
                     std::nullopt, received_detail(lead.source)},
                    lead.source);
  });
}

void RoutingStore::agent_last(const std::string& agent, util::Time now) {
  if (m_defer) {
    m_agent_last.insert_or_assign(agent, now);
    return;
  }
  auto last = prepared(m_db, m_agent_last_stmt,
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
  // Connection settings: once per connection (simulate's replay calls assign thousands of
  // times on one).
  if (m_db.first_bulk_mode()) {
    bulk_settings();
  }
  m_defer = true;
  m_events.defer();
}

void RoutingStore::bulk_settings() {
  guarded(m_db, [&] {
    m_db.sql().exec("PRAGMA main.cache_size = -32768");
    m_db.sql().exec("PRAGMA wal_autocheckpoint = 8192");
    // The statement journal of a statement writing many rows (the flush's) in memory: on
    // disk it wrote every page the statement touched a second time (3.5x the writes).
    m_db.sql().exec("PRAGMA temp_store = MEMORY");
  });
}

void RoutingStore::flush_lead_updates() {
  if (m_lead_updates.empty()) {
    return;
  }
  if (m_db.rollbacks() != m_lead_updates_rollbacks) {
    m_lead_updates.clear();  // queued in a transaction that rolled back
    return;
  }
  guarded(m_db, [&] {
    // One UPDATE … FROM a VALUES list per k_rows leads, joined by rowid (the plan: scan the
    // list, seek each lead by rowid), each row still in the state it was read in. `+state`
    // keeps the state index out of the plan. A last single lead gets a plain UPDATE by rowid.
    constexpr std::size_t k_rows = 64;
    // PostgreSQL types a VALUES list's parameters as text unless told, and has no unary `+`
    // on text (its planner needs no such hint).
    const bool pg = m_db.postgres();
    const auto sql = [pg](std::size_t rows) {
      const char* row = pg ? "(CAST(? AS BIGINT), ?, ?, ?, ?, ?, CAST(? AS BIGINT), "
                             "CAST(? AS BIGINT), CAST(? AS BIGINT))"
                           : "(?, ?, ?, ?, ?, ?, ?, ?, ?)";
      std::string text = "WITH b(rid, expected, state, agent, pool, rule, deadline, attempts, "
                         "updated_at) AS (VALUES ";
      for (std::size_t r = 0; r < rows; ++r) {
        text += r ? ", " : "";
        text += row;
      }
      return text +
             ") UPDATE leads SET state = b.state, agent = b.agent, pool = b.pool, "
             "rule = b.rule, deadline = b.deadline, attempts = b.attempts, "
             "updated_at = b.updated_at FROM b WHERE leads.rowid = b.rid AND " +
             (pg ? "leads.state = b.expected" : "+leads.state = b.expected");
    };
    const auto write = [&](sql::Statement& s, std::size_t from, std::size_t rows) {
      for (std::size_t r = 0; r < rows; ++r) {
        const QueuedLeadUpdate& q = m_lead_updates[from + r];
        const int base = static_cast<int>(r) * 9;
        s.bind(base + 1, q.rowid);
        s.bind(base + 2, q.expected);
        s.bind(base + 3, q.state);
        bind_optional(s, base + 4, q.agent);
        bind_optional(s, base + 5, q.pool);
        bind_optional(s, base + 6, q.rule);
        bind_optional(s, base + 7, q.deadline);
        s.bind(base + 8, q.attempts);
        s.bind(base + 9, q.updated_at);
      }
      if (static_cast<std::size_t>(s.exec()) != rows) {
        throw util::DbError("a lead routed in this batch was no longer in the state it was read in "
                            "when written");
      }
    };
    std::size_t i = 0;
    if (m_lead_updates.size() >= k_rows) {
      static const std::string many = sql(k_rows);  // at the first full block
      for (; i + k_rows <= m_lead_updates.size(); i += k_rows) {
        auto s = prepared(m_db, m_update_leads_many, many);
        write(s, i, k_rows);
      }
    }
    if (const std::size_t rest = m_lead_updates.size() - i; rest == 1) {
      // One lead (a run of one lead, or the last of a batch): a plain UPDATE by rowid,
      // numbered as a VALUES row is. SQLite plans it for half the instructions of the
      // one-row join.
      const std::string one = std::string("UPDATE leads SET state = ?3, agent = ?4, pool = ?5, "
                                          "rule = ?6, deadline = ?7, attempts = ?8, "
                                          "updated_at = ?9 WHERE rowid = ?1 AND ") +
                              (pg ? "state = ?2" : "+state = ?2");
      auto s = prepared(m_db, m_update_lead_one, one);
      write(s, i, 1);
    } else if (rest > 1) {
      sql::Statement s(m_db.sql(), sql(rest));
      write(s, i, rest);
    }
  });
  m_lead_updates.clear();
}

void RoutingStore::flush_deferred() {
  flush_lead_updates();
  guarded(m_db, [&] {
    const std::int64_t first = m_events.flush();
    if (!m_trails.empty() && m_db.rollbacks() != m_trails_rollbacks) {
      // Queued in a transaction that rolled back, as their events were (flush dropped them).
      m_trails.clear();
      m_agent_last.clear();
    }
    if (m_db.postgres()) {
      write_trails_many(first);
    } else {
      for (const auto& t : m_trails) {
        write_trail(first + static_cast<std::int64_t>(t.first_event), t.config, t.data, t.lead_id,
                    t.round);
      }
    }
    m_trails.clear();
    const bool defer = m_defer;
    m_defer = false;
    for (const auto& [agent, at] : m_agent_last) {
      agent_last(agent, at);
    }
    m_agent_last.clear();
    m_defer = defer;
  });
}

void RoutingStore::end_offer(std::int64_t offer_id, const std::string& state, util::Time now) {
  if (offer_id == k_lead_offer) {
    return;  // the lead row's own offer ends with the lead's next update and its event
  }
  guarded(m_db, [&] {
    auto s = prepared(m_db, m_end_offer,
                      "UPDATE broadcast_offers SET state = ?, ended_at = ? WHERE id = ? AND "
                      "state = 'open'");
    s.bind(1, state);
    s.bind(2, seconds(now));
    s.bind(3, offer_id);
    s.exec();
  });
}

bool RoutingStore::update_lead(const std::string& id, const std::string& expected_state,
                               const LeadUpdate& update, util::Time now) {
  return guarded(m_db, [&] {
    auto u = prepared(m_db, m_set_lead,
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

void RoutingStore::add_usage(const std::string& pool, const std::string& agent,
                             const std::string& period, int delta) {
  guarded(m_db, [&] {
    auto s =
        prepared(m_db, m_usage,
                 "INSERT INTO usage(pool, agent, period, count) VALUES (?1, ?2, ?3, ?4) "
                 "ON CONFLICT(pool, agent, period) DO UPDATE SET count = max(0, usage.count + ?4)");
    s.bind(1, pool);
    s.bind(2, agent);
    s.bind(3, period);
    s.bind(4, delta);
    s.exec();
  });
}

void RoutingStore::save_rotation(const std::string& pool, const core::RotationCursor& cursor) {
  guarded(m_db, [&] {
    auto s = prepared(m_db, m_rotation,
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
    sql::Statement s(m_db.sql(),
                     "INSERT INTO reassignments(lead_id, pool, requested_at, previous_agent) "
                     "VALUES (?, ?, ?, ?) ON CONFLICT(lead_id) DO UPDATE SET pool = excluded.pool, "
                     "requested_at = excluded.requested_at, "
                     "previous_agent = excluded.previous_agent");
    s.bind(1, lead_id);
    s.bind(2, pool);
    s.bind(3, seconds(now));
    bind_optional(s, 4, previous_agent);
    s.exec();
  });
}

void RoutingStore::end_reassignment(const std::string& lead_id) {
  guarded(m_db, [&] {
    sql::Statement s(m_db.sql(), "DELETE FROM reassignments WHERE lead_id = ?");
    s.bind(1, lead_id);
    s.exec();
  });
}

}  // namespace router::store
