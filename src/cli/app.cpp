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

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  Context ctx(out, err);
  CLI::App app{"router: route sales leads to agents, keep the promise, report the sharing",
               "router"};
  app.set_help_flag("-h,--help", "print this help and exit");
  app.set_version_flag("-V,--version", "router " ROUTER_VERSION, "print the version and exit");
  app.require_subcommand(1);
  // Subcommands hand unknown options up to the main app, so global options may follow
  // the subcommand: `router assign --now T` equals `router --now T assign`.
  app.fallthrough();
  add_global_options(app, ctx.options);
  register_commands(app, ctx);
  ctx.attach(app);

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

}  // namespace router::cli
