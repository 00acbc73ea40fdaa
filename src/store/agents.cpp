#include "store/agents.hpp"

#include "store/sql.hpp"

#include "store/sqlite_error.hpp"
#include "store/statement_util.hpp"

namespace router::store {
namespace {

constexpr const char* k_state_columns =
    "agent, status, until, online, last_assigned_at, updated_at";

AgentStateRow read_state(sql::Statement& s) {
  AgentStateRow row;
  row.agent = s.getColumn(0).getString();
  row.status = s.getColumn(1).getString();
  row.until = optional_time(s.getColumn(2));
  row.online = s.getColumn(3).getInt() != 0;
  row.last_assigned_at = optional_time(s.getColumn(4));
  row.updated_at = optional_time(s.getColumn(5));
  return row;
}

}  // namespace

std::optional<AgentStateRow> AgentStore::state(const std::string& agent) {
  return guarded(m_db, [&]() -> std::optional<AgentStateRow> {
    sql::Statement s(m_db.sql(), std::string("SELECT ") + k_state_columns +
                                     " FROM agent_state WHERE agent = ?");
    s.bind(1, agent);
    if (!s.executeStep()) {
      return std::nullopt;
    }
    return read_state(s);
  });
}

std::map<std::string, AgentStateRow> AgentStore::states() {
  return guarded(m_db, [&] {
    sql::Statement s(m_db.sql(), std::string("SELECT ") + k_state_columns + " FROM agent_state");
    std::map<std::string, AgentStateRow> out;
    while (s.executeStep()) {
      auto row = read_state(s);
      out.emplace(row.agent, std::move(row));
    }
    return out;
  });
}

void AgentStore::set_status(const std::string& agent, const std::string& status,
                            std::optional<util::Time> until, util::Time now) {
  guarded(m_db, [&] {
    sql::Statement s(m_db.sql(), "INSERT INTO agent_state(agent, status, until, updated_at) "
                                 "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(agent) DO UPDATE SET "
                                 "status = ?2, until = ?3, updated_at = ?4");
    s.bind(1, agent);
    s.bind(2, status);
    if (until) {
      s.bind(3, seconds(*until));
    } else {
      s.bind(3);
    }
    s.bind(4, seconds(now));
    s.exec();
  });
}

void AgentStore::set_online(const std::string& agent, bool online, util::Time now) {
  guarded(m_db, [&] {
    sql::Statement s(m_db.sql(),
                     "INSERT INTO agent_state(agent, online, updated_at) VALUES (?1, ?2, ?3) "
                     "ON CONFLICT(agent) DO UPDATE SET online = ?2, updated_at = ?3");
    s.bind(1, agent);
    s.bind(2, online ? 1 : 0);
    s.bind(3, seconds(now));
    s.exec();
  });
}

void AgentStore::log(const std::string& agent, util::Time at, const std::string& kind,
                     const std::optional<std::string>& value, const std::string& detail) {
  guarded(m_db, [&] {
    sql::Statement s(m_db.sql(), "INSERT INTO agent_log(agent, at, kind, value, detail) "
                                 "VALUES (?, ?, ?, ?, ?)");
    s.bind(1, agent);
    s.bind(2, seconds(at));
    s.bind(3, kind);
    bind_optional(s, 4, value);
    s.bind(5, detail);
    s.exec();
  });
}

std::vector<AgentLogRow> AgentStore::history(const std::string& agent) {
  return guarded(m_db, [&] {
    sql::Statement s(m_db.sql(), "SELECT seq, agent, at, kind, value, detail FROM agent_log "
                                 "WHERE agent = ? ORDER BY seq");
    s.bind(1, agent);
    std::vector<AgentLogRow> out;
    while (s.executeStep()) {
      AgentLogRow row;
      row.seq = s.getColumn(0).getInt64();
      row.agent = s.getColumn(1).getString();
      row.at = time_of(s.getColumn(2));
      row.kind = s.getColumn(3).getString();
      row.value = optional_text(s.getColumn(4));
      row.detail = s.getColumn(5).isNull() ? "{}" : s.getColumn(5).getString();
      out.push_back(std::move(row));
    }
    return out;
  });
}

void AgentStore::set_metric(const std::string& agent, const std::string& key, double value,
                            util::Time now) {
  guarded(m_db, [&] {
    sql::Statement s(m_db.sql(), "INSERT INTO agent_metrics(agent, key, value, updated_at) "
                                 "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(agent, key) DO UPDATE SET "
                                 "value = ?3, updated_at = ?4");
    s.bind(1, agent);
    s.bind(2, key);
    s.bind(3, value);
    s.bind(4, seconds(now));
    s.exec();
  });
}

std::map<std::string, double> AgentStore::metrics(const std::string& agent) {
  return guarded(m_db, [&] {
    sql::Statement s(m_db.sql(),
                     "SELECT key, value FROM agent_metrics WHERE agent = ? ORDER BY key");
    s.bind(1, agent);
    std::map<std::string, double> out;
    while (s.executeStep()) {
      out[s.getColumn(0).getString()] = s.getColumn(1).getDouble();
    }
    return out;
  });
}

std::map<std::string, OpenCounts> AgentStore::open_counts() {
  return guarded(m_db, [&] {
    sql::Statement s(m_db.sql(),
                     "SELECT agent, count(*), 0 FROM broadcast_offers WHERE state = 'open' "
                     "GROUP BY agent UNION ALL SELECT agent, "
                     "count(CASE WHEN state = 'offered' THEN 1 END), "
                     "count(CASE WHEN state = 'assigned' THEN 1 END) "
                     "FROM leads WHERE state IN ('offered', 'assigned') "
                     "AND agent IS NOT NULL GROUP BY agent");
    std::map<std::string, OpenCounts> out;
    while (s.executeStep()) {
      auto& counts = out[s.getColumn(0).getString()];
      counts.offered += s.getColumn(1).getInt();
      counts.assigned += s.getColumn(2).getInt();
    }
    return out;
  });
}

std::map<std::string, UsageCounts>
AgentStore::usage(const std::string& pool, const std::string& day, const std::string& month) {
  return guarded(m_db, [&] {
    sql::Statement s(m_db.sql(),
                     "SELECT agent, period, count FROM usage WHERE pool = ? AND period IN (?, ?)");
    s.bind(1, pool);
    s.bind(2, day);
    s.bind(3, month);
    std::map<std::string, UsageCounts> out;
    while (s.executeStep()) {
      auto& u = out[s.getColumn(0).getString()];
      (s.getColumn(1).getString() == day ? u.today : u.month) = s.getColumn(2).getInt();
    }
    return out;
  });
}

}  // namespace router::store
