// `router report [--since T] [--until T] [--by agent|pool|rule|source] [--metrics-file PATH]`:
// who got what in a period, claim times, outcomes, limits and the queue.
#include <ostream>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
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

util::Time parse_time(const std::string& option, const std::string& text) {
  const auto t = util::parse_rfc3339(text);
  if (!t) {
    throw util::UsageError(option + ": '" + text +
                           "' is not an RFC 3339 time (e.g. 2026-11-01T00:00:00Z)");
  }
  return *t;
}

void run_report(Context& ctx, const ReportArgs& args) {
  const Format format = ctx.format({Format::text, Format::json, Format::csv});
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
                                 : parse_time("--since", args.since);
  req.until = args.until.empty() ? now : parse_time("--until", args.until);
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
  cmd->add_option("--since", args->since, "start of the period, RFC 3339 (default: this month)");
  cmd->add_option("--until", args->until, "end of the period, exclusive (default: now, inclusive)");
  cmd->add_option("--by", args->by, "group by agent (default), pool, rule or source");
  cmd->add_option("--metrics-file", args->metrics_file,
                  "also write Prometheus text-format gauges here, atomically");
  cmd->callback([&ctx, args] { run_report(ctx, *args); });
}

}  // namespace router::cli
