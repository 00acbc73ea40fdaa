#include "cli/commands.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/completion.hpp"

namespace router::cli {
namespace {

struct Command {
  std::string_view name;
  void (*add)(CLI::App&, Context&);
};

// In the order help lists them.
constexpr Command k_commands[] = {
    {"validate", register_validate},     {"init", register_init},
    {"ingest", register_ingest},         {"assign", register_assign},
    {"claim", register_claim},           {"decline", register_decline},
    {"sweep", register_sweep},           {"touch", register_touch},
    {"reassign", register_reassign},     {"pickup", register_pickup},
    {"report", register_report},         {"coverage", register_coverage},
    {"outcome", register_outcome},       {"agent", register_agent},
    {"explain", register_explain},       {"events", register_events},
    {"notify", register_notify},         {"migrate", register_migrate},
    {"simulate", register_simulate},     {"help", register_help},
    {"completion", register_completion},
};

}  // namespace

void register_commands(CLI::App& app, Context& ctx, const std::vector<std::string_view>& only) {
  for (const auto& command : k_commands) {
    if (!only.empty() && std::find(only.begin(), only.end(), command.name) == only.end()) {
      continue;
    }
    command.add(app, ctx);
    // The table must name what each function registers, or a lazy parse would miss it.
    const auto subs = app.get_subcommands([](const CLI::App*) { return true; });
    if (subs.empty() || subs.back()->get_name() != command.name) {
      throw std::logic_error("register_commands: the table does not name " +
                             std::string(command.name));
    }
  }
}

std::vector<std::string_view> commands_named(int argc, const char* const* argv) {
  std::vector<std::string_view> named;
  for (int i = 1; i < argc; ++i) {
    const std::string_view word = argv[i];
    for (const auto& command : k_commands) {
      if (word == command.name &&
          std::find(named.begin(), named.end(), command.name) == named.end()) {
        if (command.name == "help" || command.name == "completion") {
          return {};
        }
        named.push_back(command.name);
      }
    }
  }
  return named;
}

}  // namespace router::cli
