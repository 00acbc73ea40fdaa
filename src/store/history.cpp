#include "store/history.hpp"

#include "store/sql.hpp"

#include "store/sqlite_error.hpp"
#include "store/statement_util.hpp"

namespace router::store {

std::vector<DecisionRecord> HistoryStore::decisions(const std::string& lead_id) {
  return guarded(m_db, [&] {
    sql::Statement s(m_db.sql(),
                     "SELECT id, at, detail FROM decisions WHERE lead_id = ? ORDER BY at, id");
    s.bind(1, lead_id);
    std::vector<DecisionRecord> out;
    while (s.executeStep()) {
      out.push_back(
          {s.getColumn(0).getInt64(), time_of(s.getColumn(1)), s.getColumn(2).getString()});
    }
    return out;
  });
}

std::vector<TrailRecord> HistoryStore::trails(const std::string& lead_id) {
  return guarded(m_db, [&] {
    sql::Statement s(m_db.sql(), "SELECT t.seq, e.at, t.config, t.data FROM events e JOIN trails t "
                                 "ON t.seq = e.seq WHERE e.lead_id = ? ORDER BY t.seq");
    s.bind(1, lead_id);
    std::vector<TrailRecord> out;
    while (s.executeStep()) {
      out.push_back({s.getColumn(0).getInt64(), time_of(s.getColumn(1)), s.getColumn(2).getInt64(),
                     s.getColumn(3).getBlob()});
    }
    return out;
  });
}

std::optional<ConfigText> HistoryStore::config_text(std::int64_t id) {
  return guarded(m_db, [&]() -> std::optional<ConfigText> {
    sql::Statement s(m_db.sql(), "SELECT hash, text FROM configs WHERE id = ?");
    s.bind(1, id);
    if (!s.executeStep()) {
      return std::nullopt;
    }
    return ConfigText{static_cast<std::uint64_t>(s.getColumn(0).getInt64()),
                      s.getColumn(1).getString()};
  });
}

std::vector<OfferRecord> HistoryStore::offers(const std::string& lead_id) {
  return guarded(m_db, [&] {
    sql::Statement s(m_db.sql(),
                     "SELECT id, agent, pool, offered_at, deadline, state, ended_at, round "
                     "FROM offers WHERE lead_id = ? ORDER BY id");
    s.bind(1, lead_id);
    std::vector<OfferRecord> out;
    while (s.executeStep()) {
      OfferRecord o;
      o.id = s.getColumn(0).getInt64();
      o.agent = s.getColumn(1).getString();
      o.pool = optional_text(s.getColumn(2));
      o.offered_at = time_of(s.getColumn(3));
      o.deadline = optional_time(s.getColumn(4));
      o.state = s.getColumn(5).getString();
      o.ended_at = optional_time(s.getColumn(6));
      o.round = s.getColumn(7).getInt();
      out.push_back(std::move(o));
    }
    return out;
  });
}

std::optional<OutcomeRecord> HistoryStore::outcome(const std::string& lead_id) {
  return guarded(m_db, [&]() -> std::optional<OutcomeRecord> {
    sql::Statement s(m_db.sql(),
                     "SELECT lead_id, agent, outcome, at FROM outcomes WHERE lead_id = ?");
    s.bind(1, lead_id);
    if (!s.executeStep()) {
      return std::nullopt;
    }
    return OutcomeRecord{s.getColumn(0).getString(), optional_text(s.getColumn(1)),
                         s.getColumn(2).getString(), time_of(s.getColumn(3))};
  });
}

void HistoryStore::add_outcome(const OutcomeRecord& o) {
  guarded(m_db, [&] {
    sql::Statement s(
        m_db.sql(),
        "INSERT INTO outcomes(lead_id, agent, outcome, at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(lead_id) DO UPDATE SET agent = excluded.agent, outcome = excluded.outcome, "
        "at = excluded.at");
    s.bind(1, o.lead_id);
    bind_optional(s, 2, o.agent);
    s.bind(3, o.outcome);
    s.bind(4, static_cast<std::int64_t>(o.at.time_since_epoch().count()));
    s.exec();
  });
}

}  // namespace router::store
