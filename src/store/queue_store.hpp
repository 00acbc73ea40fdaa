#pragma once
// Leads waiting for a person: the manual queue (pool NULL) and open pools' queues.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "store/routing.hpp"

namespace router::store::sql {
class Statement;
}

namespace router::store {

// Reads queued leads oldest first.
class QueueStore {
public:
  explicit QueueStore(Database& db);
  QueueStore(const QueueStore&) = delete;
  QueueStore& operator=(const QueueStore&) = delete;
  ~QueueStore();

  // The oldest lead queued in any of `pools` (open pools), if any.
  std::optional<QueuedLead> oldest_in_pools(const std::vector<std::string>& pools);
  // Up to `limit` leads of the manual queue after keyset position (received_at, rowid).
  std::vector<QueuedLead> manual_after(util::Time received_at, std::int64_t rowid,
                                       std::size_t limit);

private:
  Database& m_db;
  std::unique_ptr<sql::Statement> m_manual;
};

}  // namespace router::store
