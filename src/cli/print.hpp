#pragma once
// Text renderings shared by several commands.

#include <string>

#include "core/decision.hpp"

namespace router::cli {

// One aligned line for a decision: lead, outcome, agent(s), pool, rule, reason, deadline.
std::string decision_line(const core::Decision& d);

// `text` padded with spaces to `width` (never cut).
std::string pad(const std::string& text, std::size_t width);

}  // namespace router::cli
