#pragma once
// Test helper: loads YAML text through a real temporary file and lists the diagnostics as
// "LINE:COLUMN: error|warning: message" (the file name left out, as it varies).

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <doctest/doctest.h>

#include "config/loader.hpp"

namespace router::test {

// A file in a fresh temporary folder, removed with the object.
class TempConfig {
public:
  explicit TempConfig(const std::string& text) {
    static std::atomic<int> counter{0};
    m_dir = std::filesystem::temp_directory_path() /
            ("router_config_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::create_directories(m_dir);
    m_file = m_dir / "router.yaml";
    std::ofstream(m_file) << text;
  }
  ~TempConfig() {
    std::error_code ec;
    std::filesystem::remove_all(m_dir, ec);
  }
  TempConfig(const TempConfig&) = delete;
  TempConfig& operator=(const TempConfig&) = delete;
  // The config file's path.
  const std::filesystem::path& file() const { return m_file; }
  // Its folder.
  const std::filesystem::path& dir() const { return m_dir; }

private:
  std::filesystem::path m_dir;
  std::filesystem::path m_file;
};

// "LINE:COLUMN: severity: message" for each diagnostic.
inline std::vector<std::string> lines_of(const config::LoadResult& result) {
  std::vector<std::string> out;
  for (const auto& d : result.diagnostics) {
    out.push_back(std::to_string(d.line) + ":" + std::to_string(d.column) + ": " +
                  (d.severity == config::Diagnostic::Severity::error ? "error: " : "warning: ") +
                  d.message);
  }
  return out;
}

// Loads `text` and returns its diagnostics as lines.
inline std::vector<std::string> problems(const std::string& text) {
  TempConfig tmp(text);
  return lines_of(config::load(tmp.file()));
}

// A valid preamble for snippets: one agent in one pool, and a catch-all rule.
inline const char* k_base = R"(version: 1
agents:
  - id: tom
pools:
  sales:
    members: [tom]
rules:
  - name: all
    pool: sales
)";

}  // namespace router::test

// Failing checks on lists of lines print every line.
template <> struct doctest::StringMaker<std::vector<std::string>> {
  static doctest::String convert(const std::vector<std::string>& lines) {
    std::string out = "{";
    for (const auto& line : lines) {
      out += "\n  \"" + line + "\"";
    }
    return (out + "}").c_str();
  }
};
