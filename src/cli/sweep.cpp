// `router sweep [--dry-run] [--metrics-file PATH]`: the job cron runs every minute. Prints
// nothing when nothing happened, so cron mails only news.
#include <ostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/declare.hpp"
#include "cli/notify_print.hpp"
#include "cli/print.hpp"
#include "core/syntax.hpp"
#include "engine/decision_json.hpp"
#include "engine/metrics_file.hpp"
#include "engine/notify.hpp"
#include "engine/sweep.hpp"
#include "store/database.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

namespace router::cli {
namespace {

struct SweepArgs {
  bool dry_run = false;
  std::string metrics_file;
  std::string notify_budget = "20s";
};

// --notify-budget: how long the sweep may spend delivering notifications; 0 = none.
std::chrono::milliseconds notify_budget(const std::string& text) {
  if (text == "0") {
    return std::chrono::milliseconds{0};
  }
  const auto parsed = core::parse_duration(text);
  if (!parsed) {
    throw util::UsageError("--notify-budget: " + parsed.error);
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(*parsed.value);
}

nlohmann::json optional_json(const std::optional<std::string>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json news_json(const engine::SweepNews& n) {
  using Kind = engine::SweepNews::Kind;
  switch (n.kind) {
  case Kind::leave_ended:
    return {{"action", "leave_ended"},
            {"step", n.step},
            {"agent", n.agent},
            {"until", util::format_rfc3339(n.until)}};
  case Kind::offer_ended: {
    const auto& e = *n.ended;
    return {{"action", e.state},
            {"step", n.step},
            {"lead", e.lead},
            {"agent", e.agent},
            {"pool", optional_json(e.pool)},
            {"rule", optional_json(e.rule)},
            {"reason", e.reason}};
  }
  case Kind::routed: break;
  }
  nlohmann::json j = engine::to_json(*n.routed);
  j["action"] = "routed";
  j["step"] = n.step;
  return j;
}

std::string news_line(const engine::SweepNews& n) {
  using Kind = engine::SweepNews::Kind;
  switch (n.kind) {
  case Kind::leave_ended:
    return pad(n.agent, 14) + pad("available", 10) + "leave ended (until " +
           util::format_rfc3339(n.until) + ")";
  case Kind::offer_ended: {
    const auto& e = *n.ended;
    return pad(e.lead, 14) + pad(e.state, 10) + pad(e.agent, 14) + pad(e.pool.value_or("-"), 12) +
           pad(e.rule.value_or("-"), 18) + e.reason;
  }
  case Kind::routed: break;
  }
  return decision_line(*n.routed);
}

void sweep_once(Context& ctx, const SweepArgs& args) {
  const Format format = ctx.format();
  const util::Stopwatch stopwatch;
  const auto budget = notify_budget(args.notify_budget);
  const auto& config = ctx.config();
  const util::Time now = ctx.clock().now();
  auto db = store::Database::open(ctx.db_path(), ctx.busy_timeout());
  engine::SweepOptions options;
  options.dry_run = args.dry_run;
  const bool quiet = ctx.options.quiet;
  std::ostream& out = ctx.out();
  // A log file (cron appends the output to one) needs each line's time; the journal adds
  // its own.
  const std::string stamp = under_journal() ? "" : util::format_rfc3339(now) + " ";
  std::size_t changes = 0;
  const auto summary =
      engine::sweep(db, config, now, ctx.random(), options, [&](const engine::SweepNews& n) {
        ++changes;
        if (format == Format::json) {
          nlohmann::json j = news_json(n);
          j["at"] = util::format_rfc3339(now);
          out << j.dump() << '\n';
        } else if (!quiet) {
          out << stamp << news_line(n) << '\n';
        }
        out.flush();
      });
  if (args.dry_run) {
    if (format == Format::text && !quiet && changes > 0) {
      out << stamp << "dry run: " << changes << (changes == 1 ? " change" : " changes")
          << " decided, nothing written\n";
    }
    return;
  }
  // Notifications due now go out at the end, within the budget; what is left waits for the
  // next minute. Routine sends are printed only in JSON; retries and failures are news.
  if (budget.count() > 0 && config.notifications && !config.notifications->rules.empty()) {
    engine::NotifyOptions notify_options;
    notify_options.budget = budget;
    const bool journal = under_journal();
    try {
      engine::notify(db, config, ctx.clock(), ctx.random(), notify_options,
                     [&](const engine::DeliveryNews& n) {
                       print_delivery(out, n, ctx.clock().now(), format == Format::json, journal,
                                      false, !quiet);
                     });
    } catch (const util::BusyError&) {
      // The routing work is done and committed; what was not delivered goes next minute.
    }
  }
  if (!args.metrics_file.empty()) {
    engine::SweepMetrics metrics;
    metrics.finished_at = now;
    metrics.leaves_ended = summary.leaves_ended;
    metrics.handled = summary.handled;
    engine::read_gauges(db, metrics);
    metrics.duration_seconds = stopwatch.seconds();
    engine::write_atomically(args.metrics_file, engine::render_metrics(metrics));
  }
}

// With -q, a run that found the database busy (75) says nothing: the next minute retries
// it, and cron would mail every such minute. Without -q it prints its one line.
void run_sweep(Context& ctx, const SweepArgs& args) {
  try {
    sweep_once(ctx, args);
  } catch (const util::BusyError&) {
    if (!ctx.options.quiet) {
      throw;
    }
    throw util::BusyError("");
  }
}

}  // namespace

void register_sweep(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<SweepArgs>();
  auto* cmd = app.add_subcommand(
      "sweep", "the cron job: expire offers, take back, re-route stale leads, route pending");
  cmd->add_flag("--dry-run", args->dry_run, "decide and print, write nothing");
  cmd->add_option("--metrics-file", args->metrics_file,
                  "write Prometheus metrics to this file (atomically)")
      ->type_name("FILE");
  cmd->add_option("--notify-budget", args->notify_budget,
                  "deliver due notifications for at most this long at the end; 0: none "
                  "(default: 20s)")
      ->type_name("DURATION");
  honour(*cmd, ctx, k_reads | k_quiet | k_now | k_seed, {Format::text, Format::json});
  cmd->callback([&ctx, args] { run_sweep(ctx, *args); });
}

}  // namespace router::cli
