#pragma once
// Walking yaml-cpp nodes with their locations: a diagnostics sink, mappings read entry by
// entry (yaml-cpp keeps duplicate keys and silently returns the first on lookup, so we
// report them ourselves; nor does it implement `<<` merge keys, so we resolve them here),
// and typed readers for scalar values.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/loader.hpp"
#include "core/model.hpp"

namespace router::config {

// Collects the diagnostics of one file; never stops at the first.
class Sink {
public:
  explicit Sink(std::string file) : m_file(std::move(file)) {}
  // Records an error at `at`.
  void error(core::Location at, std::string message);
  // Records a warning at `at`.
  void warning(core::Location at, std::string message);
  // True once any error was recorded.
  bool has_errors() const { return m_errors > 0; }
  // The diagnostics so far, sorted by position (file-wide ones first); empties the sink.
  std::vector<Diagnostic> take();

private:
  std::string m_file;
  std::vector<Diagnostic> m_diagnostics;
  std::size_t m_errors = 0;
};

// The 1-based location of a node (0:0 when the node has none).
core::Location location_of(const YAML::Node& node);
// "line L, column C", for messages pointing at an earlier place.
std::string describe(core::Location at);

// One key of a mapping and its value.
struct Field {
  std::string key;
  YAML::Node value;
  core::Location key_at;
  // Where to point at the value: its own location, or the key's when the value is empty.
  core::Location value_at() const;
};

// The entries of a mapping, each key once, with `<<: *anchor` and `<<: [*a, *b]` merged in
// (keys written in the mapping win, then earlier maps over later; merged entries keep the
// anchor's locations). Reports non-scalar keys, duplicate keys (at the second occurrence)
// and, when `allowed` is given, unknown keys with a suggestion.
class Mapping {
public:
  // Whether keys starting with "x-" are ignored (places to hold anchors, as in compose files).
  enum class Extensions { refused, ignored };
  // `where` completes messages: "in pool 'sales'", "at the top level".
  Mapping(const YAML::Node& node, const std::vector<std::string>* allowed, std::string where,
          Sink& sink, Extensions extensions = Extensions::refused);
  // The entry for `key`; nullptr when absent.
  const Field* get(std::string_view key) const;
  // Every entry, in file order, duplicates left out.
  const std::vector<Field>& fields() const { return m_fields; }

private:
  std::vector<Field> m_fields;
};

// A scalar value as text; reports and returns nullopt when it is missing or not a scalar.
std::optional<std::string> read_string(const Field& f, Sink& sink);
// A whole number at least `min`.
std::optional<long long> read_integer(const Field& f, long long min, Sink& sink);
// A finite number (must be > 0 when `positive`).
std::optional<double> read_number(const Field& f, bool positive, Sink& sink);
// true or false (also yes/no, on/off).
std::optional<bool> read_bool(const Field& f, Sink& sink);
// A duration such as 15m or 1h30m.
std::optional<core::Duration> read_duration(const Field& f, Sink& sink);

// A scalar with its location.
struct Item {
  std::string text;
  core::Location at;
};
// A list of scalars; an empty value is an empty list, a lone scalar an error naming the fix.
std::optional<std::vector<Item>> read_list(const Field& f, Sink& sink);

// Reports a value of the wrong shape: "'KEY' must be WHAT".
void expect(const Field& f, const char* what, Sink& sink);

// Reports a value that is not a list; a lone scalar gets the fix: "write KEY: [VALUE]".
void expect_list(const Field& f, const char* what, Sink& sink);

}  // namespace router::config
