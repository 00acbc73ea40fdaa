#pragma once
// Read-only queries behind `router report`: one pass over the period's events plus a few
// set-based counts of the current state. Nothing here writes.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/database.hpp"
#include "util/clock.hpp"

namespace router::store {

// One event that feeds a report figure. The views are valid only during the callback.
struct ReportEventRow {
  std::string_view type;
  std::optional<std::string_view> agent;
  std::optional<std::string_view> pool;
  std::optional<std::string_view> rule;    // only when asked for
  std::optional<std::string_view> source;  // the lead's source; only when asked for
  std::string_view detail;                 // only for claimed, assigned and closed events;
                                           // empty otherwise
};

// A group's name (nullopt for NULL) and a count.
struct KeyCount {
  std::optional<std::string> key;
  std::int64_t count = 0;
};

// One row of the private `usage` table.
struct UsageRow {
  std::string pool;
  std::string agent;
  std::string period;
  std::int64_t count = 0;
};

// The manual queue: leads queued with no pool.
struct ManualQueue {
  std::int64_t depth = 0;
  std::optional<util::Time> oldest_received;
};

// A lead received in a period and the pool it was first routed to.
struct PoolArrival {
  std::string pool;
  util::Time received_at;
};

// The lead column a report groups its current-state counts by.
enum class LeadColumn { agent, pool, rule, source };

// Queries for reports. Construct it, call the methods, let it go: it holds one read
// transaction for its lifetime so every figure comes from the same snapshot.
class ReportStore {
public:
  explicit ReportStore(Database& db);
  ReportStore(const ReportStore&) = delete;
  ReportStore& operator=(const ReportStore&) = delete;
  ~ReportStore();

  // Calls `fn` for every event with at in [since, until) except `received` (the caller
  // skips other types it does not count). Rows carry type, agent, pool and detail, plus
  // `extra` when it is rule or source (the lead's source, as stored on the event): each
  // column read costs on millions of rows.
  void scan_events(util::Time since, util::Time until, std::optional<LeadColumn> extra,
                   const std::function<void(const ReportEventRow&)>& fn);
  // Leads currently open for each agent: open offers plus assigned leads they own.
  std::vector<KeyCount> open_by_agent();
  // Leads currently offered or assigned, grouped by a lead column (pool, rule, source).
  std::vector<KeyCount> open_by(LeadColumn column);
  // The same for two columns (pool, rule, source) in one pass over the leads: {first, second}.
  std::pair<std::vector<KeyCount>, std::vector<KeyCount>> open_by(LeadColumn first,
                                                                  LeadColumn second);
  // The usage rows of the given periods ("D2026-11-23", "M2026-11").
  std::vector<UsageRow> usage(const std::vector<std::string>& periods);
  // Depth and oldest received_at of the manual queue.
  ManualQueue manual_queue();
  // Leads queued in each pool (open pools), by pool.
  std::vector<KeyCount> pool_queues();
  // The leads with received_at in [since, until) that were routed to a pool, with the pool of
  // their first event naming one (the pool `report --by pool` first counts them under);
  // leads never routed to a pool are left out.
  std::vector<PoolArrival> arrivals(util::Time since, util::Time until);

private:
  Database& m_db;
  bool m_in_transaction = false;
};

}  // namespace router::store
