// `router claim LEAD --agent A`: an agent accepts an offer.
#include <ostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/declare.hpp"
#include "engine/offers.hpp"
#include "store/database.hpp"
#include "util/time.hpp"

namespace router::cli {
namespace {

struct ClaimArgs {
  std::string lead;
  std::string agent;
};

void run_claim(Context& ctx, const ClaimArgs& args) {
  const Format format = ctx.format();
  const auto& config = ctx.config();
  auto db = store::Database::open(ctx.db_path(), ctx.busy_timeout());
  const auto r = engine::claim(db, config, ctx.clock().now(), args.lead, args.agent);
  if (format == Format::json) {
    ctx.out() << nlohmann::ordered_json{{"lead", r.lead},
                                        {"agent", r.agent},
                                        {"pool", r.pool ? nlohmann::json(*r.pool)
                                                        : nlohmann::json(nullptr)},
                                        {"seconds_to_claim", r.seconds_to_claim},
                                        {"withdrawn", r.withdrawn}}
                     .dump()
              << '\n';
  } else if (!ctx.options.quiet) {
    ctx.out() << r.lead << ": claimed by " << r.agent << " after "
              << util::format_duration(r.seconds_to_claim);
    if (!r.withdrawn.empty()) {
      ctx.out() << "; offers to " << r.withdrawn.size() << " others withdrawn";
    }
    ctx.out() << '\n';
  }
}

}  // namespace

void register_claim(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ClaimArgs>();
  auto* cmd = app.add_subcommand("claim", "an agent accepts the lead offered to them");
  cmd->add_option("LEAD", args->lead, "the lead")->required()->type_name("");
  cmd->add_option("--agent", args->agent, "the agent claiming")->required()->type_name("AGENT");
  honour(*cmd, ctx, k_reads | k_quiet | k_now, {Format::text, Format::json});
  cmd->callback([&ctx, args] { run_claim(ctx, *args); });
}

}  // namespace router::cli
