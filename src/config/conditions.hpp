#pragma once
// `when` mappings: field → scalar (equals), list (any of) or operators
// (gt gte lt lte not in matches exists), all of which must hold.

#include <optional>
#include <vector>

#include "config/yaml_walk.hpp"
#include "core/model.hpp"

namespace router::config {

// The conditions of a `when` mapping; nullopt after reporting when any is malformed.
std::optional<std::vector<core::Condition>> read_conditions(const Field& when, Sink& sink);

}  // namespace router::config
