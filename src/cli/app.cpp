#include "cli/app.hpp"

#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/print.hpp"
#include "util/error.hpp"

namespace router::cli {
namespace {

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

void add_global_options(CLI::App& app, GlobalOptions& o) {
  app.add_option("--config", o.config, "configuration file (default ./router.yaml)")
      ->envname("ROUTER_CONFIG");
  app.add_option("--db", o.db, "database file (default: the config's `database`)")
      ->envname("ROUTER_DB");
  // Checked as it is parsed, so every command refuses a bad time the same way, before its
  // own arguments are checked; an empty $ROUTER_NOW counts as unset, an empty --now does not.
  app.add_option("--now", o.now, "current time, RFC 3339 (for replay and tests)")
      ->envname("ROUTER_NOW")
      ->each([&app](const std::string& text) {
        if (!help_requested(app)) {
          parse_now(text);
        }
      });
  app.add_option("--seed", o.seed, "seed for the random strategies")->envname("ROUTER_SEED");
  app.add_option("--busy-timeout", o.busy_timeout,
                 "how long to wait for another process's write lock (default 5s)");
  app.add_option("--format", o.format, "output format: text, json (some: github, csv)");
  app.add_flag("-q,--quiet", o.quiet, "print only errors");
  app.add_flag("-v,--verbose", o.verbose, "print more (repeatable)");
}

}  // namespace

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  Context ctx(out, err);
  CLI::App app{"router: route sales leads to agents, keep the promise, report the sharing",
               "router"};
  app.set_version_flag("--version", "router " ROUTER_VERSION);
  app.require_subcommand(1);
  // Subcommands hand unknown options up to the main app, so global options may follow
  // the subcommand: `router assign --now T` equals `router --now T assign`.
  app.fallthrough();
  add_global_options(app, ctx.options);
  register_commands(app, ctx);

  try {
    try {
      app.parse(argc, argv);
    } catch (const CLI::CallForHelp&) {
      out << app.help();
      return 0;
    } catch (const CLI::CallForAllHelp&) {
      out << app.help("", CLI::AppFormatMode::All);
      return 0;
    } catch (const CLI::CallForVersion& e) {
      out << e.what() << '\n';
      return 0;
    } catch (const CLI::ParseError& e) {
      throw util::UsageError(e.what() + std::string("; see 'router --help'"));
    }
  } catch (const util::Error& e) {
    if (e.what()[0] != '\0') {
      err << error_priority() << "router: " << e.what() << '\n';
    }
    return static_cast<int>(e.status());
  }
  return 0;
}

}  // namespace router::cli
