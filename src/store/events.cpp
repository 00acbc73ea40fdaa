#include "store/events.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "store/sqlite_error.hpp"
#include "store/statement_util.hpp"

namespace router::store {
namespace {

constexpr const char* k_columns = "seq, lead_id, at, type, agent, pool, rule, detail";

EventRow read_event(SQLite::Statement& s) {
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

std::int64_t EventStore::append(const NewEvent& e, const std::optional<std::string_view>& source) {
  return guarded(m_db, [&] {
    // coalesce() evaluates the lookup only when no source is bound.
    auto s = prepared(m_db, m_append,
                      "INSERT INTO events(lead_id, at, type, agent, pool, rule, detail, "
                      "source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                      "coalesce(?8, (SELECT source FROM leads WHERE id = ?1)))");
    s.bind(1, e.lead_id);
    s.bind(2, static_cast<std::int64_t>(e.at.time_since_epoch().count()));
    s.bind(3, e.type);
    bind_optional(s, 4, e.agent);
    bind_optional(s, 5, e.pool);
    bind_optional(s, 6, e.rule);
    s.bind(7, e.detail);
    if (source) {
      s.bind(8, std::string{*source});
    } else {
      s.bind(8);
    }
    s.exec();
    return m_db.sql().getLastInsertRowid();
  });
}

std::vector<EventRow> EventStore::list_after(std::int64_t after, std::size_t limit) {
  return guarded(m_db, [&] {
    auto s = prepared(m_db, m_after,
                      std::string("SELECT ") + k_columns +
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
                      std::string("SELECT ") + k_columns +
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
