#include "cli/app.hpp"

#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/declare.hpp"
#include "cli/print.hpp"
#include "cli/usage.hpp"
#include "util/error.hpp"

namespace router::cli {

namespace {

// Thrown by a lazy attempt whose parse failed: the whole command line decides.
struct NeedsEveryCommand {};

int run_with(int argc, const char* const* argv, std::ostream& out, std::ostream& err,
             const std::vector<std::string_view>& only) {
  Context ctx(out, err);
  // The process ends after this run: its configuration is not worth freeing.
  struct KeepConfig {
    Context& ctx;
    ~KeepConfig() { ctx.keep_config_past_exit(); }
  } const keep_config{ctx};
  CLI::App app{"router: route sales leads to agents, keep the promise, report the sharing",
               "router"};
  app.set_help_flag("-h,--help", "print this help and exit");
  app.set_version_flag("-V,--version", "router " ROUTER_VERSION, "print the version and exit");
  app.require_subcommand(1);
  // Subcommands hand unknown options up to the main app, so global options may follow
  // the subcommand: `router assign --now T` equals `router --now T assign`.
  app.fallthrough();
  add_global_options(app, ctx.options);
  register_commands(app, ctx, only);
  ctx.attach(app);

  // A lazy attempt leaves every parse error (help, version and usage errors, which suggest
  // commands by name) to the whole command line; one is raised before any command runs.
  const auto parse = [&] {
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError&) {
      if (!only.empty()) {
        throw NeedsEveryCommand{};
      }
      throw;
    }
  };
  try {
    try {
      parse();
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
      throw util::UsageError(usage_message(app, e));
    }
  } catch (const util::Error& e) {
    if (e.what()[0] != '\0') {
      err << error_priority() << "router: " << e.what() << '\n';
    }
    return static_cast<int>(e.status());
  }
  return 0;
}

}  // namespace

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  // Only the commands argv names are registered: a parse cannot choose another, and
  // registering all of them costs a tenth of a one-lead assign (bench/README.md). Anything
  // but a clean parse is decided again with every command, so help and errors are the same.
  if (const auto named = commands_named(argc, argv); !named.empty()) {
    try {
      return run_with(argc, argv, out, err, named);
    } catch (const NeedsEveryCommand&) {
    }
  }
  return run_with(argc, argv, out, err, {});
}

}  // namespace router::cli
