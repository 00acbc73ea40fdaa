#pragma once
// The lock policy `assign` and `sweep` share. On PostgreSQL a shared write transaction
// (store::Sharing::shared) locks the state of the groups of pools it routes into
// (core::StateGroups), so concurrent runs work side by side in different groups. SQLite's
// writers always take turns, so there the groups are never built: on a large configuration
// building them costs more than routing a lead.

#include <cstddef>
#include <optional>

#include "core/model.hpp"
#include "core/sharing.hpp"
#include "store/database.hpp"

namespace router::engine {

// How many state names (core::StateGroups) a shared transaction may lock at most: each is
// an advisory lock in the server's shared lock table (max_locks_per_transaction ×
// max_connections slots in all). A configuration with a group of pools this big runs in
// turns instead.
inline constexpr std::size_t k_max_state_names = 256;

class StateLocks {
public:
  StateLocks(const store::Database& db, const core::Config& config) : m_db(db), m_config(config) {}

  // The configuration's groups, built on first use.
  const core::StateGroups& groups() {
    if (!m_groups) {
      m_groups.emplace(m_config);
    }
    return *m_groups;
  }

  // Sharing::shared when the database runs shared transactions and no group has more state
  // than one transaction may lock; else Sharing::exclusive.
  store::Sharing sharing() {
    return m_db.postgres() && groups().largest() <= k_max_state_names ? store::Sharing::shared
                                                                      : store::Sharing::exclusive;
  }

private:
  const store::Database& m_db;
  const core::Config& m_config;
  std::optional<core::StateGroups> m_groups;
};

}  // namespace router::engine
