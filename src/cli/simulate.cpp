// `router simulate --with NEW.yaml [--since T] [--until T] [--sla D]`: replays the period's
// leads through the current configuration and through NEW, each in a scratch database, and
// prints both with their differences. The database is only read.
#include <ostream>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/declare.hpp"
#include "cli/simulate_text.hpp"
#include "core/syntax.hpp"
#include "engine/report.hpp"
#include "engine/simulate.hpp"
#include "store/database.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

namespace router::cli {
namespace {

struct SimulateArgs {
  std::string with;
  std::string since;
  std::string until;
  std::string sla;
};

void run_simulate(Context& ctx, const SimulateArgs& args) {
  const Format format = ctx.format();
  const core::Time now = ctx.clock().now();
  const auto& config = ctx.config();
  engine::SimulateRequest request;
  request.since = args.since.empty() ? engine::start_of_month(config.zone, now)
                                     : parse_period_time("--since", args.since, config.zone);
  // The period includes the second at `now` when --until is not given, as in `report`.
  request.until = args.until.empty() ? now + core::Duration{1}
                                     : parse_period_time("--until", args.until, config.zone);
  if (request.until <= request.since) {
    throw util::UsageError("--until (" + util::format_rfc3339(request.until) +
                           ") must be after --since (" + util::format_rfc3339(request.since) + ")");
  }
  if (!args.sla.empty()) {
    const auto parsed = core::parse_duration(args.sla);
    if (!parsed) {
      throw util::UsageError("--sla: " + parsed.error);
    }
    if (parsed.value->count() <= 0) {
      throw util::UsageError("--sla must be longer than 0s");
    }
    request.sla = *parsed.value;
  }
  request.seed = ctx.options.seed;
  // NEW, loaded and validated like --config: its errors printed, then exit 78.
  const core::Config proposed = ctx.load_config(args.with, "router validate --config " + args.with);
  auto db = store::Database::open_read_only(ctx.db_path(), ctx.busy_timeout());
  const auto result = engine::simulate(db, config, proposed, request);
  const std::string current_name = ctx.config_path().string();
  if (format == Format::json) {
    ctx.out() << simulate_json(result, current_name, args.with).dump() << '\n';
  } else if (format == Format::csv) {
    ctx.out() << simulate_csv(result);
  } else if (!ctx.options.quiet) {
    ctx.out() << simulate_text(result, current_name, args.with);
  }
}

}  // namespace

void register_simulate(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<SimulateArgs>();
  auto* cmd = app.add_subcommand(
      "simulate",
      "replay the period's history under NEW beside the current config; writes nothing");
  cmd->add_option("--with", args->with, "the proposed configuration file")
      ->required()
      ->type_name("NEW.yaml");
  cmd->add_option("--since", args->since,
                  "start of the period, RFC 3339 or a plain date (default: start of this month)")
      ->type_name("TIME");
  cmd->add_option("--until", args->until, "end of the period, exclusive (default: now, inclusive)")
      ->type_name("TIME");
  cmd->add_option("--sla", args->sla,
                  "count offers that waited longer than this (default: each pool's claim_timeout)")
      ->type_name("DURATION");
  honour(*cmd, ctx, k_reads | k_now | k_seed, {Format::text, Format::json, Format::csv});
  cmd->callback([&ctx, args] { run_simulate(ctx, *args); });
}

}  // namespace router::cli
