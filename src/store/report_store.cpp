#include "store/report_store.hpp"

#include <map>

#include "store/sql.hpp"

#include "store/sqlite_error.hpp"
#include "store/statement_util.hpp"
#include "util/string_index.hpp"

namespace router::store {
namespace {

// A statement for the two hot loops, read a cell at a time without building a Column.
class RawStatement {
public:
  RawStatement(Database& db, const std::string& sql) : m_s(db.sql(), sql) {}
  // Binds an integer to the 1-based parameter `index`.
  void bind(int index, std::int64_t value) { m_s.bind(index, static_cast<long long>(value)); }
  // Advances to the next row; false when done.
  bool step() { return m_s.executeStep(); }
  // A text column of the current row; nullopt for NULL. Valid until the next step.
  std::optional<std::string_view> text(int column) {
    return m_s.getColumn(column).getOptionalView();
  }

private:
  sql::Statement m_s;
};

std::vector<KeyCount> key_counts(sql::Statement& s) {
  std::vector<KeyCount> rows;
  while (s.executeStep()) {
    rows.push_back({optional_text(s.getColumn(0)), s.getColumn(1).getInt64()});
  }
  return rows;
}

// True when the period holds more than a fifth of all events: then one sequential pass
// over the table beats an index range scan that looks up every row (3x faster measured).
bool period_is_large(Database& db, util::Time since, util::Time until) {
  const std::int64_t total =
      db.sql().execAndGet("SELECT coalesce(max(seq), 0) FROM events").getInt64();
  const std::int64_t threshold = total / 5 + 1;
  sql::Statement s(db.sql(), "SELECT count(*) FROM (SELECT 1 FROM events "
                             "WHERE at >= ? AND at < ? LIMIT ?) AS period");
  s.bind(1, seconds(since));
  s.bind(2, seconds(until));
  s.bind(3, threshold);
  s.executeStep();
  return s.getColumn(0).getInt64() >= threshold;
}

// Most leads of a large database are open (assigned), so one sequential pass counted in a
// hash map beats both an index walk with a lookup per row and a GROUP BY sort.
constexpr const char* k_open_leads =
    " FROM leads NOT INDEXED WHERE state IN ('offered', 'assigned')";

// Counts rows by a nullable text key.
class KeyCounter {
public:
  // Counts one row under `key` (nullopt: NULL).
  void add(const std::optional<std::string_view>& key) {
    if (!key) {
      ++m_without;
      return;
    }
    const std::size_t i = m_keys.index(*key);
    if (i == m_counts.size()) {
      m_counts.push_back(0);
    }
    ++m_counts[i];
  }
  // One row per key, then the NULL key if counted.
  std::vector<KeyCount> rows() const {
    std::vector<KeyCount> rows;
    for (std::size_t i = 0; i < m_counts.size(); ++i) {
      rows.push_back({m_keys.keys()[i], m_counts[i]});
    }
    if (m_without > 0) {
      rows.push_back({std::nullopt, m_without});
    }
    return rows;
  }

private:
  util::StringIndex m_keys;
  std::vector<std::int64_t> m_counts;  // by m_keys' index
  std::int64_t m_without = 0;
};

// Adds to `counts` the rows of `from` (a table and its (agent, state) index) in `state`, per
// agent, seeking from one agent to the next: a few hundred seeks, where a GROUP BY reads the
// whole index, which grows with the history (every offer ever made).
void count_by_agent(Database& db, const std::string& from, const std::string& state,
                    std::map<std::string, std::int64_t>& counts) {
  sql::Statement next(db.sql(),
                      "SELECT agent FROM " + from + " WHERE agent > ? ORDER BY agent LIMIT 1");
  sql::Statement count(db.sql(), "SELECT count(*) FROM " + from + " WHERE agent = ? AND state = ?");
  count.bind(2, state);
  std::string agent;
  std::string after;  // the last agent seen ("" before the first: no agent id is empty)
  while (true) {
    next.reset();
    next.bind(1, after);
    if (!next.executeStep()) {
      return;
    }
    agent = next.getColumn(0).getString();
    after = agent;
    count.reset();
    count.bind(1, agent);
    count.executeStep();
    if (const std::int64_t n = count.getColumn(0).getInt64(); n > 0) {
      counts[agent] += n;
    }
  }
}

const char* column_name(LeadColumn c) {
  switch (c) {
  case LeadColumn::agent: return "agent";
  case LeadColumn::pool: return "pool";
  case LeadColumn::rule: return "rule";
  case LeadColumn::source: return "source";
  }
  return "agent";
}

}  // namespace

ReportStore::ReportStore(Database& db) : m_db(db) {
  // A read transaction: every query below sees the same snapshot (WAL; REPEATABLE READ).
  guarded(m_db, [&] {
    m_db.sql().exec(m_db.postgres() ? "BEGIN ISOLATION LEVEL REPEATABLE READ" : "BEGIN DEFERRED");
  });
  m_in_transaction = true;
}

ReportStore::~ReportStore() {
  if (m_in_transaction) {
    try {
      m_db.sql().exec("COMMIT");
    } catch (...) {  // NOLINT(bugprone-empty-catch)
      // A read-only transaction has nothing to lose; the connection closes anyway.
    }
  }
}

void ReportStore::scan_events(util::Time since, util::Time until, std::optional<LeadColumn> extra,
                              const std::function<void(const ReportEventRow&)>& fn) {
  guarded(m_db, [&] {
    const bool large = period_is_large(m_db, since, until);
    const bool with_rule = extra == LeadColumn::rule;
    const bool with_source = extra == LeadColumn::source;
    std::string sql = "SELECT e.type, e.agent, e.pool, e.detail";
    if (with_rule) {
      sql += ", e.rule";
    } else if (with_source) {
      // Events carry their lead's source (schema 3). One without it (its lead was gone when
      // the column was added, or a row someone else wrote) looks the lead up, as before.
      sql += ", coalesce(e.source, (SELECT l.source FROM leads l WHERE l.id = e.lead_id))";
    }
    // The type filter is a plain inequality (an IN list costs a lookup per row); the caller
    // ignores the types it does not count.
    sql += " FROM events e ";
    sql += large ? "NOT INDEXED " : "INDEXED BY events_at ";
    sql += "WHERE e.at >= ? AND e.at < ? AND e.type <> 'received'";
    RawStatement s(m_db, sql);
    s.bind(1, seconds(since));
    s.bind(2, seconds(until));
    ReportEventRow row;
    while (s.step()) {
      row.type = s.text(0).value_or(std::string_view{});
      row.agent = s.text(1);
      row.pool = s.text(2);
      // Only these types carry a detail the report reads. Choosing here costs less than a
      // CASE in the query, whose string comparisons SQLite makes on every row (-17% of the
      // scan's instructions measured without it).
      const bool with_detail =
          row.type == "claimed" || row.type == "assigned" || row.type == "closed";
      row.detail = with_detail ? s.text(3).value_or(std::string_view{}) : std::string_view{};
      if (with_rule) {
        row.rule = s.text(4);
      } else if (with_source) {
        row.source = s.text(4);
      }
      fn(row);
    }
  });
}

std::vector<KeyCount> ReportStore::open_by_agent() {
  return guarded(m_db, [&] {
    std::map<std::string, std::int64_t> counts;
    count_by_agent(m_db, "broadcast_offers INDEXED BY offers_agent_state", "open", counts);
    count_by_agent(m_db, "leads INDEXED BY leads_agent_state", "offered", counts);
    count_by_agent(m_db, "leads INDEXED BY leads_agent_state", "assigned", counts);
    std::vector<KeyCount> rows;
    for (const auto& [agent, n] : counts) {
      rows.push_back({agent, n});
    }
    return rows;
  });
}

std::vector<KeyCount> ReportStore::open_by(LeadColumn column) {
  if (column == LeadColumn::agent) {
    return open_by_agent();
  }
  return guarded(m_db, [&] {
    KeyCounter counts;
    RawStatement s(m_db, std::string("SELECT ") + column_name(column) + k_open_leads);
    while (s.step()) {
      counts.add(s.text(0));
    }
    return counts.rows();
  });
}

std::pair<std::vector<KeyCount>, std::vector<KeyCount>> ReportStore::open_by(LeadColumn first,
                                                                             LeadColumn second) {
  if (first == LeadColumn::agent || second == LeadColumn::agent) {
    return {open_by(first), open_by(second)};
  }
  return guarded(m_db, [&] {
    KeyCounter a;
    KeyCounter b;
    RawStatement s(m_db, std::string("SELECT ") + column_name(first) + ", " + column_name(second) +
                             k_open_leads);
    while (s.step()) {
      a.add(s.text(0));
      b.add(s.text(1));
    }
    return std::pair{a.rows(), b.rows()};
  });
}

std::vector<UsageRow> ReportStore::usage(const std::vector<std::string>& periods) {
  return guarded(m_db, [&] {
    std::vector<UsageRow> rows;
    sql::Statement s(m_db.sql(), "SELECT pool, agent, period, count FROM usage WHERE period = ?");
    for (const auto& period : periods) {
      s.reset();
      s.bind(1, period);
      while (s.executeStep()) {
        rows.push_back({s.getColumn(0).getString(), s.getColumn(1).getString(),
                        s.getColumn(2).getString(), s.getColumn(3).getInt64()});
      }
    }
    return rows;
  });
}

ManualQueue ReportStore::manual_queue() {
  return guarded(m_db, [&] {
    sql::Statement s(m_db.sql(), "SELECT count(*), min(received_at) FROM leads "
                                 "WHERE state = 'queued' AND pool IS NULL");
    s.executeStep();
    return ManualQueue{s.getColumn(0).getInt64(), optional_time(s.getColumn(1))};
  });
}

std::vector<KeyCount> ReportStore::pool_queues() {
  return guarded(m_db, [&] {
    sql::Statement s(m_db.sql(), "SELECT pool, count(*) FROM leads "
                                 "WHERE state = 'queued' AND pool IS NOT NULL GROUP BY pool");
    return key_counts(s);
  });
}

std::vector<PoolArrival> ReportStore::arrivals(util::Time since, util::Time until) {
  return guarded(m_db, [&] {
    std::vector<PoolArrival> rows;
    sql::Statement s(m_db.sql(),
                     "SELECT received_at, pool FROM (SELECT l.received_at, (SELECT e.pool FROM "
                     "events e WHERE e.lead_id = l.id AND e.pool IS NOT NULL ORDER BY e.seq "
                     "LIMIT 1) AS pool FROM leads l WHERE l.received_at >= ? AND "
                     "l.received_at < ?) AS routed WHERE pool IS NOT NULL");
    s.bind(1, seconds(since));
    s.bind(2, seconds(until));
    while (s.executeStep()) {
      rows.push_back({s.getColumn(1).getString(), time_of(s.getColumn(0))});
    }
    return rows;
  });
}

}  // namespace router::store
