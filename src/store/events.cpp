#include "store/events.hpp"

#include "store/sql.hpp"

#include "store/sqlite_error.hpp"
#include "store/statement_util.hpp"

namespace router::store {
namespace {

constexpr const char* k_event_columns = "seq, lead_id, at, type, agent, pool, rule, detail";

EventRow read_event(sql::Statement& s) {
  EventRow row;
  row.seq = s.getColumn(0).getInt64();
  row.lead_id = s.getColumn(1).getString();
  row.at = time_of(s.getColumn(2));
  row.type = s.getColumn(3).getString();
  row.agent = optional_text(s.getColumn(4));
  row.pool = optional_text(s.getColumn(5));
  row.rule = optional_text(s.getColumn(6));
  row.detail = s.getColumn(7).isNull() ? "{}" : s.getColumn(7).getString();
  return row;
}

}  // namespace

EventStore::EventStore(Database& db) : m_db(db) {}
EventStore::~EventStore() = default;

std::int64_t EventStore::append(const NewEvent& e, std::string_view source) {
  if (m_defer) {
    if (m_queue.empty()) {
      m_queue_rollbacks = m_db.rollbacks();
    }
    m_queue.push_back({e, std::string(source)});
    return 0;
  }
  return guarded(m_db, [&] {
    m_db.lock_appends();
    auto s = prepared(m_db, m_append,
                      "INSERT INTO events(lead_id, at, type, agent, pool, rule, detail, "
                      "source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    s.bind(1, e.lead_id);
    s.bind(2, static_cast<std::int64_t>(e.at.time_since_epoch().count()));
    s.bind(3, e.type);
    bind_optional(s, 4, e.agent);
    bind_optional(s, 5, e.pool);
    bind_optional(s, 6, e.rule);
    s.bind(7, e.detail);
    s.bind(8, source);
    s.exec();
    m_db.events_written();
    return m_db.sql().getLastInsertRowid();
  });
}

std::int64_t EventStore::flush() {
  if (m_queue.empty()) {
    return 0;
  }
  if (m_db.rollbacks() != m_queue_rollbacks) {
    m_queue.clear();
    return 0;
  }
  return guarded(m_db, [&] {
    m_db.lock_appends();
    // Rows of k_rows events per statement, the rest one by one; seq is AUTOINCREMENT and this
    // connection the only one appending (lock_appends), so the rows get consecutive seqs in
    // queue order.
    constexpr std::size_t k_rows = 64;
    constexpr int k_params = 8;
    const auto bind_row = [](sql::Statement& s, int base, const Queued& q) {
      s.bind(base + 1, q.event.lead_id);
      s.bind(base + 2, static_cast<std::int64_t>(q.event.at.time_since_epoch().count()));
      s.bind(base + 3, q.event.type);
      bind_optional(s, base + 4, q.event.agent);
      bind_optional(s, base + 5, q.event.pool);
      bind_optional(s, base + 6, q.event.rule);
      s.bind(base + 7, q.event.detail);
      s.bind(base + 8, q.source);
    };
    const auto row_sql = [](int base) {
      std::string v = "(";
      for (int i = 1; i <= k_params; ++i) {
        v += "?" + std::to_string(base + i) + (i < k_params ? ", " : "");
      }
      return v + ")";
    };
    std::size_t i = 0;
    if (m_queue.size() >= k_rows) {
      // Built at the first full block (512 numbered parameters): a run of a few events, the
      // one-lead assign or a claim, never needs it.
      static const std::string many = [&] {
        std::string sql =
            "INSERT INTO events(lead_id, at, type, agent, pool, rule, detail, source) VALUES ";
        for (std::size_t r = 0; r < k_rows; ++r) {
          sql += (r ? ", " : "") + row_sql(static_cast<int>(r) * k_params);
        }
        return sql;
      }();
      for (; i + k_rows <= m_queue.size(); i += k_rows) {
        auto s = prepared(m_db, m_append_many, many);
        for (std::size_t r = 0; r < k_rows; ++r) {
          bind_row(s, static_cast<int>(r) * k_params, m_queue[i + r]);
        }
        s.exec();
      }
    }
    const bool defer = m_defer;
    m_defer = false;
    for (; i < m_queue.size(); ++i) {
      append(m_queue[i].event, m_queue[i].source);
    }
    m_defer = defer;
    m_db.events_written();
    const std::int64_t last = m_db.sql().getLastInsertRowid();
    const auto first = last - static_cast<std::int64_t>(m_queue.size()) + 1;
    m_queue.clear();
    return first;
  });
}

std::vector<EventRow> EventStore::list_after(std::int64_t after, std::size_t limit) {
  return guarded(m_db, [&] {
    auto s = prepared(m_db, m_after,
                      std::string("SELECT ") + k_event_columns +
                          " FROM events WHERE seq > ? ORDER BY seq LIMIT ?");
    s.bind(1, after);
    s.bind(2, static_cast<std::int64_t>(limit));
    std::vector<EventRow> rows;
    while (s.executeStep()) {
      rows.push_back(read_event(s));
    }
    return rows;
  });
}

std::vector<EventRow> EventStore::for_lead(const std::string& lead_id) {
  return guarded(m_db, [&] {
    auto s = prepared(m_db, m_for_lead,
                      std::string("SELECT ") + k_event_columns +
                          " FROM events WHERE lead_id = ? ORDER BY seq");
    s.bind(1, lead_id);
    std::vector<EventRow> rows;
    while (s.executeStep()) {
      rows.push_back(read_event(s));
    }
    return rows;
  });
}

}  // namespace router::store
