// `router coverage [--pool P] [--weeks N] [--since T]`: the hours when an open pool has nobody
// able to take a lead, rules that send leads to a closed pool and, with --since, the days the
// arrivals exceeded the daily limits of those on duty; exit 1 when there is any.
#include <ostream>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/coverage_text.hpp"
#include "cli/declare.hpp"
#include "engine/coverage.hpp"
#include "engine/offers.hpp"
#include "store/database.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

namespace router::cli {
namespace {

// The longest period judged: ten years of weeks.
constexpr int k_max_weeks = 520;

struct CoverageArgs {
  std::string pool;
  int weeks = 4;
  std::string since;
};

void run_coverage(Context& ctx, const CoverageArgs& args) {
  const Format format = ctx.format();
  if (args.weeks > k_max_weeks) {
    throw util::UsageError("--weeks must be at most " + std::to_string(k_max_weeks) +
                           "; see 'router coverage --help'");
  }
  const core::Time now = ctx.clock().now();
  const auto& config = ctx.config();
  engine::CoverageRequest request{now, args.weeks, std::nullopt, std::nullopt};
  if (!args.pool.empty()) {
    request.pool = args.pool;
  }
  if (!args.since.empty()) {
    request.since = parse_period_time("--since", args.since, config.zone);
    if (*request.since >= now) {
      throw util::UsageError("--since (" + util::format_rfc3339(*request.since) +
                             ") must be before now (" + util::format_rfc3339(now) + ")");
    }
  }
  // A bad --pool is refused before the database is opened.
  if (request.pool) {
    engine::require_pool(config, *request.pool);
  }
  auto db = store::Database::open_read_only(ctx.db_path(), ctx.busy_timeout());
  const auto leaves = engine::known_leaves(db, config, now);
  const auto arrivals =
      request.since ? engine::pool_arrivals(db, *request.since, now) : engine::Arrivals{};
  const auto result = engine::coverage(config, leaves, request, arrivals);
  if (format == Format::json) {
    ctx.out() << coverage_json(result, args.weeks).dump() << '\n';
  } else if (!ctx.options.quiet) {
    ctx.out() << coverage_text(result);
  }
  if (result.has_gaps() || result.over_limits()) {
    // The gaps were printed; an empty message keeps main from adding a line.
    throw util::Refused("");
  }
}

}  // namespace

void register_coverage(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<CoverageArgs>();
  auto* cmd = app.add_subcommand(
      "coverage", "hours when an open pool has nobody able to take a lead; exit 1 when any");
  cmd->add_option("--pool", args->pool, "only this pool")->type_name("POOL");
  whole_number(
      cmd->add_option("--weeks", args->weeks, "weeks ahead to look for dated gaps (default 4)"), 1,
      "N");
  cmd->add_option("--since", args->since,
                  "also count the leads that arrived since then, RFC 3339 or a plain date, "
                  "against the daily limits of those on duty")
      ->type_name("TIME");
  honour(*cmd, ctx, k_reads | k_now, {Format::text, Format::json});
  cmd->callback([&ctx, args] { run_coverage(ctx, *args); });
}

}  // namespace router::cli
