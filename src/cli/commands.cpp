#include "cli/commands.hpp"

#include <CLI/CLI.hpp>

#include "cli/completion.hpp"

namespace router::cli {

void register_commands(CLI::App& app, Context& ctx) {
  register_validate(app, ctx);
  register_init(app, ctx);
  register_ingest(app, ctx);
  register_assign(app, ctx);
  register_claim(app, ctx);
  register_decline(app, ctx);
  register_sweep(app, ctx);
  register_touch(app, ctx);
  register_reassign(app, ctx);
  register_pickup(app, ctx);
  register_report(app, ctx);
  register_outcome(app, ctx);
  register_agent(app, ctx);
  register_explain(app, ctx);
  register_events(app, ctx);
  register_notify(app, ctx);
  register_help(app, ctx);
  register_completion(app, ctx);
}

}  // namespace router::cli
