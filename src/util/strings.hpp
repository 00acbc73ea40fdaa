#pragma once
// Small string helpers.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace router::util {

// ASCII lower case.
std::string to_lower(std::string_view s);
// ASCII upper case.
std::string to_upper(std::string_view s);
// Case-insensitive ASCII equality.
bool iequals(std::string_view a, std::string_view b);
// Without leading and trailing white space.
std::string_view trim(std::string_view s);
// Splits on `sep`, keeping empty pieces.
std::vector<std::string_view> split(std::string_view s, char sep);
// Levenshtein distance between two strings.
std::size_t edit_distance(std::string_view a, std::string_view b);
// The candidate nearest to `name` by edit distance, if near enough to be a likely typo.
std::optional<std::string> nearest(std::string_view name, const std::vector<std::string>& candidates);
// " (did you mean 'x'?)" for the nearest candidate, or "" when none is near.
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);
// A CSV field (RFC 4180), quoted when it holds a comma, quote or line break.
std::string csv_field(std::string_view text);

}  // namespace router::util
