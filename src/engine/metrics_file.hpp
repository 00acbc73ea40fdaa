#pragma once
// Prometheus text-format metrics for the sweep, written atomically so a scraper (node
// exporter's textfile collector) never reads half a file.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "store/database.hpp"
#include "util/clock.hpp"

namespace router::engine {

// What one successful sweep reports.
struct SweepMetrics {
  util::Time finished_at{};                    // the run's current time
  double duration_seconds = 0;                 // wall time the run took
  std::size_t leaves_ended = 0;                // leaves that ran out
  std::map<std::string, std::size_t> handled;  // leads by outcome, this run
  std::int64_t queue_depth = 0;                // leads in the manual queue
  std::optional<util::Time> oldest_pending;    // nullopt: nothing pending
  // Totals over every sweep of the database (read after this run): leads handled by
  // outcome, and leaves ended.
  std::map<std::string, std::int64_t> handled_total;
  std::int64_t leaves_ended_total = 0;
  // Notifications (SPEC §12): deliveries waiting or failed now, and attempts by outcome over every
  // run of `notify` and `sweep` (sent, retried, failed).
  std::map<std::string, std::int64_t> deliveries;
  std::map<std::string, std::int64_t> delivery_attempts_total;
};

// The delivery states and attempt outcomes always written (as 0 when none).
inline constexpr const char* k_delivery_states[] = {"pending", "sending", "failed"};
inline constexpr const char* k_delivery_outcomes[] = {"sent", "retried", "failed"};

// The outcomes always written (as 0 when none), so dashboards see every series.
inline constexpr const char* k_sweep_outcomes[] = {"offered", "assigned",  "queued", "pooled",
                                                   "expired", "withdrawn", "stale"};

// Fills the database figures: queue depth, oldest pending lead (two index lookups) and
// the sweep's counters.
void read_gauges(store::Database& db, SweepMetrics& m);

// The metrics in Prometheus text exposition format (HELP and TYPE lines, one sample per
// line, ending with a newline). Counters (`_total`, kept in the database) grow across
// runs; the last run's figures are gauges named `router_sweep_last_run_*`.
std::string render_metrics(const SweepMetrics& m);

// Writes `text` to `path` atomically: a temporary file in the same folder
// (".NAME.tmp-PID"), fsync, rename, fsync of the folder; a scraper never reads half a file
// and the rename survives a crash. Temporary files left by runs that were killed (their
// process is gone) are removed first. Throws DbError (74) naming the path when it cannot.
void write_atomically(const std::filesystem::path& path, const std::string& text);

}  // namespace router::engine
