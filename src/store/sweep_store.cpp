#include "store/sweep_store.hpp"

#include "store/sql.hpp"
#include <nlohmann/json.hpp>

#include "store/row_readers.hpp"
#include "store/sqlite_error.hpp"
#include "store/statement_util.hpp"
#include "util/time.hpp"

namespace router::store {
namespace {

// The offer and lead columns every offer query selects, in read_offer_with_lead's order.
constexpr const char* k_offer_with_lead =
    "SELECT o.id, o.lead_id, o.agent, o.pool, o.offered_at, o.deadline, "
    "l.id, l.source, l.attributes, l.received_at, l.state, l.agent, l.pool, l.rule, "
    "l.deadline, l.attempts, l.updated_at, l.touched_at ";

// A lead row's own offer in read_offer_row's order (k_lead_offer, lead, agent, pool, when
// offered, deadline).
constexpr const char* k_lead_offer_columns = "0, id, agent, pool, updated_at, deadline";

// The activity expression of index leads_assigned_activity, repeated exactly.
constexpr const char* k_activity = "max(coalesce(updated_at, 0), coalesce(touched_at, 0))";

// Which of the four shapes of a gap query: bit 0 = lower bound, bit 1 = upper bound.
int gap_shape(const Gap& gap) {
  return (gap.after ? 1 : 0) | (gap.before ? 2 : 0);
}

}  // namespace

SweepStore::SweepStore(Database& db) : m_db(db) {}
SweepStore::~SweepStore() = default;

std::vector<OfferWithLead> SweepStore::read_offers(sql::Statement& s) {
  std::vector<OfferWithLead> out;
  while (s.executeStep()) {
    out.push_back({read_offer_row(s), read_lead_row(s, 6)});
  }
  return out;
}

Query SweepStore::gap_statement(std::unique_ptr<sql::Statement> (&cache)[4],
                                const std::string& head, const char* column, const Gap& gap,
                                int first_index, const std::string& tail) {
  const int shape = gap_shape(gap);
  // Numbered parameters: the tail's ?1 comes after these in the text.
  const std::string lower = "?" + std::to_string(first_index);
  const std::string upper = "?" + std::to_string(first_index + 1);
  std::string sql = head;
  sql += std::string(" AND ") + column + (gap.after ? " > " + lower : " IS NOT NULL");
  if (gap.before) {
    sql += std::string(" AND ") + column + " < " + upper;
  }
  auto s = prepared(m_db, cache[shape], sql + " " + tail);
  if (gap.after) {
    s.bind(first_index, *gap.after);
  }
  if (gap.before) {
    s.bind(first_index + 1, *gap.before);
  }
  return s;
}

std::vector<OfferWithLead> SweepStore::due_offers(util::Time now, std::int64_t after_deadline,
                                                  std::int64_t after_id, std::size_t limit) {
  return guarded(m_db, [&] {
    auto s = prepared(m_db, m_due,
                      std::string(k_offer_with_lead) +
                          "FROM broadcast_offers o JOIN leads l ON l.id = o.lead_id "
                          "WHERE o.state = 'open' AND o.deadline <= ? "
                          "AND (o.deadline, o.id) > (?, ?) ORDER BY o.deadline, o.id LIMIT ?");
    s.bind(1, seconds(now));
    s.bind(2, after_deadline);
    s.bind(3, after_id);
    s.bind(4, static_cast<std::int64_t>(limit));
    return read_offers(s);
  });
}

std::vector<HeldOffer> SweepStore::due_lead_offers(util::Time now, std::int64_t after_deadline,
                                                   std::int64_t after_rowid, std::size_t limit) {
  return guarded(m_db, [&] {
    static const std::string sql =
        std::string("SELECT rowid, ") + k_lead_offer_columns + ", " + k_lead_columns +
        " FROM leads INDEXED BY leads_offered_deadline WHERE state = 'offered' "
        "AND agent IS NOT NULL AND deadline <= ? AND (deadline, rowid) > (?, ?) "
        "ORDER BY deadline, rowid LIMIT ?";
    static const std::string claim = sql + " FOR UPDATE SKIP LOCKED";
    std::vector<HeldOffer> out;
    m_db.begin_claim();
    {
      auto s = m_db.sharing() ? prepared(m_db, m_due_leads_claimed, claim)
                              : prepared(m_db, m_due_leads, sql);
      s.bind(1, seconds(now));
      s.bind(2, after_deadline);
      s.bind(3, after_rowid);
      s.bind(4, static_cast<std::int64_t>(limit));
      while (s.executeStep()) {
        out.push_back({s.getColumn(0).getInt64(), {read_offer_row(s, 1), read_lead_row(s, 7)}});
        out.back().offer.lead.rowid = out.back().rowid;  // held: its update may be deferred
      }
    }
    m_db.end_claim();
    return out;
  });
}

std::vector<OfferWithLead> SweepStore::open_offers_of(const std::string& agent,
                                                      const std::string& pool, std::size_t limit) {
  return guarded(m_db, [&] {
    // The leads that hold their own offer to the agent, then broadcasts' rows.
    const std::string leads = std::string("SELECT ") + k_lead_offer_columns + ", " +
                              k_lead_columns +
                              " FROM leads INDEXED BY leads_agent_state WHERE agent = ?1 AND "
                              "state = 'offered'";
    const std::string rows = std::string(k_offer_with_lead) +
                             "FROM broadcast_offers o JOIN leads l ON l.id = o.lead_id "
                             "WHERE o.agent = ?1 AND o.state = 'open'";
    auto s =
        pool.empty()
            ? prepared(m_db, m_of_agent, leads + " UNION ALL " + rows + " LIMIT ?2")
            : prepared(m_db, m_of_agent_pool,
                       leads + " AND pool = ?3 UNION ALL " + rows + " AND o.pool = ?3 LIMIT ?2");
    s.bind(1, agent);
    s.bind(2, static_cast<std::int64_t>(limit));
    if (!pool.empty()) {
      s.bind(3, pool);
    }
    return read_offers(s);
  });
}

std::vector<HeldOffer> SweepStore::lead_offers_after(std::int64_t after_received,
                                                     std::int64_t after_rowid, std::size_t limit) {
  return guarded(m_db, [&] {
    auto s = prepared(m_db, m_lead_offers_after,
                      std::string("SELECT rowid, ") + k_lead_offer_columns + ", " + k_lead_columns +
                          " FROM leads INDEXED BY leads_state_received WHERE state = 'offered' "
                          "AND agent IS NOT NULL AND (received_at, rowid) > (?, ?) "
                          "ORDER BY received_at, rowid LIMIT ?");
    s.bind(1, after_received);
    s.bind(2, after_rowid);
    s.bind(3, static_cast<std::int64_t>(limit));
    std::vector<HeldOffer> out;
    while (s.executeStep()) {
      out.push_back({s.getColumn(0).getInt64(), {read_offer_row(s, 1), read_lead_row(s, 7)}});
    }
    return out;
  });
}

bool SweepStore::offers_checked_under(std::int64_t config) {
  return guarded(m_db, [&] {
    sql::Statement s(m_db.sql(),
                     "SELECT (SELECT CAST(value AS INTEGER) FROM meta WHERE key = "
                     "'sweep.offers_config'), (SELECT CAST(value AS INTEGER) FROM meta WHERE "
                     "key = 'sweep.offers_seq')");
    s.executeStep();
    if (s.getColumn(0).isNull() || s.getColumn(0).getInt64() != config || s.getColumn(1).isNull()) {
      return false;
    }
    // Offers made since under another configuration (an older process still running).
    const std::int64_t mark = s.getColumn(1).getInt64();
    sql::Statement other(m_db.sql(), "SELECT 1 FROM trails WHERE seq > ? AND config <> ? LIMIT 1");
    other.bind(1, mark);
    other.bind(2, config);
    if (other.executeStep()) {
      return false;
    }
    // Every trail since the mark was made under `config`: move the mark past them, so the
    // next sweep reads only newer ones. Left where it was, each idle sweep read every
    // decision made since the last change of configuration (1,000,000 routed leads: 200 ms).
    sql::Statement advance(m_db.sql(), "UPDATE meta SET value = (SELECT max(seq) FROM trails) "
                                       "WHERE key = 'sweep.offers_seq' AND "
                                       "(SELECT max(seq) FROM trails) > ?");
    advance.bind(1, mark);
    advance.exec();
    return true;
  });
}

void SweepStore::set_offers_checked(std::int64_t config) {
  guarded(m_db, [&] {
    sql::Statement s(m_db.sql(), "INSERT INTO meta(key, value) VALUES ('sweep.offers_config', ?), "
                                 "('sweep.offers_seq', (SELECT coalesce(max(seq), 0) FROM trails)) "
                                 "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    s.bind(1, config);
    s.exec();
  });
}

bool SweepStore::any_open_broadcast_offer() {
  return guarded(m_db, [&] {
    sql::Statement s(m_db.sql(),
                     "SELECT EXISTS (SELECT 1 FROM broadcast_offers WHERE state = 'open')");
    s.executeStep();
    return s.getColumn(0).getInt() != 0;
  });
}

bool SweepStore::any_queued_lead() {
  return guarded(m_db, [&] {
    sql::Statement s(m_db.sql(), "SELECT EXISTS (SELECT 1 FROM leads WHERE state = 'queued')");
    s.executeStep();
    return s.getColumn(0).getInt() != 0;
  });
}

std::vector<OfferWithLead> SweepStore::open_offers_in_pools(const Gap& pools, std::size_t limit) {
  return guarded(m_db, [&] {
    auto s = gap_statement(m_in_pools,
                           std::string(k_offer_with_lead) +
                               "FROM broadcast_offers o INDEXED BY offers_open_pool_agent "
                               "JOIN leads l ON l.id = o.lead_id WHERE o.state = 'open'",
                           "o.pool", pools, 2, "ORDER BY o.pool, o.agent LIMIT ?1");
    s.bind(1, static_cast<std::int64_t>(limit));
    return read_offers(s);
  });
}

std::vector<OfferWithLead> SweepStore::open_offers_outside(const std::string& pool,
                                                           const Gap& agents, std::size_t limit) {
  return guarded(m_db, [&] {
    auto s = gap_statement(m_outside,
                           std::string(k_offer_with_lead) +
                               "FROM broadcast_offers o INDEXED BY offers_open_pool_agent "
                               "JOIN leads l ON l.id = o.lead_id "
                               "WHERE o.state = 'open' AND o.pool = ?2",
                           "o.agent", agents, 3, "ORDER BY o.agent LIMIT ?1");
    s.bind(1, static_cast<std::int64_t>(limit));
    s.bind(2, pool);
    return read_offers(s);
  });
}

std::vector<LeadRow> SweepStore::queued_in_pools(const Gap& pools, std::size_t limit) {
  return guarded(m_db, [&] {
    auto s = gap_statement(m_queued,
                           std::string("SELECT ") + k_lead_columns +
                               " FROM leads INDEXED BY leads_queued_pool "
                               "WHERE state = 'queued'",
                           "pool", pools, 2, "ORDER BY pool LIMIT ?1");
    s.bind(1, static_cast<std::int64_t>(limit));
    std::vector<LeadRow> out;
    while (s.executeStep()) {
      out.push_back(read_lead_row(s, 0));
    }
    return out;
  });
}

std::vector<ActiveLead> SweepStore::stale_leads(const std::string& pool, util::Time cutoff,
                                                std::int64_t after_activity,
                                                std::int64_t after_rowid, std::size_t limit) {
  return guarded(m_db, [&] {
    const std::string a = k_activity;
    auto s =
        prepared(m_db, m_stale,
                 "SELECT rowid, " + a + ", " + k_lead_columns +
                     " FROM leads WHERE state = 'assigned' AND pool = ? AND " + a + " <= ? AND (" +
                     a + ", rowid) > (?, ?) ORDER BY " + a + ", rowid LIMIT ?");
    s.bind(1, pool);
    s.bind(2, seconds(cutoff));
    s.bind(3, after_activity);
    s.bind(4, after_rowid);
    s.bind(5, static_cast<std::int64_t>(limit));
    std::vector<ActiveLead> out;
    while (s.executeStep()) {
      out.push_back({s.getColumn(0).getInt64(), s.getColumn(1).getInt64(), read_lead_row(s, 2)});
    }
    return out;
  });
}

std::vector<AgentPresence> SweepStore::agents(bool unavailable_only) {
  return guarded(m_db, [&] {
    sql::Statement s(m_db.sql(), unavailable_only ? "SELECT agent, status, until, online FROM "
                                                    "agent_state WHERE status <> 'available'"
                                                  : "SELECT agent, status, until, online FROM "
                                                    "agent_state");
    std::vector<AgentPresence> out;
    while (s.executeStep()) {
      out.push_back({s.getColumn(0).getString(), s.getColumn(1).getString(),
                     optional_time(s.getColumn(2)), s.getColumn(3).getInt() != 0});
    }
    return out;
  });
}

std::vector<EndedLeave> SweepStore::ended_leaves(util::Time now, std::size_t limit) {
  return guarded(m_db, [&] {
    auto s = prepared(m_db, m_leaves,
                      "SELECT agent, until FROM agent_state WHERE status = 'leave' "
                      "AND until <= ? ORDER BY until, agent LIMIT ?");
    s.bind(1, seconds(now));
    s.bind(2, static_cast<std::int64_t>(limit));
    std::vector<EndedLeave> out;
    while (s.executeStep()) {
      out.push_back({s.getColumn(0).getString(), time_of(s.getColumn(1))});
    }
    return out;
  });
}

bool SweepStore::end_leave(const EndedLeave& leave, util::Time now) {
  return guarded(m_db, [&] {
    auto u = prepared(m_db, m_end_leave,
                      "UPDATE agent_state SET status = 'available', until = NULL, "
                      "updated_at = ? WHERE agent = ? AND status = 'leave' AND until = ?");
    u.bind(1, seconds(now));
    u.bind(2, leave.agent);
    u.bind(3, seconds(leave.until));
    if (u.exec() != 1) {
      return false;
    }
    auto log = prepared(m_db, m_log,
                        "INSERT INTO agent_log(agent, at, kind, value, detail) "
                        "VALUES (?, ?, 'status', 'available', ?)");
    log.bind(1, leave.agent);
    log.bind(2, seconds(now));
    log.bind(3, nlohmann::json{{"reason", "leave_ended"},
                               {"until", util::format_rfc3339(leave.until)},
                               {"previous", "leave"}}
                    .dump());
    log.exec();
    return true;
  });
}

bool SweepStore::set_touched(const std::string& lead_id, util::Time now) {
  return guarded(m_db, [&] {
    auto s = prepared(m_db, m_touch, "UPDATE leads SET touched_at = ? WHERE id = ?");
    s.bind(1, seconds(now));
    s.bind(2, lead_id);
    return s.exec() == 1;
  });
}

std::int64_t SweepStore::queue_depth() {
  return guarded(m_db, [&] {
    return m_db.sql()
        .execAndGet("SELECT count(*) FROM leads INDEXED BY leads_queued_pool "
                    "WHERE state = 'queued' AND pool IS NULL")
        .getInt64();
  });
}

std::optional<util::Time> SweepStore::oldest_pending() {
  return guarded(m_db, [&] {
    sql::Statement s(m_db.sql(), "SELECT min(received_at) FROM leads WHERE state = 'pending'");
    s.executeStep();
    return optional_time(s.getColumn(0));
  });
}

void SweepStore::add_counters(const std::map<std::string, std::int64_t>& deltas) {
  guarded(m_db, [&] {
    m_db.lock_appends();  // rows every sweep updates: shared writers take turns on them
    sql::Statement s(
        m_db.sql(),
        "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE "
        "SET value = CAST(CAST(meta.value AS INTEGER) + CAST(excluded.value AS INTEGER) "
        "AS TEXT)");
    for (const auto& [name, delta] : deltas) {
      if (delta == 0) {
        continue;
      }
      s.bind(1, "counter." + name);
      s.bind(2, delta);
      s.exec();
      s.reset();
    }
  });
}

std::map<std::string, std::int64_t> SweepStore::counters(const std::string& prefix) {
  return guarded(m_db, [&] {
    std::map<std::string, std::int64_t> out;
    const std::string key = "counter." + prefix;
    // Keys in [key, key + U+10FFFF): a range seek on the primary key.
    sql::Statement s(m_db.sql(), "SELECT substr(key, 9), CAST(value AS INTEGER) FROM meta "
                                 "WHERE key >= ? AND key < ? ORDER BY key");
    s.bind(1, key);
    s.bind(2, key + "\xf4\x8f\xbf\xbf");
    while (s.executeStep()) {
      out[s.getColumn(0).getString()] = s.getColumn(1).getInt64();
    }
    return out;
  });
}

}  // namespace router::store
