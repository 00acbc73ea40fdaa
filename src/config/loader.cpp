// TEMPORARY minimal loader: reads `database` and `timezone` only. Replaced by the full
// loader and validator.
#include "config/loader.hpp"

#include <yaml-cpp/yaml.h>

namespace router::config {

std::size_t LoadResult::count(Diagnostic::Severity severity) const {
  std::size_t n = 0;
  for (const auto& d : diagnostics) {
    n += d.severity == severity ? 1 : 0;
  }
  return n;
}

LoadResult load(const std::filesystem::path& file) {
  LoadResult result;
  try {
    const YAML::Node root = YAML::LoadFile(file.string());
    core::Config config;
    config.timezone = root["timezone"] ? root["timezone"].as<std::string>() : "UTC";
    config.zone = date::locate_zone(config.timezone);
    if (root["database"]) {
      std::filesystem::path db = root["database"].as<std::string>();
      config.database = db.is_absolute() ? db.string() : (file.parent_path() / db).string();
    }
    config.reindex();
    result.config = std::move(config);
  } catch (const std::exception& e) {
    result.diagnostics.push_back({Diagnostic::Severity::error, file.string(), 0, 0, e.what()});
  }
  return result;
}

std::string format_text(const Diagnostic& d) {
  std::string out = d.file;
  if (d.line > 0) {
    out += ":" + std::to_string(d.line);
    if (d.column > 0) {
      out += ":" + std::to_string(d.column);
    }
  }
  out += d.severity == Diagnostic::Severity::error ? ": error: " : ": warning: ";
  return out + d.message;
}

std::string format_github(const Diagnostic& d) {
  std::string out = d.severity == Diagnostic::Severity::error ? "::error file=" : "::warning file=";
  out += d.file;
  if (d.line > 0) {
    out += ",line=" + std::to_string(d.line);
    if (d.column > 0) {
      out += ",col=" + std::to_string(d.column);
    }
  }
  return out + "::" + d.message;
}

}  // namespace router::config
