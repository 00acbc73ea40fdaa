// `router reassign LEAD... --pool P | --to AGENT` and `reassign --from AGENT --pool P`.
#include <ostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/declare.hpp"
#include "cli/print.hpp"
#include "engine/decision_json.hpp"
#include "engine/reassign.hpp"
#include "store/database.hpp"
#include "util/error.hpp"

namespace router::cli {
namespace {

struct ReassignArgs {
  std::vector<std::string> leads;
  std::string pool;
  std::string to;
  std::string from;
  bool force = false;
};

void check(const ReassignArgs& a) {
  if (!a.pool.empty() && !a.to.empty()) {
    throw util::UsageError("reassign: give --pool or --to, not both");
  }
  if (a.pool.empty() && a.to.empty()) {
    throw util::UsageError("reassign: say where to: --pool POOL or --to AGENT");
  }
  if (!a.from.empty() && (a.pool.empty() || !a.leads.empty())) {
    throw util::UsageError("reassign --from AGENT takes --pool POOL and no leads");
  }
  if (a.force && a.to.empty()) {
    throw util::UsageError("reassign --force goes with --to AGENT");
  }
  if (a.from.empty() && a.leads.empty()) {
    throw util::UsageError("reassign: name the leads, or --from AGENT");
  }
}

void run_reassign(Context& ctx, const ReassignArgs& args) {
  const Format format = ctx.format();
  check(args);
  const auto& config = ctx.config();
  auto db = store::Database::open(ctx.db_path(), ctx.busy_timeout());
  const auto now = ctx.clock().now();
  std::ostream& out = ctx.out();
  if (!args.to.empty()) {
    for (const auto& r :
         engine::reassign_to_agent(db, config, now, args.leads, args.to, args.force)) {
      if (!r.changed) {
        if (format == Format::json) {
          out << nlohmann::ordered_json{{"lead", r.lead},
                                        {"outcome", "unchanged"},
                                        {"reason", "already_assigned"},
                                        {"agents", {args.to}}}
                     .dump()
              << '\n';
        } else if (!ctx.options.quiet) {
          out << r.lead << ": already assigned to " << args.to << "; nothing changed\n";
        }
      } else if (format == Format::json) {
        out << nlohmann::ordered_json{{"lead", r.lead},
                                      {"outcome", "assign"},
                                      {"reason", "manual"},
                                      {"agents", {args.to}}}
                   .dump()
            << '\n';
      } else if (!ctx.options.quiet) {
        out << r.lead << ": moved to " << args.to
            << (r.previous_agent ? " (was " + *r.previous_agent + ")" : std::string{})
            << (r.overrode ? "; reassignment in progress ended" : "") << '\n';
      }
    }
    return;
  }
  const auto sink = [&](const core::Decision& d) {
    if (format == Format::json) {
      out << engine::to_json_text(d) << '\n';
    } else if (!ctx.options.quiet) {
      out << decision_line(d) << '\n';
    }
  };
  if (!args.from.empty()) {
    const auto moved =
        engine::reassign_from(db, config, now, ctx.random(), args.from, args.pool, sink);
    if (format == Format::text && !ctx.options.quiet) {
      out << "moved " << moved << (moved == 1 ? " lead" : " leads") << " of " << args.from
          << " through " << args.pool << '\n';
    }
    return;
  }
  engine::reassign_to_pool(db, config, now, ctx.random(), args.leads, args.pool, sink);
}

}  // namespace

void register_reassign(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<ReassignArgs>();
  auto* cmd = app.add_subcommand("reassign", "route existing leads again through a pool, or "
                                             "move them to an agent");
  cmd->add_option("LEAD", args->leads, "the leads to move")->type_name("");
  auto* pool =
      cmd->add_option("--pool", args->pool, "the pool (reassignment group) to route them through")
          ->type_name("POOL");
  auto* to = cmd->add_option("--to", args->to, "move them straight to this agent")
                 ->type_name("AGENT")
                 ->excludes(pool);
  cmd->add_option("--from", args->from, "every open lead of this agent (with --pool)")
      ->type_name("AGENT");
  cmd->add_flag("--force", args->force, "with --to: end a reassignment in progress")->needs(to);
  honour(*cmd, ctx, k_reads | k_quiet | k_now | k_seed, {Format::text, Format::json});
  cmd->callback([&ctx, args] { run_reassign(ctx, *args); });
}

}  // namespace router::cli
