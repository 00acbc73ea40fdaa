#pragma once
// YAML → core::Notifications: the `notifications:` section (SPEC §12), its channels, rules
// and Mustache templates, with defaults filled in.

#include <string>
#include <vector>

#include "config/built.hpp"
#include "config/yaml_walk.hpp"

namespace router::config {

// The event types router writes (SPEC §3), which notification rules may name.
const std::vector<std::string>& event_types();
// The `notifications` mapping. Webhook names are checked here, as they are defined inside it.
void read_notifications(const Field& f, Built& built, Sink& sink);
// Checks that need the rest of the model: agents without an email address.
void check_notifications(const core::Config& config, Sink& sink);

}  // namespace router::config
