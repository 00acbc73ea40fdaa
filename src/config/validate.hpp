#pragma once
// The checks that need the whole file: references between agents, calendars, schedules,
// pools and rules, pools that could never route, and warnings for parts that never matter.

#include "config/built.hpp"
#include "config/yaml_walk.hpp"

namespace router::config {

// Reports unknown names (with suggestions) and the whole-file problems, and flattens each
// schedule's calendars into Schedule::holidays.
void validate(Built& built, Sink& sink);

}  // namespace router::config
