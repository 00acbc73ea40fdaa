#include "config/yaml_walk.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <unordered_map>

#include "core/syntax.hpp"
#include "util/strings.hpp"

namespace router::config {

void Sink::error(core::Location at, std::string message) {
  m_diagnostics.push_back(
      {Diagnostic::Severity::error, m_file, at.line, at.column, std::move(message)});
  ++m_errors;
}

void Sink::warning(core::Location at, std::string message) {
  m_diagnostics.push_back(
      {Diagnostic::Severity::warning, m_file, at.line, at.column, std::move(message)});
}

std::vector<Diagnostic> Sink::take() {
  // Checks run in several passes; the user reads them best in file order.
  std::stable_sort(m_diagnostics.begin(), m_diagnostics.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return a.line != b.line ? a.line < b.line : a.column < b.column;
                   });
  // A mapping merged into several places reports its own problems once.
  std::vector<Diagnostic> out;
  std::size_t group = 0;  // first diagnostic at the current position
  for (auto& d : m_diagnostics) {
    if (!out.empty() && (out.back().line != d.line || out.back().column != d.column)) {
      group = out.size();
    }
    const bool repeated = std::any_of(
        out.begin() + static_cast<std::ptrdiff_t>(group), out.end(),
        [&](const Diagnostic& e) { return e.severity == d.severity && e.message == d.message; });
    if (!repeated) {
      out.push_back(std::move(d));
    }
  }
  m_diagnostics.clear();
  m_errors = 0;
  return out;
}

core::Location location_of(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null()) {
    return {};
  }
  return {mark.line + 1, mark.column + 1};
}

std::string describe(core::Location at) {
  return "line " + std::to_string(at.line) + ", column " + std::to_string(at.column);
}

core::Location Field::value_at() const {
  // yaml-cpp gives an empty value the position of the next token, which misleads.
  return value.IsNull() ? key_at : location_of(value);
}

namespace {

// What a mapping accepts as keys, and how its messages end.
struct KeyRules {
  const std::vector<std::string>* allowed;
  const std::string& where;
  Mapping::Extensions extensions;
};

// Only a plain `<<` merges; a quoted "<<" is an ordinary key.
bool is_merge_key(const YAML::Node& key) {
  return key.Tag() == "?" && key.Scalar() == "<<";
}

// The mappings a `<<` merges, earlier first; empty after reporting a value of another shape.
std::vector<YAML::Node> merge_sources(const YAML::Node& value, core::Location key_at, Sink& sink) {
  std::vector<YAML::Node> sources;
  if (value.IsMap()) {
    sources.push_back(value);
  } else if (value.IsSequence()) {
    for (const auto& item : value) {
      sources.push_back(item);
    }
  }
  const bool maps =
      std::all_of(sources.begin(), sources.end(), [](const YAML::Node& n) { return n.IsMap(); });
  if (sources.empty() || !maps) {
    sink.error(key_at, "'<<' must name a mapping to merge: write <<: *name (the name of an "
                       "anchored mapping, &name) or <<: [*a, *b]");
    return {};
  }
  return sources;
}

// The entries of `node` with its merges resolved; `open` holds the mappings being read, so
// a mapping merged into itself is reported instead of followed forever.
std::vector<Field> read_fields(const YAML::Node& node, const KeyRules& rules,
                               std::vector<YAML::Node>& open, Sink& sink) {
  std::vector<Field> fields;
  std::unordered_map<std::string, core::Location> seen;
  std::vector<YAML::Node> sources;
  core::Location merge_at;
  std::size_t merge_index = 0;  // merged entries go where the `<<` was written
  for (auto it = node.begin(); it != node.end(); ++it) {
    const core::Location key_at = location_of(it->first);
    if (!it->first.IsScalar()) {
      sink.error(key_at, "a key must be a plain name, not a list or mapping " + rules.where);
      continue;
    }
    const std::string key = it->first.Scalar();
    if (const auto [first, fresh] = seen.emplace(key, key_at); !fresh) {
      sink.error(key_at, "duplicate key '" + key + "' " + rules.where + " (first at " +
                             describe(first->second) + ")");
      continue;
    }
    if (is_merge_key(it->first)) {
      sources = merge_sources(it->second, key_at, sink);
      merge_at = key_at;
      merge_index = fields.size();
      continue;
    }
    if (rules.extensions == Mapping::Extensions::ignored && key.starts_with("x-")) {
      continue;
    }
    if (rules.allowed &&
        std::find(rules.allowed->begin(), rules.allowed->end(), key) == rules.allowed->end()) {
      sink.error(key_at, "unknown key '" + key + "' " + rules.where +
                             util::did_you_mean(key, *rules.allowed));
      continue;
    }
    fields.push_back({key, it->second, key_at});
  }
  std::vector<Field> merged;
  open.push_back(node);
  for (const YAML::Node& source : sources) {
    if (std::any_of(open.begin(), open.end(), [&](const YAML::Node& n) { return n.is(source); })) {
      sink.error(merge_at, "'<<' merges a mapping into itself " + rules.where);
      continue;
    }
    for (const Field& f : read_fields(source, rules, open, sink)) {
      // A key written here, or merged from an earlier map, wins: no duplicate to report.
      if (seen.emplace(f.key, f.key_at).second) {
        merged.push_back(f);
      }
    }
  }
  open.pop_back();
  if (merged.empty()) {
    return fields;
  }
  // Built by copies only: assigning a YAML::Node (as a mid-vector insert does) rewrites the
  // node it refers to, inside the document.
  std::vector<Field> out;
  out.reserve(fields.size() + merged.size());
  for (std::size_t i = 0; i <= fields.size(); ++i) {
    if (i == merge_index) {
      for (const Field& f : merged) {
        out.push_back(f);
      }
    }
    if (i < fields.size()) {
      out.push_back(fields[i]);
    }
  }
  return out;
}

}  // namespace

Mapping::Mapping(const YAML::Node& node, const std::vector<std::string>* allowed, std::string where,
                 Sink& sink, Extensions extensions) {
  if (!node.IsMap()) {
    return;
  }
  std::vector<YAML::Node> open;
  m_fields = read_fields(node, {allowed, where, extensions}, open, sink);
}

const Field* Mapping::get(std::string_view key) const {
  for (const auto& f : m_fields) {
    if (f.key == key) {
      return &f;
    }
  }
  return nullptr;
}

void expect(const Field& f, const char* what, Sink& sink) {
  std::string message = "'" + f.key + "' must be " + what;
  if (f.value.IsScalar()) {
    message += ", not '" + f.value.Scalar() + "'";
  } else if (f.value.IsNull()) {
    message += "; it has no value";
  }
  sink.error(f.value_at(), message);
}

void expect_list(const Field& f, const char* what, Sink& sink) {
  if (f.value.IsScalar()) {
    // `tags: toyota, used` would silently be one tag: name the fix instead of guessing.
    sink.error(f.value_at(),
               "'" + f.key + "' must be a list; write " + f.key + ": [" + f.value.Scalar() + "]");
    return;
  }
  expect(f, what, sink);
}

std::optional<std::string> read_string(const Field& f, Sink& sink) {
  if (!f.value.IsScalar()) {
    expect(f, "a single value", sink);
    return std::nullopt;
  }
  return f.value.Scalar();
}

std::optional<long long> read_integer(const Field& f, long long min, Sink& sink) {
  if (!f.value.IsScalar()) {
    expect(f, "a whole number", sink);
    return std::nullopt;
  }
  const std::string& text = f.value.Scalar();
  long long n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || end != text.data() + text.size()) {
    expect(f, "a whole number", sink);
    return std::nullopt;
  }
  if (n < min) {
    sink.error(f.value_at(), min == 0 ? "'" + f.key + "' cannot be negative (" + text + ")"
                                      : "'" + f.key + "' must be at least " + std::to_string(min) +
                                            ", not " + text);
    return std::nullopt;
  }
  if (n > std::numeric_limits<int>::max()) {
    sink.error(f.value_at(), "'" + f.key + "' is too large (" + text + ")");
    return std::nullopt;
  }
  return n;
}

std::optional<double> read_number(const Field& f, bool positive, Sink& sink) {
  const char* what = positive ? "a number greater than 0" : "a number";
  if (!f.value.IsScalar()) {
    expect(f, what, sink);
    return std::nullopt;
  }
  const std::string& text = f.value.Scalar();
  double x = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(x) ||
      (positive && x <= 0)) {
    expect(f, what, sink);
    return std::nullopt;
  }
  return x;
}

std::optional<bool> read_bool(const Field& f, Sink& sink) {
  bool b = false;
  if (!f.value.IsScalar() || !YAML::convert<bool>::decode(f.value, b)) {
    expect(f, "true or false", sink);
    return std::nullopt;
  }
  return b;
}

std::optional<core::Duration> read_duration(const Field& f, Sink& sink) {
  if (!f.value.IsScalar()) {
    expect(f, "a duration such as 15m, 2h or 1d", sink);
    return std::nullopt;
  }
  const auto parsed = core::parse_duration(f.value.Scalar());
  if (!parsed) {
    sink.error(f.value_at(), "'" + f.key + "': " + parsed.error);
    return std::nullopt;
  }
  return parsed.value;
}

std::optional<std::vector<Item>> read_list(const Field& f, Sink& sink) {
  std::vector<Item> items;
  if (f.value.IsNull()) {
    return items;
  }
  if (!f.value.IsSequence()) {
    expect_list(f, "a list", sink);
    return std::nullopt;
  }
  bool ok = true;
  for (const auto& item : f.value) {
    if (!item.IsScalar()) {
      sink.error(location_of(item), "each item of '" + f.key + "' must be a single value");
      ok = false;
      continue;
    }
    items.push_back({item.Scalar(), location_of(item)});
  }
  if (!ok) {
    return std::nullopt;
  }
  return items;
}

}  // namespace router::config
