#include "cli/commands.hpp"

#include <CLI/CLI.hpp>

namespace router::cli {

void register_commands(CLI::App& app, Context& ctx) {
  (void)app;
  (void)ctx;
}

}  // namespace router::cli
