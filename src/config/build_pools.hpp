#pragma once
// YAML → pools and rules of core::Config.

#include "config/built.hpp"
#include "config/yaml_walk.hpp"

namespace router::config {

// The `pools` mapping: name → settings and members.
void read_pools(const Field& pools, Built& built, Sink& sink);
// The `rules` list, in file order.
void read_rules(const Field& rules, Built& built, Sink& sink);

}  // namespace router::config
