#pragma once
// What the YAML walk produces before cross-references are checked: the model, and every
// name it uses that must be defined elsewhere in the file, with its location.

#include <string>
#include <unordered_set>
#include <vector>

#include "core/model.hpp"

namespace router::config {

// A name that must exist elsewhere in the file.
struct Reference {
  enum class Kind { agent, pool, schedule, calendar };
  Kind kind = Kind::agent;
  std::string name;
  core::Location at;
  std::string where;  // completes messages: "in the members of pool 'sales'"
};

// A business-time setting (claim_timeout, stale_after) as read, for the wall-time check.
struct Timing {
  std::string key;  // "claim_timeout" or "stale_after"
  core::Duration value{0};
  std::string pool;   // whose schedule runs the clock
  std::string owner;  // "pool 'sales'" or "rule 'vip'"
  core::Location at;
};

// A tag in a rule's `requires`, where it was written.
struct RequiredTag {
  std::size_t rule = 0;  // index into Config::rules
  std::string tag;
  core::Location at;
};

// The model as read, and the references, business-time settings and tags still to check.
struct Built {
  core::Config config;
  std::vector<Reference> references;
  std::vector<Timing> timings;
  std::vector<RequiredTag> required_tags;
  // Agent ids already reported as malformed: no further diagnostics about them.
  std::unordered_set<std::string> invalid_agents;
  // Lists already reported as unreadable (`members: tom`): nothing more is said about what
  // they would have held (who is in a pool, which calendars are used, what a rule requires).
  // Pools whose 'members' could not be read.
  std::unordered_set<std::string> pools_unread;
  // Rules (index into Config::rules) whose 'requires' could not be read.
  std::unordered_set<std::size_t> rules_unread;
  // Whether some schedule's 'holidays' could not be read.
  bool holidays_unread = false;
};

}  // namespace router::config
