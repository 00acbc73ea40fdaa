// `router outcome LEAD won|lost`: close an assigned lead with its result.
#include <memory>
#include <ostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/declare.hpp"
#include "engine/outcome.hpp"
#include "store/database.hpp"

namespace router::cli {
namespace {

struct OutcomeArgs {
  std::string lead;
  std::string outcome;
};

void run_outcome(Context& ctx, const OutcomeArgs& args) {
  const Format format = ctx.format();
  ctx.config();
  auto db = store::Database::open(ctx.db_path(), ctx.busy_timeout());
  const auto r = engine::record_outcome(db, ctx.clock().now(), args.lead, args.outcome);
  const auto text_or_null = [](const std::optional<std::string>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
  };
  if (format == Format::json) {
    ctx.out() << nlohmann::ordered_json{{"lead", r.lead},
                                        {"state", "closed"},
                                        {"outcome", r.outcome},
                                        {"agent", text_or_null(r.agent)},
                                        {"pool", text_or_null(r.pool)}}
                     .dump()
              << '\n';
  } else if (!ctx.options.quiet) {
    ctx.out() << r.lead << ": closed as " << r.outcome
              << (r.agent ? " (" + *r.agent + ")" : std::string{}) << '\n';
  }
}

}  // namespace

void register_outcome(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<OutcomeArgs>();
  auto* cmd = app.add_subcommand("outcome", "close an assigned lead as won or lost");
  cmd->add_option("LEAD", args->lead, "the lead")->required()->type_name("");
  one_of(cmd->add_option("OUTCOME", args->outcome, "how the lead closed")->required(),
         {"won", "lost"});
  honour(*cmd, ctx, k_reads | k_quiet | k_now, {Format::text, Format::json});
  cmd->callback([&ctx, args] { run_outcome(ctx, *args); });
}

}  // namespace router::cli
