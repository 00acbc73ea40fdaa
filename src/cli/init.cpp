// `router init`: create or migrate the database (SPEC §3).
#include <ostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/declare.hpp"
#include "store/database.hpp"
#include "store/schema.hpp"

namespace router::cli {
namespace {

void run_init(Context& ctx) {
  const Format format = ctx.format();
  ctx.config();  // refuse to set up a database for an invalid configuration
  const auto path = ctx.db_path();
  auto db = store::Database::open_for_init(path, ctx.busy_timeout());
  const auto migration = store::migrate(db);
  const char* action = migration.from == 0             ? "created"
                       : migration.from < migration.to ? "migrated"
                                                       : "unchanged";
  if (format == Format::json) {
    ctx.out() << nlohmann::ordered_json{{"database", db.path().string()},
                                        {"schema", migration.to},
                                        {"action", action}}
                     .dump()
              << '\n';
    return;
  }
  if (ctx.options.quiet) {
    return;
  }
  const std::string schema = "schema " + std::to_string(migration.to);
  if (migration.from == 0) {
    ctx.out() << "created " << db.path().string() << " (" << schema << ")\n";
  } else if (migration.from < migration.to) {
    ctx.out() << "migrated " << db.path().string() << " from schema " << migration.from << " to "
              << migration.to << '\n';
  } else {
    ctx.out() << db.path().string() << " is up to date (" << schema << ")\n";
  }
}

}  // namespace

void register_init(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("init", "create or migrate the database (idempotent)");
  honour(*cmd, ctx, k_reads | k_quiet, {Format::text, Format::json});
  cmd->callback([&ctx] { run_init(ctx); });
}

}  // namespace router::cli
