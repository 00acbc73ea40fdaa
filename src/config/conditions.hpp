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
// configuration cache rebuilds regexes with these flags too. With libstdc++, polynomial mode:
// the default matcher recurses once per character of the value, so a long lead value
// overflowed the stack; this one does not (and refuses back-references such as \1).
#if defined(__GLIBCXX__)
inline constexpr auto k_regex_flags =
    std::regex::ECMAScript | std::regex::icase | std::regex_constants::__polynomial;
#else
inline constexpr auto k_regex_flags = std::regex::ECMAScript | std::regex::icase;
#endif

}  // namespace router::config
