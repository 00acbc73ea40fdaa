#pragma once
// YAML → core::Config: the top level, agents, calendars, schedules and owner_match here;
// pools and rules in build_pools, notifications in build_notifications. Reports shapes, types
// and ranges; cross-references are left to validate.

#include <filesystem>

#include <yaml-cpp/yaml.h>

#include "config/built.hpp"
#include "config/yaml_walk.hpp"

namespace router::config {

// Reads the whole document. `file` resolves the relative `database` path.
Built build_model(const YAML::Node& root, const std::filesystem::path& file, Sink& sink);
// The zone named by `f`, with a suggestion from the tz database when unknown.
const util::Zone* read_zone(const Field& f, Sink& sink);

}  // namespace router::config
