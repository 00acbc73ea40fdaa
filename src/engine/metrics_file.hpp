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
};

// The outcomes always written (as 0 when none), so dashboards see every series.
inline constexpr const char* k_sweep_outcomes[] = {"offered", "assigned",  "queued", "pooled",
                                                   "expired", "withdrawn", "stale"};

// Fills the database gauges (queue depth, oldest pending lead): two index lookups.
void read_gauges(store::Database& db, SweepMetrics& m);

// The metrics in Prometheus text exposition format (HELP and TYPE lines, one sample per
// line, ending with a newline). Gauges only: every value is this run's or the database's.
std::string render_metrics(const SweepMetrics& m);

// Writes `text` to `path` atomically: a temporary file in the same folder, fsync, rename.
// Throws DbError (74) naming the path when it cannot.
void write_atomically(const std::filesystem::path& path, const std::string& text);

}  // namespace router::engine
