#include "store/queue_store.hpp"

#include "store/sql.hpp"

#include "store/row_readers.hpp"
#include "store/sqlite_error.hpp"
#include "store/statement_util.hpp"

namespace router::store {
namespace {

QueuedLead read_queued(sql::Statement& s) {
  return {s.getColumn(0).getInt64(), read_lead_row(s, 1)};
}

}  // namespace

QueueStore::QueueStore(Database& db) : m_db(db) {}
QueueStore::~QueueStore() = default;

std::optional<QueuedLead> QueueStore::oldest_in_pools(const std::vector<std::string>& pools) {
  return guarded(m_db, [&]() -> std::optional<QueuedLead> {
    std::optional<QueuedLead> best;
    sql::Statement s(m_db.sql(), std::string("SELECT rowid, ") + k_lead_columns +
                                     " FROM leads WHERE state = 'queued' AND pool = ? "
                                     "ORDER BY received_at, rowid LIMIT 1");
    for (const auto& pool : pools) {
      s.reset();
      s.bind(1, pool);
      if (s.executeStep()) {
        QueuedLead q = read_queued(s);
        if (!best ||
            std::pair(q.row.received_at, q.rowid) < std::pair(best->row.received_at, best->rowid)) {
          best = std::move(q);
        }
      }
    }
    return best;
  });
}

std::vector<QueuedLead> QueueStore::manual_after(util::Time received_at, std::int64_t rowid,
                                                 std::size_t limit) {
  return guarded(m_db, [&] {
    static const std::string sql =
        std::string("SELECT rowid, ") + k_lead_columns +
        " FROM leads WHERE state = 'queued' AND pool IS NULL AND "
        "(received_at, rowid) > (?, ?) ORDER BY received_at, rowid LIMIT ?";
    auto s = prepared(m_db, m_manual, sql);
    s.bind(1, static_cast<std::int64_t>(received_at.time_since_epoch().count()));
    s.bind(2, rowid);
    s.bind(3, static_cast<std::int64_t>(limit));
    std::vector<QueuedLead> out;
    while (s.executeStep()) {
      out.push_back(read_queued(s));
    }
    return out;
  });
}

}  // namespace router::store
