#pragma once
// Does a lead look like this? `when` conditions and whole rules, each failure explained in
// words for `explain` ("brand: 'Ford' is not one of Toyota, Lexus").

#include <string>
#include <vector>

#include "core/lead.hpp"
#include "core/model.hpp"

namespace router::core {

// `matches` looks at values of at most this many bytes; a longer value never matches, as the
// time a pattern search takes grows with the square of the value's length.
inline constexpr std::size_t k_max_matched_bytes = 1024;

// The verdict of one match, with the reason when it failed (empty when it held).
struct MatchResult {
  bool matched = true;
  std::string why;
};

// One operator test against a field's values (absent when nullopt).
bool passes(const Test& test, const std::optional<FieldValues>& values);

// The condition holds when every one of its tests passes; `why` names the first that fails
// (left empty when `why` is false: the caller wants only whether it holds).
MatchResult match_condition(const Condition& condition, const Lead& lead, bool why = true);

// Every condition holds (an empty list always holds); `why` explains the first failure.
MatchResult match_conditions(const std::vector<Condition>& conditions, const Lead& lead,
                             bool why = true);

// True when the pool has a member (available or not) holding every tag in `tags`.
bool pool_can_satisfy(const Config& config, const Pool& pool, const std::vector<std::string>& tags);

// True when the agent has every tag in `tags` (ignoring case).
bool has_tags(const Agent& agent, const std::vector<std::string>& tags);

// A rule holds when its `when` matches the lead, its pool has at least one member with every
// `requires` tag, and its `during` schedule is open at the lead's received_at.
// With `why` false a rule that misses says nothing of why.
MatchResult match_rule(const Config& config, const Rule& rule, const Lead& lead, bool why = true);

}  // namespace router::core
