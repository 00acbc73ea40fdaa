#include "config/conditions.hpp"

#include <charconv>
#include <cmath>
#include <memory>
#include <regex>

namespace router::config {
namespace {

const std::vector<std::string> k_operators = {"gt",  "gte", "lt",      "lte",
                                              "not", "in",  "matches", "exists"};

// A scalar or a non-empty list of scalars, as strings.
std::optional<std::vector<std::string>> values(const Field& f, bool list_only, Sink& sink) {
  if (f.value.IsScalar() && !list_only) {
    return std::vector<std::string>{f.value.Scalar()};
  }
  const char* what = list_only ? "a list of values" : "a value or a list of values";
  if (!f.value.IsSequence() || f.value.size() == 0) {
    expect_list(f, what, sink);
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& item : f.value) {
    if (!item.IsScalar()) {
      sink.error(location_of(item), "each item of '" + f.key + "' must be a single value");
      return std::nullopt;
    }
    out.push_back(item.Scalar());
  }
  return out;
}

std::optional<core::Test> operator_test(const Field& f, Sink& sink) {
  core::Test t;
  if (f.key == "gt" || f.key == "gte" || f.key == "lt" || f.key == "lte") {
    t.op = f.key == "gt"    ? core::Op::gt
           : f.key == "gte" ? core::Op::gte
           : f.key == "lt"  ? core::Op::lt
                            : core::Op::lte;
    const auto n = read_number(f, false, sink);
    if (!n) {
      return std::nullopt;
    }
    t.number = *n;
  } else if (f.key == "not" || f.key == "in") {
    t.op = f.key == "not" ? core::Op::none_of : core::Op::any_of;
    auto v = values(f, f.key == "in", sink);
    if (!v) {
      return std::nullopt;
    }
    t.values = std::move(*v);
  } else if (f.key == "matches") {
    t.op = core::Op::matches;
    const auto pattern = read_string(f, sink);
    if (!pattern) {
      return std::nullopt;
    }
    try {
      t.regex = std::make_shared<const std::regex>(*pattern, k_regex_flags);
    } catch (const std::regex_error& e) {
      const std::string why = e.code() == std::regex_constants::error_complexity
                                  ? "back-references such as \\1 are not supported"
                                  : e.what();
      sink.error(f.value_at(),
                 "'" + *pattern + "' is not a valid regular expression (" + why + ")");
      return std::nullopt;
    }
    t.pattern = *pattern;
  } else {
    t.op = core::Op::exists;
    const auto b = read_bool(f, sink);
    if (!b) {
      return std::nullopt;
    }
    t.exists = *b;
  }
  return t;
}

std::optional<core::Condition> condition(const Field& f, Sink& sink) {
  core::Condition c{f.key, {}, f.key_at};
  if (f.value.IsScalar()) {
    core::Test t;
    t.values = {f.value.Scalar()};
    c.tests.push_back(std::move(t));
    return c;
  }
  if (f.value.IsSequence()) {
    auto v = values(f, true, sink);
    if (!v) {
      return std::nullopt;
    }
    core::Test t;
    t.op = core::Op::any_of;
    t.values = std::move(*v);
    c.tests.push_back(std::move(t));
    return c;
  }
  if (!f.value.IsMap() || f.value.size() == 0) {
    expect(f, "a value, a list of values or operators (gt gte lt lte not in matches exists)", sink);
    return std::nullopt;
  }
  bool ok = true;
  const Mapping operators(f.value, &k_operators, "in the condition on '" + f.key + "'", sink);
  for (const Field& op : operators.fields()) {
    auto t = operator_test(op, sink);
    ok = ok && t.has_value();
    if (t) {
      c.tests.push_back(std::move(*t));
    }
  }
  if (!ok || c.tests.empty()) {
    return std::nullopt;
  }
  return c;
}

}  // namespace

std::optional<std::vector<core::Condition>> read_conditions(const Field& when, Sink& sink) {
  std::vector<core::Condition> out;
  if (when.value.IsNull()) {
    return out;
  }
  if (!when.value.IsMap()) {
    expect(when, "a mapping of lead fields to conditions", sink);
    return std::nullopt;
  }
  bool ok = true;
  const Mapping fields(when.value, nullptr, "in 'when'", sink);
  for (const Field& f : fields.fields()) {
    auto c = condition(f, sink);
    ok = ok && c.has_value();
    if (c) {
      out.push_back(std::move(*c));
    }
  }
  if (!ok) {
    return std::nullopt;
  }
  return out;
}

}  // namespace router::config
