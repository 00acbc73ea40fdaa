#include "core/match.hpp"

#include <charconv>
#include <cstdio>

#include "core/calendar.hpp"
#include "util/strings.hpp"
#include "util/time.hpp"

namespace router::core {
namespace {

// The whole of `text` (surrounding blanks allowed) as a number; nullopt otherwise.
std::optional<double> to_number(std::string_view text) {
  text = util::trim(text);
  if (!text.empty() && text.front() == '+') {
    text.remove_prefix(1);
  }
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end) {
    return std::nullopt;
  }
  return value;
}

std::string number_text(double n) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.15g", n);
  return buffer;
}

std::string quoted(FieldValues values) {
  if (values.size() == 1) {
    return "'" + values.front() + "'";
  }
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    out += (i ? ", '" : "'") + values[i] + "'";
  }
  return out + "]";
}

std::string joined(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) {
    out += (out.empty() ? "" : ", ") + v;
  }
  return out;
}

bool in_list(const std::string& value, const std::vector<std::string>& list) {
  for (const auto& item : list) {
    if (util::iequals(value, item)) {
      return true;
    }
  }
  return false;
}

bool compare(Op op, double lhs, double rhs) {
  switch (op) {
  case Op::gt: return lhs > rhs;
  case Op::gte: return lhs >= rhs;
  case Op::lt: return lhs < rhs;
  case Op::lte: return lhs <= rhs;
  default: return false;
  }
}

const char* symbol(Op op) {
  switch (op) {
  case Op::gt: return ">";
  case Op::gte: return ">=";
  case Op::lt: return "<";
  case Op::lte: return "<=";
  default: return "?";
  }
}

bool regex_found(const Test& test, const std::string& value) {
  // The loader compiles every pattern once; a test without one cannot match.
  return test.regex && value.size() <= k_max_matched_bytes && std::regex_search(value, *test.regex);
}

// One value against a test whose operator looks at single values.
bool value_passes(const Test& test, const std::string& value) {
  switch (test.op) {
  case Op::equals:
  case Op::any_of: return in_list(value, test.values);
  case Op::gt:
  case Op::gte:
  case Op::lt:
  case Op::lte: {
    const auto n = to_number(value);
    return n && compare(test.op, *n, test.number);
  }
  case Op::matches: return regex_found(test, value);
  case Op::none_of:
  case Op::exists: return true;
  }
  return false;
}

// Why a present field failed a test, e.g. "'Ford' is not one of Toyota, Lexus".
std::string failure_text(const Test& test, FieldValues values) {
  const std::string shown = quoted(values);
  switch (test.op) {
  case Op::equals:
    return shown + " is not '" + (test.values.empty() ? "" : test.values.front()) + "'";
  case Op::any_of: return shown + " is not one of " + joined(test.values);
  case Op::none_of: return shown + " is one of " + joined(test.values);
  case Op::gt:
  case Op::gte:
  case Op::lt:
  case Op::lte: {
    bool numeric = false;
    for (const auto& v : values) {
      numeric = numeric || to_number(v).has_value();
    }
    if (!numeric) {
      return shown + " is not a number";
    }
    return shown + " is not " + symbol(test.op) + " " + number_text(test.number);
  }
  case Op::matches: {
    bool too_long = false;
    for (const auto& v : values) {
      too_long = too_long || v.size() > k_max_matched_bytes;
    }
    return shown + " does not match /" + test.pattern + "/" +
           (too_long ? " (a value longer than " + std::to_string(k_max_matched_bytes) +
                           " bytes never matches)"
                     : "");
  }
  case Op::exists: return "is present (" + shown + "), expected absent";
  }
  return shown + " fails";
}

}  // namespace

bool passes(const Test& test, const std::optional<FieldValues>& values) {
  const bool present = values && !values->empty();
  if (test.op == Op::exists) {
    return present == test.exists;
  }
  if (test.op == Op::none_of) {
    // `not` means no value is in the list; an absent field has none.
    if (!present) {
      return true;
    }
    for (const auto& v : *values) {
      if (in_list(v, test.values)) {
        return false;
      }
    }
    return true;
  }
  if (!present) {
    return false;
  }
  for (const auto& v : *values) {
    if (value_passes(test, v)) {
      return true;
    }
  }
  return false;
}

MatchResult match_condition(const Condition& condition, const Lead& lead, bool why) {
  const auto values = lead.values(condition.field);
  for (const auto& test : condition.tests) {
    if (passes(test, values)) {
      continue;
    }
    if (!why) {
      return {false, {}};
    }
    const bool present = values && !values->empty();
    return {false, condition.field + ": " + (present ? failure_text(test, *values) : "missing")};
  }
  return {};
}

MatchResult match_conditions(const std::vector<Condition>& conditions, const Lead& lead, bool why) {
  for (const auto& condition : conditions) {
    if (auto result = match_condition(condition, lead, why); !result.matched) {
      return result;
    }
  }
  return {};
}

bool has_tags(const Agent& agent, const std::vector<std::string>& tags) {
  for (const auto& tag : tags) {
    if (!in_list(tag, agent.tags)) {
      return false;
    }
  }
  return true;
}

bool pool_can_satisfy(const Config& config, const Pool& pool,
                      const std::vector<std::string>& tags) {
  for (const auto& member : pool.members) {
    if (const Agent* agent = config.find_agent(member.agent); agent && has_tags(*agent, tags)) {
      return true;
    }
  }
  return false;
}

MatchResult match_rule(const Config& config, const Rule& rule, const Lead& lead, bool why) {
  if (auto result = match_conditions(rule.when, lead, why); !result.matched) {
    return result;
  }
  const Pool* pool = config.find_pool(rule.pool);
  if (!pool) {
    if (!why) {
      return {false, {}};
    }
    return {false, "pool '" + rule.pool + "' does not exist"};
  }
  if (!rule.requires_tags.empty() && !pool_can_satisfy(config, *pool, rule.requires_tags)) {
    if (!why) {
      return {false, {}};
    }
    return {false, "requires " + joined(rule.requires_tags) + ": no member of pool '" + pool->name +
                       "' has every tag"};
  }
  if (rule.during) {
    const Schedule* schedule = config.find_schedule(*rule.during);
    if (!schedule || !is_open(*schedule, lead.received_at)) {
      if (!why) {
        return {false, {}};
      }
      return {false,
              "during " + *rule.during + ": closed at " + util::format_rfc3339(lead.received_at)};
    }
  }
  return {};
}

}  // namespace router::core
