// `router validate [--strict] [--coverage] [--format text|json|github]`: check the
// configuration the way CI does; exit 0, or 78 when invalid (with --strict, also when there
// are warnings). --coverage adds each coverage gap of the next 4 weeks as a warning.
#include <cstdlib>
#include <memory>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/coverage_text.hpp"
#include "cli/declare.hpp"
#include "config/loader.hpp"
#include "engine/coverage.hpp"
#include "util/error.hpp"

namespace router::cli {
namespace {

using Severity = config::Diagnostic::Severity;

std::string count(std::size_t n, const char* noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

// The format: --format when given; else github inside GitHub Actions; else text.
Format choose_format(const Context& ctx) {
  if (!ctx.options.format.empty()) {
    return ctx.format();
  }
  const char* actions = std::getenv("GITHUB_ACTIONS");
  return actions && std::string(actions) == "true" ? Format::github : Format::text;
}

nlohmann::ordered_json to_json(const config::LoadResult& result, const std::string& file,
                               bool valid, bool strict) {
  nlohmann::ordered_json diagnostics = nlohmann::ordered_json::array();
  for (const auto& d : result.diagnostics) {
    diagnostics.push_back({{"severity", d.severity == Severity::error ? "error" : "warning"},
                           {"file", d.file},
                           {"line", d.line},
                           {"column", d.column},
                           {"message", d.message}});
  }
  const auto errors = result.count(Severity::error);
  const auto warnings = result.count(Severity::warning);
  nlohmann::ordered_json summary = {{"errors", errors}, {"warnings", warnings}};
  // Counts of what was configured exist only for a loaded model.
  const auto size = [&](auto member) -> nlohmann::ordered_json {
    return result.config ? nlohmann::ordered_json(((*result.config).*member).size())
                         : nlohmann::ordered_json();
  };
  summary["agents"] = size(&core::Config::agents);
  summary["calendars"] = size(&core::Config::calendars);
  summary["schedules"] = size(&core::Config::schedules);
  summary["pools"] = size(&core::Config::pools);
  summary["rules"] = size(&core::Config::rules);
  return {{"file", file},      {"valid", valid},       {"strict", strict},
          {"errors", errors},  {"warnings", warnings}, {"diagnostics", diagnostics},
          {"summary", summary}};
}

std::string summary_line(const config::LoadResult& result, const std::string& file, bool valid) {
  const auto errors = result.count(Severity::error);
  const auto warnings = result.count(Severity::warning);
  if (valid) {
    const auto& c = *result.config;
    std::string line = file + ": valid (" + count(c.agents.size(), "agent") + ", " +
                       count(c.pools.size(), "pool") + ", " + count(c.rules.size(), "rule");
    return line + (warnings > 0 ? ", " + count(warnings, "warning") : "") + ")";
  }
  if (errors == 0) {
    return file + ": " + count(warnings, "warning") + " (invalid with --strict)";
  }
  return file + ": " + count(errors, "error") + ", " + count(warnings, "warning");
}

// Each coverage gap of a valid configuration as a warning: a pool's at the pool's line, a
// rule's at the rule's. Judged on the configuration alone (schedules, holidays, shifts):
// validate reads no database, so leaves are not known here.
void add_coverage_warnings(config::LoadResult& result, const std::string& file, core::Time now) {
  const core::Config& config = *result.config;
  const auto coverage = engine::coverage(config, {}, {now, 4, std::nullopt, std::nullopt});
  for (const auto& pool : coverage.pools) {
    for (const auto& line : gap_lines(pool)) {
      const core::Rule* rule = line.rule.empty() ? nullptr : config.find_rule(line.rule);
      const core::Location where = rule ? rule->where : config.find_pool(pool.pool)->where;
      result.diagnostics.push_back({Severity::warning, file, where.line, where.column,
                                    "coverage gap in pool '" + pool.pool + "' " + line.text});
    }
  }
}

void run_validate(Context& ctx, bool strict, bool coverage) {
  const Format format = choose_format(ctx);
  const std::string file = ctx.config_path().string();
  config::LoadResult result = config::load(ctx.config_path());
  if (coverage && result.config) {
    add_coverage_warnings(result, file, ctx.clock().now());
  }
  const bool valid = result.config.has_value() && !(strict && result.count(Severity::warning) > 0);
  if (format == Format::json) {
    ctx.out() << to_json(result, file, valid, strict).dump(2) << '\n';
  } else {
    for (const auto& d : result.diagnostics) {
      if (format == Format::github) {
        ctx.out() << config::format_github(d) << '\n';
      } else {
        ctx.err() << config::format_text(d) << '\n';
      }
    }
    if (!valid) {
      ctx.err() << summary_line(result, file, valid) << '\n';
    } else if (!ctx.options.quiet) {
      ctx.out() << summary_line(result, file, valid) << '\n';
    }
  }
  if (!valid) {
    // Everything was printed above; an empty message keeps main from repeating it.
    throw util::ConfigError("");
  }
}

}  // namespace

void register_validate(CLI::App& app, Context& ctx) {
  CLI::App* cmd =
      app.add_subcommand("validate", "check the configuration; exit 0, or 78 when invalid");
  auto strict = std::make_shared<bool>(false);
  auto coverage = std::make_shared<bool>(false);
  cmd->add_flag("--strict", *strict, "warnings make the configuration invalid too");
  cmd->add_flag("--coverage", *coverage,
                "warn of every coverage gap of the next 4 weeks (shifts, not leaves)");
  // Only an explicit --format overrides GITHUB_ACTIONS.
  honour(*cmd, ctx, k_config | k_quiet | k_now, {Format::text, Format::json, Format::github});
  cmd->callback([&ctx, strict, coverage] { run_validate(ctx, *strict, *coverage); });
}

}  // namespace router::cli
