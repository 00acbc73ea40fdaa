// `router coverage [--pool P] [--weeks N]`: the hours when an open pool has nobody able to
// take a lead, and rules that send leads to a closed pool; exit 1 when there is any.
#include <ostream>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/coverage_text.hpp"
#include "cli/declare.hpp"
#include "engine/coverage.hpp"
#include "store/database.hpp"
#include "util/error.hpp"

namespace router::cli {
namespace {

// The longest period judged: ten years of weeks.
constexpr int k_max_weeks = 520;

struct CoverageArgs {
  std::string pool;
  int weeks = 4;
};

void run_coverage(Context& ctx, const CoverageArgs& args) {
  const Format format = ctx.format();
  if (args.weeks > k_max_weeks) {
    throw util::UsageError("--weeks must be at most " + std::to_string(k_max_weeks) +
                           "; see 'router coverage --help'");
  }
  const core::Time now = ctx.clock().now();
  const auto& config = ctx.config();
  engine::CoverageRequest request{now, args.weeks, std::nullopt};
  if (!args.pool.empty()) {
    request.pool = args.pool;
  }
  // A bad --pool is refused before the database is opened.
  if (request.pool) {
    engine::check_pool(config, *request.pool);
  }
  auto db = store::Database::open_read_only(ctx.db_path(), ctx.busy_timeout());
  const auto result = engine::coverage(config, engine::known_leaves(db, config, now), request);
  if (format == Format::json) {
    ctx.out() << coverage_json(result, args.weeks).dump() << '\n';
  } else if (!ctx.options.quiet) {
    ctx.out() << coverage_text(result);
  }
  if (result.has_gaps()) {
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
  honour(*cmd, ctx, k_reads | k_now, {Format::text, Format::json});
  cmd->callback([&ctx, args] { run_coverage(ctx, *args); });
}

}  // namespace router::cli
