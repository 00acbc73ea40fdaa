#pragma once
// One register_<command>(app, ctx) per subcommand file; each adds its options and callback.

namespace CLI {
class App;
}

namespace router::cli {

class Context;

// Adds every subcommand to `app`.
void register_commands(CLI::App& app, Context& ctx);

void register_init(CLI::App& app, Context& ctx);
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
void register_agent(CLI::App& app, Context& ctx);
void register_outcome(CLI::App& app, Context& ctx);
void register_events(CLI::App& app, Context& ctx);
void register_notify(CLI::App& app, Context& ctx);
void register_explain(CLI::App& app, Context& ctx);
void register_help(CLI::App& app, Context& ctx);

}  // namespace router::cli
