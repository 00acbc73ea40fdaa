// `router migrate --to DB`: copy the whole database into another one, SQLite or PostgreSQL
// either way (SPEC §10): for moving to a server, for leaving it, and for tests.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <system_error>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/declare.hpp"
#include "store/copy.hpp"
#include "store/database.hpp"
#include "store/schema.hpp"
#include "util/error.hpp"

namespace router::cli {
namespace {

struct MigrateArgs {
  std::string to;
};

// Removes a SQLite file this run created, with its -wal and -shm, when the copy failed: a
// failed migrate leaves nothing behind.
class NewFileGuard {
public:
  explicit NewFileGuard(const std::string& target) {
    std::error_code ec;
    if (!store::names_postgres(target) && !std::filesystem::exists(target, ec) && !ec) {
      m_path = target;
    }
  }
  NewFileGuard(const NewFileGuard&) = delete;
  NewFileGuard& operator=(const NewFileGuard&) = delete;
  ~NewFileGuard() {
    if (m_path.empty()) {
      return;
    }
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::filesystem::remove(m_path + suffix, ec);
    }
  }
  void keep() { m_path.clear(); }

private:
  std::string m_path;
};

void run_migrate(Context& ctx, const MigrateArgs& args) {
  const Format format = ctx.format();
  if (args.to.empty()) {
    throw util::UsageError("--to: needs a database, a SQLite file or a postgresql:// URI");
  }
  auto from = store::Database::open_read_only(ctx.db_path(), ctx.busy_timeout());
  NewFileGuard created(args.to);
  std::vector<store::CopiedTable> tables;
  std::string to_name;
  {
    auto to = store::Database::open_for_init(args.to, ctx.busy_timeout());
    to_name = to.path().string();
    tables = store::copy_database(from, to);
  }
  created.keep();
  std::int64_t rows = 0;
  std::int64_t leads = 0;
  std::int64_t events = 0;
  nlohmann::ordered_json per_table = nlohmann::ordered_json::object();
  for (const auto& t : tables) {
    rows += t.rows;
    per_table[t.name] = t.rows;
    leads = t.name == "leads" ? t.rows : leads;
    events = t.name == "events" ? t.rows : events;
  }
  if (format == Format::json) {
    ctx.out() << nlohmann::ordered_json{{"from", from.path().string()},
                                        {"to", to_name},
                                        {"schema", store::k_schema_version},
                                        {"rows", rows},
                                        {"tables", per_table}}
                     .dump()
              << '\n';
    return;
  }
  if (ctx.options.quiet) {
    return;
  }
  ctx.out() << "copied " << from.path().string() << " to " << to_name << ": " << leads << " leads, "
            << events << " events, " << rows << " rows in " << tables.size() << " tables\n";
  if (ctx.options.verbose) {
    for (const auto& t : tables) {
      ctx.out() << "  " << t.name << ": " << t.rows << '\n';
    }
  }
}

}  // namespace

void register_migrate(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<MigrateArgs>();
  auto* cmd = app.add_subcommand(
      "migrate", "copy the whole database into an empty one (SQLite <-> PostgreSQL)");
  cmd->add_option("--to", args->to,
                  "the database to copy into: a SQLite file or a postgresql:// URI; new, or "
                  "empty")
      ->required()
      ->type_name("DB");
  honour(*cmd, ctx, k_reads, {Format::text, Format::json});
  cmd->callback([&ctx, args] { run_migrate(ctx, *args); });
}

}  // namespace router::cli
