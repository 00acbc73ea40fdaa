#include "store/delivery_store.hpp"

#include <limits>

#include "store/sql.hpp"

#include "store/sqlite_error.hpp"
#include "store/statement_util.hpp"

namespace router::store {
namespace {

constexpr const char* k_delivery_columns =
    "SELECT d.id, d.event_seq, d.rule, d.channel, d.target, d.key, d.state, d.attempts, "
    "d.next_at, d.created_at, d.ended_at, d.last_error, coalesce(p.payload, ''), "
    "coalesce(e.lead_id, ''), coalesce(e.type, '') "
    "FROM deliveries d LEFT JOIN events e ON e.seq = d.event_seq "
    "LEFT JOIN delivery_payloads p ON p.delivery = d.id ";

DeliveryRow read_row(sql::Statement& s) {
  DeliveryRow r;
  r.id = s.getColumn(0).getInt64();
  r.event_seq = s.getColumn(1).getInt64();
  r.rule = s.getColumn(2).getInt();
  r.channel = s.getColumn(3).getString();
  r.target = s.getColumn(4).getString();
  r.key = s.getColumn(5).getString();
  r.state = s.getColumn(6).getString();
  r.attempts = s.getColumn(7).getInt();
  r.next_at = time_of(s.getColumn(8));
  r.created_at = time_of(s.getColumn(9));
  r.ended_at = optional_time(s.getColumn(10));
  r.last_error = optional_text(s.getColumn(11));
  r.payload = s.getColumn(12).getString();
  r.lead_id = s.getColumn(13).getString();
  r.type = s.getColumn(14).getString();
  return r;
}

}  // namespace

DeliveryStore::DeliveryStore(Database& db) : m_db(db) {}
DeliveryStore::~DeliveryStore() = default;

std::optional<std::string> DeliveryStore::meta(const std::string& key) {
  return guarded(m_db, [&]() -> std::optional<std::string> {
    auto q = prepared(m_db, m_get_meta, "SELECT value FROM meta WHERE key = ?");
    q.bind(1, key);
    if (!q.executeStep()) {
      return std::nullopt;
    }
    return optional_text(q.getColumn(0));
  });
}

void DeliveryStore::set_meta(const std::string& key, const std::string& value) {
  guarded(m_db, [&] {
    auto q = prepared(m_db, m_set_meta,
                      "INSERT INTO meta(key, value) VALUES (?, ?) "
                      "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    q.bind(1, key);
    q.bind(2, value);
    q.exec();
  });
}

bool DeliveryStore::add(const NewDelivery& d) {
  return guarded(m_db, [&] {
    auto q = prepared(m_db, m_add,
                      "INSERT INTO deliveries(event_seq, rule, channel, target, key, next_at, "
                      "created_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                      "ON CONFLICT(key) DO NOTHING");
    q.bind(1, d.event_seq);
    q.bind(2, d.rule);
    q.bind(3, d.channel);
    q.bind(4, d.target);
    q.bind(5, d.key);
    q.bind(6, seconds(d.next_at));
    q.bind(7, seconds(d.next_at));
    if (q.exec() != 1) {
      return false;
    }
    auto p = prepared(m_db, m_add_payload,
                      "INSERT INTO delivery_payloads(delivery, payload) VALUES (?, ?)");
    p.bind(1, m_db.sql().getLastInsertRowid());
    p.bind(2, d.payload);
    p.exec();
    return true;
  });
}

std::optional<DeliveryRow> DeliveryStore::claim(util::Time now, util::Time lease_until) {
  return guarded(m_db, [&]() -> std::optional<DeliveryRow> {
    std::int64_t id = 0;
    {
      // Walk the unfinished deliveries in id order (a partial index holds only those); the
      // first that is due and heads its target's line wins. One still being sent (its claim
      // not lapsed) holds back its whole target, even behind a re-queued older one.
      auto q = prepared(m_db, m_pick,
                        "SELECT d.id FROM deliveries d "
                        "WHERE d.state IN ('pending', 'sending') AND d.next_at <= ?1 "
                        "AND NOT EXISTS (SELECT 1 FROM deliveries o "
                        "  WHERE o.channel = d.channel AND o.target = d.target "
                        "  AND o.state IN ('pending', 'sending') AND o.id < d.id) "
                        "AND NOT EXISTS (SELECT 1 FROM deliveries o "
                        "  WHERE o.channel = d.channel AND o.target = d.target "
                        "  AND o.state IN ('pending', 'sending') AND o.id > d.id "
                        "  AND o.state = 'sending' AND o.next_at > ?1) "
                        "ORDER BY d.id LIMIT 1");
      q.bind(1, seconds(now));
      if (!q.executeStep()) {
        return std::nullopt;
      }
      id = q.getColumn(0).getInt64();
    }
    {
      auto q = prepared(m_db, m_take,
                        "UPDATE deliveries SET state = 'sending', attempts = attempts + 1, "
                        "next_at = ? WHERE id = ?");
      q.bind(1, seconds(lease_until));
      q.bind(2, id);
      q.exec();
    }
    return read_one(id);
  });
}

std::optional<DeliveryRow> DeliveryStore::read_one(std::int64_t id) {
  auto q = prepared(m_db, m_read, std::string(k_delivery_columns) + "WHERE d.id = ?");
  q.bind(1, id);
  if (!q.executeStep()) {
    return std::nullopt;
  }
  return read_row(q);
}

bool DeliveryStore::mark_sent(std::int64_t id, int attempts, util::Time now) {
  return guarded(m_db, [&] {
    auto q = prepared(m_db, m_sent,
                      "UPDATE deliveries SET state = 'done', ended_at = ?, last_error = NULL "
                      "WHERE id = ? AND attempts = ? AND state = 'sending'");
    q.bind(1, seconds(now));
    q.bind(2, id);
    q.bind(3, attempts);
    if (q.exec() != 1) {
      return false;
    }
    auto p = prepared(m_db, m_drop_payload, "DELETE FROM delivery_payloads WHERE delivery = ?");
    p.bind(1, id);
    p.exec();
    return true;
  });
}

bool DeliveryStore::mark_due(std::int64_t id, int attempts, util::Time next_at,
                             const std::string& error) {
  return guarded(m_db, [&] {
    auto q = prepared(m_db, m_due,
                      "UPDATE deliveries SET state = 'pending', next_at = ?, last_error = ? "
                      "WHERE id = ? AND attempts = ? AND state = 'sending'");
    q.bind(1, seconds(next_at));
    q.bind(2, error);
    q.bind(3, id);
    q.bind(4, attempts);
    return q.exec() == 1;
  });
}

bool DeliveryStore::mark_failed(std::int64_t id, int attempts, util::Time now,
                                const std::string& error) {
  return guarded(m_db, [&] {
    auto q = prepared(m_db, m_failed,
                      "UPDATE deliveries SET state = 'failed', ended_at = ?, last_error = ? "
                      "WHERE id = ? AND attempts = ? AND state = 'sending'");
    q.bind(1, seconds(now));
    q.bind(2, error);
    q.bind(3, id);
    q.bind(4, attempts);
    return q.exec() == 1;
  });
}

std::vector<DeliveryRow> DeliveryStore::failed(std::size_t limit) {
  return guarded(m_db, [&] {
    sql::Statement s(m_db.sql(), std::string(k_delivery_columns) +
                                     "WHERE d.state = 'failed' ORDER BY d.id LIMIT ?");
    // No limit: the largest one (PostgreSQL refuses SQLite's LIMIT -1).
    s.bind(1, limit == 0 ? std::numeric_limits<std::int64_t>::max()
                         : static_cast<std::int64_t>(limit));
    std::vector<DeliveryRow> out;
    while (s.executeStep()) {
      out.push_back(read_row(s));
    }
    return out;
  });
}

std::int64_t DeliveryStore::requeue_failed(util::Time now) {
  return guarded(m_db, [&] {
    sql::Statement s(m_db.sql(),
                     "UPDATE deliveries SET state = 'pending', attempts = 0, next_at = ?, "
                     "ended_at = NULL WHERE state = 'failed'");
    s.bind(1, seconds(now));
    return static_cast<std::int64_t>(s.exec());
  });
}

std::map<std::string, std::int64_t> DeliveryStore::count_by_state() {
  return guarded(m_db, [&] {
    sql::Statement s(m_db.sql(), "SELECT state, count(*) FROM deliveries GROUP BY state");
    std::map<std::string, std::int64_t> out;
    while (s.executeStep()) {
      out[s.getColumn(0).getString()] = s.getColumn(1).getInt64();
    }
    return out;
  });
}

std::map<std::string, std::int64_t> DeliveryStore::open_counts() {
  return guarded(m_db, [&] {
    std::map<std::string, std::int64_t> out{{"pending", 0}, {"sending", 0}, {"failed", 0}};
    sql::Statement open(m_db.sql(), "SELECT state, count(*) FROM deliveries "
                                    "WHERE state IN ('pending', 'sending') GROUP BY state");
    while (open.executeStep()) {
      out[open.getColumn(0).getString()] = open.getColumn(1).getInt64();
    }
    sql::Statement failed(m_db.sql(), "SELECT count(*) FROM deliveries WHERE state = 'failed'");
    failed.executeStep();
    out["failed"] = failed.getColumn(0).getInt64();
    return out;
  });
}

bool DeliveryStore::any() {
  return guarded(m_db, [&] {
    sql::Statement s(m_db.sql(), "SELECT EXISTS (SELECT 1 FROM deliveries)");
    s.executeStep();
    return s.getColumn(0).getInt() != 0;
  });
}

std::int64_t DeliveryStore::sent_between(util::Time since, util::Time until, bool inclusive) {
  return guarded(m_db, [&] {
    sql::Statement s(m_db.sql(), inclusive ? "SELECT count(*) FROM deliveries WHERE state = "
                                             "'done' AND ended_at BETWEEN ? AND ?"
                                           : "SELECT count(*) FROM deliveries WHERE state = "
                                             "'done' AND ended_at >= ? AND ended_at < ?");
    s.bind(1, seconds(since));
    s.bind(2, seconds(until));
    s.executeStep();
    return s.getColumn(0).getInt64();
  });
}

std::optional<util::Time> DeliveryStore::next_due() {
  return guarded(m_db, [&] {
    auto q = prepared(m_db, m_next,
                      "SELECT min(next_at) FROM deliveries WHERE state IN ('pending', 'sending')");
    q.executeStep();
    return optional_time(q.getColumn(0));
  });
}

std::int64_t DeliveryStore::last_event_seq() {
  return guarded(m_db, [&] {
    auto q = prepared(m_db, m_last_seq, "SELECT coalesce(max(seq), 0) FROM events");
    q.executeStep();
    return q.getColumn(0).getInt64();
  });
}

}  // namespace router::store
