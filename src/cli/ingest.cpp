// `router ingest [FILE|-] [--csv]`: add leads from JSON Lines or CSV, all or nothing.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/declare.hpp"
#include "engine/ingest.hpp"
#include "store/database.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace router::cli {
namespace {

struct IngestOptions {
  std::string file = "-";
  bool csv = false;
};

// At most this many skipped ids are listed in text output; JSON lists them all.
constexpr std::size_t k_listed = 10;

void print_text(Context& ctx, const engine::IngestResult& result) {
  auto& out = ctx.out();
  out << "ingested " << result.ingested << (result.ingested == 1 ? " lead" : " leads");
  if (!result.skipped.empty()) {
    out << "; skipped " << result.skipped.size() << " already present: ";
    for (std::size_t i = 0; i < result.skipped.size() && i < k_listed; ++i) {
      out << (i == 0 ? "" : ", ") << result.skipped[i];
    }
    if (result.skipped.size() > k_listed) {
      out << " and " << result.skipped.size() - k_listed << " more";
    }
  }
  out << '\n';
}

void run_ingest(Context& ctx, const IngestOptions& o) {
  const Format format = ctx.format();
  const auto now = ctx.clock().now();
  ctx.config();  // every command refuses to run on an invalid configuration (SPEC §2)
  auto db = store::Database::open(ctx.db_path(), ctx.busy_timeout());

  const bool from_stdin = o.file == "-";
  const bool csv =
      o.csv ||
      (!from_stdin && util::to_lower(std::filesystem::path(o.file).extension().string()) == ".csv");
  std::ifstream file;
  if (!from_stdin) {
    std::error_code ec;
    if (std::filesystem::is_directory(o.file, ec)) {
      throw util::InputError("cannot read " + o.file + ": it is a folder");
    }
    file.open(o.file, std::ios::binary);
    if (!file) {
      // A file or folder the user may not read says so, with the status a missing file gets.
      const int error = errno;
      throw util::InputError(
          "cannot read " + o.file + ": " +
          (error == EACCES || error == EPERM ? "permission denied" : std::strerror(error)));
    }
  }
  std::istream& in = from_stdin ? std::cin : file;
  const auto result =
      engine::ingest(db, in, csv ? engine::LeadFormat::csv : engine::LeadFormat::json_lines,
                     from_stdin ? "<stdin>" : o.file, now);

  if (format == Format::json) {
    ctx.out()
        << nlohmann::ordered_json{{"ingested", result.ingested}, {"skipped", result.skipped}}.dump()
        << '\n';
  } else if (!ctx.options.quiet) {
    print_text(ctx, result);
  }
}

}  // namespace

void register_ingest(CLI::App& app, Context& ctx) {
  auto opts = std::make_shared<IngestOptions>();
  auto* cmd = app.add_subcommand("ingest", "add leads from JSON Lines or CSV; all or nothing");
  cmd->add_option("FILE", opts->file, "lead file; - or none for standard input")->type_name("");
  cmd->add_flag("--csv", opts->csv, "the input is CSV with a header row (default for *.csv)");
  honour(*cmd, ctx, k_reads | k_quiet | k_now, {Format::text, Format::json});
  cmd->callback([&ctx, opts] { run_ingest(ctx, *opts); });
}

}  // namespace router::cli
