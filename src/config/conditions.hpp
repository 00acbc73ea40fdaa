#pragma once
// `when` mappings: field → scalar (equals), list (any of) or operators
// (gt gte lt lte not in matches exists), all of which must hold.

#include <optional>
#include <regex>
#include <vector>

#include "config/yaml_walk.hpp"
#include "core/model.hpp"

namespace router::config {

// The conditions of a `when` mapping; nullopt after reporting when any is malformed.
std::optional<std::vector<core::Condition>> read_conditions(const Field& when, Sink& sink);
// How a `matches` pattern is compiled (ignoring case, as every `when` comparison); the
// configuration cache rebuilds regexes with these flags too.
inline constexpr auto k_regex_flags = std::regex::ECMAScript | std::regex::icase;

}  // namespace router::config
