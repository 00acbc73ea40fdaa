#pragma once
// A routing decision as JSON: the record `explain` reads back and `--format json` prints.

#include <string>

#include <nlohmann/json.hpp>

#include "core/decision.hpp"

namespace router::engine {

// Every field of the decision that explains it: rules tried, owner match, exclusions,
// the strategy's choice, outcome, reason, deadline and (bad_attributes) the parser's error.
nlohmann::json to_json(const core::Decision& d);

// The same as to_json(d).dump(), byte for byte, written directly: assign stores one per lead,
// and building the DOM first costs more than routing the lead.
std::string to_json_text(const core::Decision& d);

}  // namespace router::engine
