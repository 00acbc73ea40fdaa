#pragma once
// `when` mappings: field → scalar (equals), list (any of) or operators
// (gt gte lt lte not in matches exists), all of which must hold.

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "config/yaml_walk.hpp"
#include "core/model.hpp"

namespace router::config {

// The conditions of a `when` mapping; nullopt after reporting when any is malformed.
std::optional<std::vector<core::Condition>> read_conditions(const Field& when, Sink& sink);
// A `matches` pattern compiled the one way the model uses (ECMAScript, ignoring case); the
// configuration cache rebuilds regexes with it too. Throws std::regex_error.
std::shared_ptr<const std::regex> compile_pattern(const std::string& pattern);

}  // namespace router::config
