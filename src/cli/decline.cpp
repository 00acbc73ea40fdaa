// `router decline LEAD --agent A`: an agent refuses an offer; the lead moves on at once.
#include <ostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/declare.hpp"
#include "cli/print.hpp"
#include "engine/decision_json.hpp"
#include "engine/reoffer.hpp"
#include "store/database.hpp"

namespace router::cli {
namespace {

struct DeclineArgs {
  std::string lead;
  std::string agent;
};

void run_decline(Context& ctx, const DeclineArgs& args) {
  const Format format = ctx.format();
  const auto& config = ctx.config();
  auto db = store::Database::open(ctx.db_path(), ctx.busy_timeout());
  const auto r =
      engine::decline(db, config, ctx.clock().now(), ctx.random(), args.lead, args.agent);
  if (format == Format::json) {
    ctx.out() << nlohmann::ordered_json{{"lead", r.declined.lead},
                                        {"agent", r.declined.agent},
                                        {"declined", true},
                                        {"next", r.next ? engine::to_json(*r.next)
                                                        : nlohmann::json(nullptr)}}
                     .dump()
              << '\n';
    return;
  }
  if (ctx.options.quiet) {
    return;
  }
  ctx.out() << r.declined.lead << ": declined by " << r.declined.agent << '\n';
  if (r.next) {
    ctx.out() << decision_line(*r.next) << '\n';
  } else {
    ctx.out() << r.declined.lead << ": still offered to the others\n";
  }
}

}  // namespace

void register_decline(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<DeclineArgs>();
  auto* cmd = app.add_subcommand("decline", "an agent refuses an offer; the lead moves on at once");
  cmd->add_option("LEAD", args->lead, "the lead")->required()->type_name("");
  cmd->add_option("--agent", args->agent, "the agent declining")->required()->type_name("AGENT");
  honour(*cmd, ctx, k_reads | k_quiet | k_now | k_seed, {Format::text, Format::json});
  cmd->callback([&ctx, args] { run_decline(ctx, *args); });
}

}  // namespace router::cli
