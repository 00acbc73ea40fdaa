#pragma once
// A report as JSON, an aligned text table, CSV, or Prometheus text-format metrics. Pure:
// the caller writes the strings where they belong.

#include <string>

#include <nlohmann/json.hpp>

#include "engine/report.hpp"

namespace router::engine {

// The report document: period, by, agents, pools (and rules/sources), total, queue.
nlohmann::ordered_json report_json(const Report& report);

// The table a manager reads at a glance, then the queue lines.
std::string report_text(const Report& report);

// A header row, then one row per group of the --by grouping (limits are left to JSON).
std::string report_csv(const Report& report);

// Gauges for the period and the queue, in Prometheus text format.
std::string report_metrics(const Report& report);

// "3/10" per pool with a daily limit ("sales 3/10, vip 1/5" when several), else "-".
std::string today_over_limit(const ReportRow& row);

}  // namespace router::engine
