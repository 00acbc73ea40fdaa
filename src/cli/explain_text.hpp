#pragma once
// `router explain` as text for a manager: where the lead is, each routing decision in
// words, its offers and its timeline.

#include <string>

#include <nlohmann/json.hpp>

#include "engine/explain.hpp"

namespace router::cli {

// One sentence on where the lead stands now ("W-1 is offered to tom until ...").
std::string summary_line(const engine::Explanation& e);

// The lines of one decision, from its stored Decision JSON (see engine/decision_json.hpp):
// mode, owner match, rules tried, pool and strategy, exclusions, eligible members, the
// strategy's note, outcome, reason and deadline. `number` counts from 1.
std::string decision_text(const nlohmann::json& decision, std::size_t number,
                          const std::string& at);

// A timeline entry's last column: the detail's reason, then its other non-null fields as
// key=value.
std::string event_detail_text(const std::string& detail_json);

// The whole explanation: summary, lead header, decisions, offers and timeline.
std::string explain_text(const engine::Explanation& e);

}  // namespace router::cli
