#pragma once
// What `router simulate` prints: text tables for people (each figure "current → proposed"
// where they differ, then the largest changes), one JSON document, or CSV rows.

#include <string>

#include <nlohmann/json.hpp>

#include "engine/simulate.hpp"

namespace router::cli {

// The text report; `current_name` and `proposed_name` are the configuration files.
std::string simulate_text(const engine::SimulateResult& result, const std::string& current_name,
                          const std::string& proposed_name);

// {"period", "leads", "sla_seconds", "recorded", "current", "proposed", "diff"}.
nlohmann::json simulate_json(const engine::SimulateResult& result, const std::string& current_name,
                             const std::string& proposed_name);

// A header row, then one row per side (recorded, current, proposed, diff), group and name.
std::string simulate_csv(const engine::SimulateResult& result);

}  // namespace router::cli
