#pragma once
// RFC 3339 instants and human durations as text.

#include <optional>
#include <string>
#include <string_view>

#include "util/clock.hpp"

namespace router::util {

class Zone;

// Parses an RFC 3339 instant ("2026-11-23T13:10:00Z", "...+01:00", fractional seconds
// dropped, 't'/'z'/' ' accepted). nullopt when malformed, impossible (Feb 30), or outside
// the years 0000 to 9999 in UTC (which format_rfc3339 could not print back).
std::optional<Time> parse_rfc3339(std::string_view text);
// Why parse_rfc3339 refused `text`, to follow it in a message: "is not an RFC 3339 time", or
// "is outside the years 0000 to 9999 in UTC" for a well-formed time such as
// 9999-12-31T23:00:00-01:00.
std::string rfc3339_refusal(std::string_view text);

// An RFC 3339 instant, or a plain date "2026-11-01" meaning that day's midnight in `zone`
// (UTC when null; the first instant of the day when midnight is skipped). nullopt otherwise.
std::optional<Time> parse_time_or_date(std::string_view text, const util::Zone* zone);

// Formats as RFC 3339 in UTC: "2026-11-23T13:10:00Z".
std::string format_rfc3339(Time t);

// Formats a number of seconds compactly: "15m", "1h30m", "2d", "0s".
std::string format_duration(long long seconds);

}  // namespace router::util
