#pragma once
// Loads and validates the YAML configuration into core::Config, keeping every problem
// with its file, line and column.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/model.hpp"

namespace router::config {

// One problem found in the configuration.
struct Diagnostic {
  enum class Severity { error, warning };
  Severity severity = Severity::error;
  std::string file;
  int line = 0;    // 1-based; 0 when the whole file is meant
  int column = 0;  // 1-based; 0 when unknown
  std::string message;
};

// The outcome of loading: the model when there was no error, and every diagnostic.
struct LoadResult {
  std::optional<core::Config> config;
  std::vector<Diagnostic> diagnostics;
  // Number of diagnostics of the given severity.
  std::size_t count(Diagnostic::Severity severity) const;
};

// Reads, parses and validates `file`. Never throws for problems in the file: they are
// diagnostics, and `config` is empty when any is an error.
LoadResult load(const std::filesystem::path& file);
// Parses and validates `text` as the contents of `file` (which is not read again), so the
// configuration cache can build the model from exactly the bytes it compared.
LoadResult load_text(const std::string& text, const std::filesystem::path& file);

// "FILE:LINE:COLUMN: error: message" (LINE/COLUMN left out when unknown).
std::string format_text(const Diagnostic& d);
// "::error file=FILE,line=LINE,col=COLUMN::message" for GitHub Actions.
std::string format_github(const Diagnostic& d);

}  // namespace router::config
