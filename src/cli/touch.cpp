// `router touch LEAD [--agent A]`: records activity, restarting the stale_after clock.
#include <ostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/declare.hpp"
#include "engine/touch.hpp"
#include "store/database.hpp"
#include "util/time.hpp"

namespace router::cli {
namespace {

struct TouchArgs {
  std::string lead;
  std::string agent;
};

void run_touch(Context& ctx, const TouchArgs& args) {
  const Format format = ctx.format();
  const auto& config = ctx.config();
  auto db = store::Database::open(ctx.db_path(), ctx.busy_timeout());
  const util::Time now = ctx.clock().now();
  const auto agent = args.agent.empty() ? std::nullopt : std::optional<std::string>{args.agent};
  const auto r = engine::touch(db, config, now, args.lead, agent);
  if (format == Format::json) {
    ctx.out() << nlohmann::ordered_json{{"lead", r.lead},
                                        {"touched_at", util::format_rfc3339(now)},
                                        {"state", r.state}}
                     .dump()
              << '\n';
  } else if (!ctx.options.quiet) {
    ctx.out() << r.lead << ": touched at " << util::format_rfc3339(now) << '\n';
  }
}

}  // namespace

void register_touch(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<TouchArgs>();
  auto* cmd = app.add_subcommand("touch", "record activity on a lead (restarts its stale clock)");
  cmd->add_option("LEAD", args->lead, "the lead")->required()->type_name("");
  cmd->add_option("--agent", args->agent, "the owner recording it (refused for anyone else)")
      ->type_name("AGENT");
  honour(*cmd, ctx, k_reads | k_quiet | k_now, {Format::text, Format::json});
  cmd->callback([&ctx, args] { run_touch(ctx, *args); });
}

}  // namespace router::cli
