#include "store/record_store.hpp"

#include <nlohmann/json.hpp>

#include "store/sql.hpp"
#include "store/sqlite_error.hpp"
#include "store/statement_util.hpp"
#include "util/time.hpp"

namespace router::store {
namespace {

// A JSON object's string member; empty when the text is not an object or lacks it.
std::string member(const std::string& detail, const char* key) {
  const auto json = nlohmann::json::parse(detail, nullptr, false);
  if (!json.is_object()) {
    return {};
  }
  const auto it = json.find(key);
  return it != json.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

RecordStore::RecordStore(Database& db) : m_db(db), m_transaction(db) {}

std::vector<NewLead> RecordStore::leads(util::Time since, util::Time until) {
  return guarded(m_db, [&] {
    std::vector<NewLead> rows;
    sql::Statement s(m_db.sql(), "SELECT id, source, attributes, received_at FROM leads "
                                 "WHERE received_at >= ? AND received_at < ? "
                                 "ORDER BY received_at, rowid");
    s.bind(1, seconds(since));
    s.bind(2, seconds(until));
    while (s.executeStep()) {
      rows.push_back({s.getColumn(0).getString(), s.getColumn(1).getString(),
                      s.getColumn(2).getString(), time_of(s.getColumn(3))});
    }
    return rows;
  });
}

void RecordStore::each_event(util::Time since, util::Time until,
                             const std::function<void(const RecordEvent&)>& fn) {
  guarded(m_db, [&] {
    sql::Statement s(m_db.sql(),
                     "SELECT e.lead_id, e.at, e.type, e.agent, e.pool, e.rule, e.detail "
                     "FROM events e JOIN leads l ON l.id = e.lead_id "
                     "WHERE l.received_at >= ? AND l.received_at < ? AND e.at < ? "
                     "AND e.type <> 'received' ORDER BY e.seq");
    s.bind(1, seconds(since));
    s.bind(2, seconds(until));
    s.bind(3, seconds(until));
    while (s.executeStep()) {
      RecordEvent e{s.getColumn(0).getString(),
                    time_of(s.getColumn(1)),
                    s.getColumn(2).getString(),
                    optional_text(s.getColumn(3)),
                    optional_text(s.getColumn(4)),
                    optional_text(s.getColumn(5)),
                    {},
                    {}};
      const auto detail = optional_text(s.getColumn(6)).value_or("{}");
      e.reason = member(detail, "reason");
      if (e.type == "closed") {
        e.outcome = member(detail, "outcome");
      }
      fn(e);
    }
  });
}

std::vector<RecordAgentChange> RecordStore::agent_changes(util::Time until) {
  return guarded(m_db, [&] {
    std::vector<RecordAgentChange> rows;
    sql::Statement s(m_db.sql(), "SELECT agent, at, kind, value, detail FROM agent_log "
                                 "WHERE at < ? ORDER BY seq");
    s.bind(1, seconds(until));
    while (s.executeStep()) {
      RecordAgentChange c{s.getColumn(0).getString(),
                          time_of(s.getColumn(1)),
                          s.getColumn(2).getString(),
                          optional_text(s.getColumn(3)).value_or(""),
                          std::nullopt,
                          false};
      const auto detail = optional_text(s.getColumn(4)).value_or("{}");
      if (c.kind == "status") {
        c.until = util::parse_rfc3339(member(detail, "until"));
        c.leave_ended = member(detail, "reason") == "leave_ended";
      }
      rows.push_back(std::move(c));
    }
    return rows;
  });
}

std::vector<RecordMetric> RecordStore::metrics() {
  return guarded(m_db, [&] {
    std::vector<RecordMetric> rows;
    sql::Statement s(m_db.sql(), "SELECT agent, key, value FROM agent_metrics ORDER BY agent, key");
    while (s.executeStep()) {
      rows.push_back(
          {s.getColumn(0).getString(), s.getColumn(1).getString(), s.getColumn(2).getDouble()});
    }
    return rows;
  });
}

}  // namespace router::store
