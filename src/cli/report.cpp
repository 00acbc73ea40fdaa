// `router report [--since T] [--until T] [--by agent|pool|rule|source] [--metrics-file PATH]`:
// who got what in a period, claim times, outcomes, limits and the queue.
#include <ostream>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/declare.hpp"
#include "engine/metrics_file.hpp"
#include "engine/report.hpp"
#include "engine/report_render.hpp"
#include "store/database.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

namespace router::cli {
namespace {

struct ReportArgs {
  std::string since;
  std::string until;
  std::string by = "agent";
  std::string metrics_file;
};

void run_report(Context& ctx, const ReportArgs& args) {
  const Format format = ctx.format();
  const auto by = engine::parse_group_by(args.by);
  if (!by) {
    throw util::UsageError("--by: '" + args.by + "' is not one of agent, pool, rule, source");
  }
  const util::Time now = ctx.clock().now();
  const auto& config = ctx.config();
  engine::ReportRequest req;
  req.now = now;
  req.by = *by;
  req.since = args.since.empty() ? engine::start_of_month(config.zone, now)
                                 : parse_period_time("--since", args.since, config.zone);
  req.until = args.until.empty() ? now : parse_period_time("--until", args.until, config.zone);
  req.until_now = args.until.empty();
  if (req.until <= req.since) {
    throw util::UsageError("--until (" + util::format_rfc3339(req.until) +
                           ") must be after --since (" + util::format_rfc3339(req.since) + ")");
  }
  auto db = store::Database::open_read_only(ctx.db_path(), ctx.busy_timeout());
  const auto report = engine::build_report(db, config, req);
  if (!args.metrics_file.empty()) {
    engine::write_atomically(args.metrics_file, engine::report_metrics(report));
  }
  if (format == Format::json) {
    ctx.out() << engine::report_json(report).dump() << '\n';
  } else if (format == Format::csv) {
    ctx.out() << engine::report_csv(report);
  } else if (!ctx.options.quiet) {
    ctx.out() << engine::report_text(report);
  }
}

}  // namespace

void register_report(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ReportArgs>();
  auto* cmd = app.add_subcommand("report", "who got what, claim times, limits and the queue");
  cmd->add_option("--since", args->since,
                  "start of the period, RFC 3339 or a plain date (default: this month)")
      ->type_name("TIME");
  cmd->add_option("--until", args->until, "end of the period, exclusive (default: now, inclusive)")
      ->type_name("TIME");
  one_of(cmd->add_option("--by", args->by, "group the figures by (default: agent)"),
         {"agent", "pool", "rule", "source"});
  cmd->add_option("--metrics-file", args->metrics_file,
                  "also write Prometheus text-format gauges here, atomically")
      ->type_name("FILE");
  honour(*cmd, ctx, k_reads | k_quiet | k_now, {Format::text, Format::json, Format::csv});
  cmd->callback([&ctx, args] { run_report(ctx, *args); });
}

}  // namespace router::cli
