#include "cli/context.hpp"

#include <filesystem>
#include <ostream>
#include <system_error>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/declare.hpp"
#include "cli/print.hpp"
#include "cli/usage.hpp"
#include "config/cache.hpp"
#include "config/loader.hpp"
#include "core/syntax.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

namespace router::cli {

std::filesystem::path default_config_path(const std::filesystem::path& local,
                                          const std::filesystem::path& system) {
  // A local file that cannot be looked at (an error) counts as there: its load says why.
  std::error_code ec;
  const bool local_there = std::filesystem::exists(local, ec) || ec;
  return !local_there && std::filesystem::exists(system, ec) ? system : local;
}

std::filesystem::path Context::config_path() const {
  return options.config.empty() ? default_config_path() : std::filesystem::path{options.config};
}

const core::Config& Context::config() {
  if (m_config) {
    return *m_config;
  }
  const auto path = config_path();
  // Through the cache: the file is read every run, but a large one is parsed only when its
  // bytes change (SPEC §8). `validate` loads directly, as the checker.
  auto cached = config::load_cached(path, config::cache_dir_from_env(), config::Lifetime::process);
  if (options.verbose > 1) {
    m_err << "config: cache " << config::to_string(cached.status);
    m_err << (cached.entry.empty() ? "" : " " + cached.entry.string());
    m_err << (cached.detail.empty() ? "" : " (" + cached.detail + ")") << '\n';
  }
  m_config = std::make_unique<core::Config>(checked(cached.result, path, "router validate"));
  return *m_config;
}

core::Config Context::load_config(const std::filesystem::path& path, const std::string& hint) {
  auto result = config::load(path);
  return checked(result, path, hint);
}

core::Config Context::checked(config::LoadResult& result, const std::filesystem::path& path,
                              const std::string& hint) {
  for (const auto& d : result.diagnostics) {
    if (d.severity == config::Diagnostic::Severity::error || options.verbose > 0) {
      m_err << (d.severity == config::Diagnostic::Severity::error ? error_priority()
                                                                  : warning_priority())
            << config::format_text(d) << '\n';
    }
  }
  if (!result.config) {
    const auto errors = result.count(config::Diagnostic::Severity::error);
    throw util::ConfigError(path.string() + ": invalid configuration (" + std::to_string(errors) +
                            (errors == 1 ? " error" : " errors") + "); run '" + hint +
                            "' for details");
  }
  return std::move(*result.config);
}

void Context::keep_config_past_exit() {
  if (m_config) {
    static auto* const kept = new std::vector<std::unique_ptr<core::Config>>();
    kept->push_back(std::move(m_config));
  }
}

std::filesystem::path Context::db_path() {
  if (!options.db.empty()) {
    return options.db;
  }
  const auto& cfg = config();
  if (!cfg.database.empty()) {
    return cfg.database;
  }
  return config_path().parent_path() / "router.db";
}

const util::Clock& Context::clock() {
  if (!m_clock) {
    if (options.now.empty()) {
      m_clock = std::make_unique<util::SystemClock>();
    } else {
      m_clock = std::make_unique<util::FixedClock>(parse_now(options.now));
    }
  }
  return *m_clock;
}

util::Random& Context::random() {
  if (!m_random) {
    m_random = std::make_unique<util::Random>(options.seed ? util::Random(*options.seed)
                                                           : util::Random::unseeded());
  }
  return *m_random;
}

std::chrono::milliseconds Context::busy_timeout() const {
  if (options.busy_timeout == "0" || options.busy_timeout == "0s") {
    return std::chrono::milliseconds{0};
  }
  const auto parsed = core::parse_duration(options.busy_timeout);
  if (!parsed) {
    throw util::UsageError("--busy-timeout: " + parsed.error);
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(*parsed.value);
}

Format Context::format() const {
  CLI::App& cmd = chosen_command(*m_app);
  const auto accepted = declared_formats(cmd);
  if (accepted.empty()) {
    throw util::UsageError(command_path(cmd) + " has no --format");
  }
  if (options.format.empty()) {
    return accepted.front();
  }
  std::vector<std::string> names;
  for (const Format f : accepted) {
    if (options.format == to_string(f)) {
      return f;
    }
    names.emplace_back(to_string(f));
  }
  throw util::UsageError(pointing_to_help("--format " + not_one_of(names, options.format), cmd));
}

util::Time parse_now(const std::string& text) {
  const auto t = util::parse_rfc3339(text);
  if (!t) {
    throw util::UsageError("--now: '" + text + "' " + util::rfc3339_refusal(text) +
                           " (e.g. 2026-11-23T13:10:00Z)");
  }
  return *t;
}

const char* to_string(Format f) {
  switch (f) {
  case Format::text: return "text";
  case Format::json: return "json";
  case Format::github: return "github";
  case Format::csv: return "csv";
  }
  return "?";
}

}  // namespace router::cli
