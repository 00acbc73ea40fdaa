// `router explain LEAD`: why the lead is where it is.
#include <memory>
#include <ostream>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/declare.hpp"
#include "cli/explain_text.hpp"
#include "engine/explain.hpp"
#include "store/database.hpp"

namespace router::cli {
namespace {

void run_explain(Context& ctx, const std::string& lead) {
  const Format format = ctx.format();
  ctx.config();
  auto db = store::Database::open_read_only(ctx.db_path(), ctx.busy_timeout());
  const auto explanation = engine::explain(db, lead, &ctx.config());
  if (format == Format::json) {
    ctx.out() << engine::explanation_json(explanation).dump(2) << '\n';
  } else {
    ctx.out() << explain_text(explanation);
  }
}

}  // namespace

void register_explain(CLI::App& app, Context& ctx) {
  auto lead = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand(
      "explain", "why a lead is where it is: rules tried, members excluded, choice, timeline");
  cmd->add_option("LEAD", *lead, "the lead")->required()->type_name("");
  honour(*cmd, ctx, k_reads, {Format::text, Format::json});
  cmd->callback([&ctx, lead] { run_explain(ctx, *lead); });
}

}  // namespace router::cli
