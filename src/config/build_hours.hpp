#pragma once
// Opening hours from YAML: an hours string ("09:00-12:30, 13:30-17:30") and a weekly
// mapping of day sets to hours strings (schedules' hours, members' shifts).

#include <optional>
#include <string>
#include <vector>

#include "config/yaml_walk.hpp"
#include "core/model.hpp"

namespace router::config {

// An hours string; overlapping ranges are an error.
std::optional<std::vector<core::TimeRange>> read_hours(const Field& f, Sink& sink);
// A mapping of day sets to hours strings. A day named twice and hours that overlap (also
// across midnight into the next day) are errors. `where` completes messages ("in schedule
// 'office'").
std::optional<core::WeeklyHours> read_weekly(const Field& f, const std::string& where, Sink& sink);
// "HH:MM-HH:MM".
std::string format_range(const core::TimeRange& r);

}  // namespace router::config
