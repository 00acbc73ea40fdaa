// `router help [COMMAND...]`: the same text as `router [COMMAND...] --help`.
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/declare.hpp"
#include "cli/usage.hpp"
#include "util/error.hpp"

namespace router::cli {
namespace {

void run_help(Context& ctx, CLI::App& app, const std::vector<std::string>& words) {
  CLI::App* target = &app;
  for (const auto& word : words) {
    const auto found =
        target->get_subcommands([&word](const CLI::App* sub) { return sub->get_name() == word; });
    if (found.empty()) {
      throw util::UsageError(pointing_to_help(unknown_command(*target, word), *target));
    }
    target = found.front();
  }
  ctx.out() << target->get_formatter()->make_help(target, command_path(*target),
                                                  CLI::AppFormatMode::Normal);
}

}  // namespace

void register_help(CLI::App& app, Context& ctx) {
  auto words = std::make_shared<std::vector<std::string>>();
  auto* cmd = app.add_subcommand("help", "print the help of router or of a command");
  cmd->add_option("COMMAND", *words, "the command (and its subcommand), e.g. agent set")
      ->type_name("");
  cmd->callback([&ctx, &app, words] { run_help(ctx, app, *words); });
}

}  // namespace router::cli
