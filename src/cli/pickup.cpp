// `router pickup --agent A [--pool P] [--lead L]`: an agent pulls a queued lead.
#include <ostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/declare.hpp"
#include "engine/pickup.hpp"
#include "store/database.hpp"

namespace router::cli {
namespace {

struct PickupArgs {
  std::string agent;
  std::string pool;
  std::string lead;
};

std::optional<std::string> given(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional<std::string>{s};
}

void run_pickup(Context& ctx, const PickupArgs& args) {
  const Format format = ctx.format();
  const auto& config = ctx.config();
  auto db = store::Database::open(ctx.db_path(), ctx.busy_timeout());
  const auto r =
      engine::pickup(db, config, ctx.clock().now(), args.agent, given(args.pool), given(args.lead));
  if (format == Format::json) {
    ctx.out() << nlohmann::ordered_json{{"lead", r.lead},
                                        {"agent", r.agent},
                                        {"pool", r.pool},
                                        {"from", r.from}}
                     .dump()
              << '\n';
  } else if (!ctx.options.quiet) {
    ctx.out() << r.lead << ": picked up by " << r.agent << " from "
              << (r.from == "open_pool" ? "pool " + r.pool
                                        : "the manual queue (pool " + r.pool + ")")
              << '\n';
  }
}

}  // namespace

void register_pickup(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<PickupArgs>();
  auto* cmd = app.add_subcommand("pickup", "an agent pulls a queued lead (oldest first)");
  cmd->add_option("--agent", args->agent, "the agent pulling")->required()->type_name("AGENT");
  cmd->add_option("--pool", args->pool, "only from this pool")->type_name("POOL");
  cmd->add_option("--lead", args->lead, "this lead rather than the oldest")->type_name("LEAD");
  honour(*cmd, ctx, k_reads | k_quiet | k_now, {Format::text, Format::json});
  cmd->callback([&ctx, args] { run_pickup(ctx, *args); });
}

}  // namespace router::cli
