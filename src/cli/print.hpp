#pragma once
// Text renderings shared by several commands.

#include <string>

#include "core/decision.hpp"

namespace router::cli {

// One aligned line for a decision: lead, outcome, agent(s), pool, rule, reason, deadline.
std::string decision_line(const core::Decision& d);

// `text` padded with spaces to `width` (never cut).
std::string pad(const std::string& text, std::size_t width);

// True when standard output or error is connected to the systemd journal: $JOURNAL_STREAM
// names ("DEVICE:INODE") the stream on fd 1 or 2, as systemd sets it for a service. The
// journal stamps each line with the time and reads a "<N>" syslog priority prefix.
bool under_journal();

// The prefix of an error line: "<3>" for the journal (priority err), else nothing.
const char* error_priority();
// The prefix of a warning line: "<4>" for the journal (priority warning), else nothing.
const char* warning_priority();

}  // namespace router::cli
