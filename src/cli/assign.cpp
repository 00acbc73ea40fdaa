// `router assign [LEAD...] [--dry-run]` routes pending leads; `assign LEAD... --to AGENT`
// assigns by hand.
#include <cstdio>
#include <ostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/declare.hpp"
#include "cli/print.hpp"
#include "engine/assign.hpp"
#include "engine/decision_json.hpp"
#include "engine/offers.hpp"
#include "store/database.hpp"
#include "util/error.hpp"

namespace router::cli {
namespace {

struct AssignArgs {
  std::vector<std::string> leads;
  std::string to;
  bool dry_run = false;
  bool force = false;
};

void run_manual(Context& ctx, const AssignArgs& args, Format format) {
  if (args.leads.empty()) {
    throw util::UsageError("assign --to needs the leads to assign");
  }
  if (args.dry_run) {
    throw util::UsageError("assign --to cannot be combined with --dry-run");
  }
  const auto& config = ctx.config();
  auto db = store::Database::open(ctx.db_path(), ctx.busy_timeout());
  const auto results = engine::assign_manually(db, config, ctx.clock().now(), args.leads, args.to,
                                               engine::ManualMove{false, args.force});
  for (const auto& r : results) {
    if (!r.changed) {
      if (format == Format::json) {
        ctx.out() << nlohmann::ordered_json{{"lead", r.lead},
                                            {"outcome", "unchanged"},
                                            {"reason", "already_assigned"},
                                            {"agents", {args.to}}}
                         .dump()
                  << '\n';
      } else if (!ctx.options.quiet) {
        ctx.out() << r.lead << ": already assigned to " << args.to << "; nothing changed\n";
      }
    } else if (format == Format::json) {
      ctx.out() << nlohmann::ordered_json{{"lead", r.lead},
                                          {"outcome", "assign"},
                                          {"reason", "manual"},
                                          {"agents", {args.to}},
                                          {"previous_state", r.previous_state},
                                          {"previous_agent", r.previous_agent
                                                                 ? nlohmann::json(*r.previous_agent)
                                                                 : nlohmann::json(nullptr)}}
                       .dump()
                << '\n';
    } else if (!ctx.options.quiet) {
      ctx.out() << r.lead << ": assigned to " << args.to << " by hand"
                << (r.previous_agent ? " (was " + *r.previous_agent + ")" : std::string{})
                << (r.overrode ? "; reassignment in progress ended" : "") << '\n';
    }
  }
}

void run_assign(Context& ctx, const AssignArgs& args) {
  const Format format = ctx.format();
  if (args.force && args.to.empty()) {
    throw util::UsageError("assign --force goes with --to AGENT");
  }
  if (!args.to.empty()) {
    run_manual(ctx, args, format);
    return;
  }
  const auto& config = ctx.config();
  auto db = store::Database::open(ctx.db_path(), ctx.busy_timeout());
  engine::AssignOptions options;
  options.leads = args.leads;
  options.dry_run = args.dry_run;
  options.rule_texts = format == Format::json;  // the text lines show no rule reasons
  const bool quiet = ctx.options.quiet;
  std::ostream& out = ctx.out();
  const auto summary = engine::assign(db, config, ctx.clock().now(), ctx.random(), options,
                                      [&](const core::Decision& d) {
                                        if (format == Format::json) {
                                          out << engine::to_json_text(d) << '\n';
                                        } else if (!quiet) {
                                          out << decision_line(d) << '\n';
                                        }
                                      });
  if (format == Format::text && !quiet && summary.routed + summary.skipped > 0) {
    out << (args.dry_run ? "dry run: would route " : "routed ") << summary.routed
        << (summary.routed == 1 ? " lead" : " leads") << ": " << summary.offered << " offered, "
        << summary.assigned << " assigned, " << summary.queued << " queued";
    if (summary.skipped > 0) {
      out << "; " << summary.skipped << " taken by another process";
    }
    out << '\n';
  }
}

}  // namespace

void register_assign(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<AssignArgs>();
  auto* cmd = app.add_subcommand("assign", "route pending leads, or assign leads by hand (--to)");
  cmd->add_option("LEAD", args->leads, "only these leads (default: every pending lead)")
      ->type_name("");
  auto* to = cmd->add_option("--to", args->to, "assign the named leads to this agent by hand")
                 ->type_name("AGENT");
  cmd->add_flag("--dry-run", args->dry_run, "decide and print, write nothing")->excludes(to);
  cmd->add_flag("--force", args->force, "with --to: end a reassignment in progress")->needs(to);
  honour(*cmd, ctx, k_reads | k_quiet | k_now | k_seed, {Format::text, Format::json});
  cmd->callback([&ctx, args] { run_assign(ctx, *args); });
}

}  // namespace router::cli
