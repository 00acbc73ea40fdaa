#include "cli/declare.hpp"

#include <charconv>

#include <CLI/CLI.hpp>

#include "util/error.hpp"
#include "util/strings.hpp"
#include "util/time.hpp"

namespace router::cli {
namespace {

// The name of the validator one_of() adds; choices() looks for it.
constexpr const char* k_choices = "choices";

// True when --help was given to the app or to a subcommand on the command line: help
// is printed whatever else is wrong.
bool help_requested(const CLI::App& app) {
  if (const auto* help = app.get_help_ptr(); help && help->count() > 0) {
    return true;
  }
  for (const auto* sub : app.get_subcommands()) {
    if (help_requested(*sub)) {
      return true;
    }
  }
  return false;
}

// True when a chosen command was given its own copy of the global option `name`, which
// then wins over the main app's (and over the environment's value there).
bool given_to_command(const CLI::App& app, const std::string& name) {
  for (const auto* sub : app.get_subcommands()) {
    const auto options = sub->get_options(
        [&name](const CLI::Option* o) { return o->check_name(name) && o->count() > 0; });
    if (!options.empty() || given_to_command(*sub, name)) {
      return true;
    }
  }
  return false;
}

// Checks --now as it is parsed, so every command refuses a bad time the same way, before its
// own arguments are checked; an empty $ROUTER_NOW counts as unset, an empty --now does not.
void check_now(CLI::Option* now, const CLI::App& root, bool on_main) {
  now->each([&root, on_main](const std::string& text) {
    if (!help_requested(root) && !(on_main && given_to_command(root, "--now"))) {
      parse_now(text);
    }
  });
}

const CLI::App& root_of(const CLI::App& app) {
  const CLI::App* at = &app;
  while (at->get_parent() != nullptr) {
    at = at->get_parent();
  }
  return *at;
}

}  // namespace

void add_global_options(CLI::App& app, GlobalOptions& o) {
  app.add_option("--config", o.config,
                 "configuration file (default: ./router.yaml, else /etc/router/router.yaml)")
      ->envname("ROUTER_CONFIG")
      ->type_name("FILE");
  app.add_option("--db", o.db,
                 "database file or postgresql:// URI (default: the config's `database`)")
      ->envname("ROUTER_DB")
      ->type_name("FILE");
  auto* now = app.add_option("--now", o.now, "current time, RFC 3339 (for replay and tests)")
                  ->envname("ROUTER_NOW")
                  ->type_name("TIME");
  check_now(now, app, true);
  whole_number(
      app.add_option("--seed", o.seed, "seed for the random strategies")->envname("ROUTER_SEED"), 0,
      "N");
  app.add_option("--busy-timeout", o.busy_timeout,
                 "how long to wait for another process's write lock (default: 5s)")
      ->type_name("DURATION");
  app.add_option("--format", o.format, "output format, as the command accepts (see its --help)")
      ->type_name("text|json|csv|github");
  app.add_flag("-q,--quiet", o.quiet, "print only errors");
  app.add_flag_function(
      "-v,--verbose", [&o](std::int64_t n) { o.verbose += static_cast<int>(n); },
      "print more (repeatable)");
}

void honour(CLI::App& cmd, Context& ctx, unsigned globals, std::vector<Format> formats) {
  GlobalOptions& o = ctx.options;
  const CLI::App& root = root_of(cmd);
  if (!formats.empty()) {
    std::vector<std::string> names;
    for (const Format f : formats) {
      names.emplace_back(to_string(f));
    }
    one_of(cmd.add_option("--format", o.format, "output format (default: " + names.front() + ")"),
           names)
        ->group(k_global_group);
  }
  if ((globals & k_now) != 0) {
    auto* now = cmd.add_option("--now", o.now, "current time, RFC 3339 (default: the clock)")
                    ->type_name("TIME")
                    ->group(k_global_group);
    check_now(now, root, false);
  }
  if ((globals & k_config) != 0) {
    cmd.add_option("--config", o.config,
                   "configuration file (default: ./router.yaml, else /etc/router/router.yaml)")
        ->type_name("FILE")
        ->group(k_global_group);
  }
  if ((globals & k_db) != 0) {
    cmd.add_option("--db", o.db,
                   "database file or postgresql:// URI (default: the config's `database`)")
        ->type_name("FILE")
        ->group(k_global_group);
  }
  if ((globals & k_seed) != 0) {
    whole_number(cmd.add_option("--seed", o.seed, "seed for the random strategies"), 0, "N")
        ->group(k_global_group);
  }
  if ((globals & k_busy_timeout) != 0) {
    cmd.add_option("--busy-timeout", o.busy_timeout,
                   "wait this long for another process's write lock (default: 5s)")
        ->type_name("DURATION")
        ->group(k_global_group);
  }
  if ((globals & k_quiet) != 0) {
    cmd.add_flag("-q,--quiet", o.quiet, "print only errors")->group(k_global_group);
  }
  if ((globals & k_verbose) != 0) {
    cmd.add_flag_function(
           "-v,--verbose", [&o](std::int64_t n) { o.verbose += static_cast<int>(n); },
           "print more (repeatable)")
        ->group(k_global_group);
  }
}

CLI::Option* one_of(CLI::Option* option, const std::vector<std::string>& values) {
  std::string joined;
  for (const auto& v : values) {
    joined += (joined.empty() ? "" : "|") + v;
  }
  CLI::Validator check(
      [values](std::string& text) -> std::string {
        for (const auto& v : values) {
          if (text == v) {
            return {};
          }
        }
        return not_one_of(values, text);
      },
      "", k_choices);
  return option->check(check)->type_name(joined);
}

std::vector<std::string> choices(CLI::Option& option) {
  try {
    option.get_validator(k_choices);
  } catch (const CLI::OptionNotFound&) {
    return {};
  }
  std::vector<std::string> values;
  const std::string joined = option.get_type_name();
  for (const auto piece : util::split(joined, '|')) {
    values.emplace_back(piece);
  }
  return values;
}

CLI::Option* whole_number(CLI::Option* option, long long min, const std::string& placeholder) {
  CLI::Validator check(
      [min](std::string& text) -> std::string {
        long long value = 0;
        const char* end = text.data() + text.size();
        const auto [at, error] = std::from_chars(text.data(), end, value);
        if (text.empty() || error != std::errc{} || at != end) {
          return "must be a whole number, not '" + text + "'";
        }
        if (value < min) {
          return min == 0 ? "must be 0 or more" : "must be at least " + std::to_string(min);
        }
        return {};
      },
      "", "whole number");
  return option->check(check)->type_name(placeholder);
}

std::vector<Format> declared_formats(CLI::App& cmd) {
  if (cmd.get_parent() == nullptr) {
    return {};
  }
  CLI::Option* option = cmd.get_option_no_throw("--format");
  if (option == nullptr) {
    return {};
  }
  std::vector<Format> formats;
  for (const auto& name : choices(*option)) {
    for (const Format f : {Format::text, Format::json, Format::github, Format::csv}) {
      if (name == to_string(f)) {
        formats.push_back(f);
      }
    }
  }
  return formats;
}

CLI::App& chosen_command(CLI::App& app) {
  CLI::App* at = &app;
  while (!at->get_subcommands().empty()) {
    at = at->get_subcommands().front();
  }
  return *at;
}

std::string command_path(const CLI::App& cmd) {
  if (cmd.get_parent() == nullptr) {
    return cmd.get_name();
  }
  return command_path(*cmd.get_parent()) + " " + cmd.get_name();
}

std::string not_one_of(const std::vector<std::string>& values, const std::string& text) {
  std::string message = "must be " + alternatives(values) + ", not '" + text + "'";
  if (const auto near = util::nearest(text, values)) {
    message += "; did you mean '" + *near + "'?";
  }
  return message;
}

std::string alternatives(const std::vector<std::string>& values) {
  std::string text;
  for (std::size_t i = 0; i < values.size(); ++i) {
    text += i == 0 ? "" : (i + 1 == values.size() ? " or " : ", ");
    text += values[i];
  }
  return text;
}

util::Time parse_period_time(const std::string& option, const std::string& text,
                             const util::Zone* zone) {
  const auto t = util::parse_time_or_date(text, zone);
  if (!t) {
    throw util::UsageError(option + ": '" + text +
                           "' is not an RFC 3339 time or a date (e.g. 2026-11-01T00:00:00Z, "
                           "2026-11-01)");
  }
  return *t;
}

}  // namespace router::cli
