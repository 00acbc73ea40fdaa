#pragma once
// One register_<command>(app, ctx) per subcommand file; each adds its options and callback.

#include <string_view>
#include <vector>

namespace CLI {
class App;
}

namespace router::cli {

class Context;

// Adds every subcommand to `app`, or when `only` is not empty only the top-level commands
// named in it, in the same order. Registering all 18 costs a tenth of a short run.
void register_commands(CLI::App& app, Context& ctx, const std::vector<std::string_view>& only = {});

// The top-level commands whose names are words of argv: the only ones a parse of argv can
// choose. Empty when none is, or when help or completion is (they list every command).
std::vector<std::string_view> commands_named(int argc, const char* const* argv);

void register_init(CLI::App& app, Context& ctx);
void register_migrate(CLI::App& app, Context& ctx);
void register_validate(CLI::App& app, Context& ctx);
void register_ingest(CLI::App& app, Context& ctx);
void register_assign(CLI::App& app, Context& ctx);
void register_claim(CLI::App& app, Context& ctx);
void register_decline(CLI::App& app, Context& ctx);
void register_sweep(CLI::App& app, Context& ctx);
void register_touch(CLI::App& app, Context& ctx);
void register_pickup(CLI::App& app, Context& ctx);
void register_reassign(CLI::App& app, Context& ctx);
void register_report(CLI::App& app, Context& ctx);
void register_coverage(CLI::App& app, Context& ctx);
void register_simulate(CLI::App& app, Context& ctx);
void register_agent(CLI::App& app, Context& ctx);
void register_outcome(CLI::App& app, Context& ctx);
void register_events(CLI::App& app, Context& ctx);
void register_notify(CLI::App& app, Context& ctx);
void register_explain(CLI::App& app, Context& ctx);
void register_help(CLI::App& app, Context& ctx);

}  // namespace router::cli
