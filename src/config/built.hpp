#pragma once
// What the YAML walk produces before cross-references are checked: the model, and every
// name it uses that must be defined elsewhere in the file, with its location.

#include <string>
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

// The model as read, and the references and business-time settings still to check.
struct Built {
  core::Config config;
  std::vector<Reference> references;
  std::vector<Timing> timings;
};

}  // namespace router::config
