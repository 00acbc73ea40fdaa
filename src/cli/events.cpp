// `router events [--after SEQ] [--limit N] [--follow]`: the outbox as JSON Lines (the default
// here), or an aligned table with --format text, or CSV with a header row. Streams, so any
// number of events fits in memory. `--follow` then waits for new events, as `tail -f` does.
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <memory>
#include <ostream>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/declare.hpp"
#include "cli/explain_text.hpp"
#include "cli/print.hpp"
#include "engine/outbox.hpp"
#include "store/database.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"
#include "util/time.hpp"

namespace router::cli {
namespace {

struct EventsArgs {
  std::int64_t after = 0;
  std::size_t limit = 0;
  bool follow = false;
};

// How often --follow reads the database when nothing was new.
constexpr std::chrono::milliseconds k_follow_poll{250};

std::atomic<bool> g_stop{false};

extern "C" void on_follow_signal(int /*signal*/) {
  g_stop.store(true);
}

// True when standard output is a pipe or socket nobody reads any more: poll() reports an
// error or a hang-up on it (never for a file or a terminal in use).
bool reader_gone() {
  pollfd p{STDOUT_FILENO, 0, 0};
  return ::poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP)) != 0;
}

// After a batch: flushed, so a pipe sees the lines at once. False when the reader is gone
// (EPIPE: ends quietly); any other write error is one.
bool flushed(std::ostream& out) {
  errno = 0;
  out.flush();
  if (out) {
    return true;
  }
  if (errno == EPIPE) {
    return false;
  }
  throw util::Error(util::ExitStatus::db, std::string("cannot write standard output: ") +
                                              (errno != 0 ? std::strerror(errno) : "write error"));
}

// Fixed widths: a streamed table cannot measure rows it has not read yet.
std::string text_row(const std::string& seq, const std::string& at, const std::string& type,
                     const std::string& lead, const std::string& agent, const std::string& pool,
                     const std::string& rule, const std::string& details) {
  return pad(seq, 8) + pad(at, 22) + pad(type, 19) + pad(lead, 14) + pad(agent, 12) +
         pad(pool, 12) + pad(rule, 18) + details;
}

// One CSV record; the detail stays the JSON object text, in one field.
std::string csv_row(const store::EventRow& e) {
  return std::to_string(e.seq) + ',' + util::format_rfc3339(e.at) + ',' + util::csv_field(e.type) +
         ',' + util::csv_field(e.lead_id) + ',' + util::csv_field(e.agent.value_or("")) + ',' +
         util::csv_field(e.pool.value_or("")) + ',' + util::csv_field(e.rule.value_or("")) + ',' +
         util::csv_field(e.detail);
}

void run_events(Context& ctx, const EventsArgs& args) {
  const Format format = ctx.format();
  ctx.config();
  auto db = store::Database::open_read_only(ctx.db_path(), ctx.busy_timeout());
  std::ostream& out = ctx.out();
  bool header = false;
  const auto print = [&](const store::EventRow& e) {
    if (format == Format::json) {
      out << engine::event_json(e).dump() << '\n';
      return;
    }
    if (format == Format::csv) {
      if (!header) {
        out << "seq,at,type,lead,agent,pool,rule,detail\n";
        header = true;
      }
      out << csv_row(e) << '\n';
      return;
    }
    if (!header) {
      out << text_row("SEQ", "AT", "TYPE", "LEAD", "AGENT", "POOL", "RULE", "DETAILS") << '\n';
      header = true;
    }
    std::string line = text_row(std::to_string(e.seq), util::format_rfc3339(e.at), e.type,
                                e.lead_id, e.agent.value_or("-"), e.pool.value_or("-"),
                                e.rule.value_or("-"), event_detail_text(e.detail));
    while (!line.empty() && line.back() == ' ') {
      line.pop_back();
    }
    out << line << '\n';
  };
  if (!args.follow) {
    engine::read_events(db, args.after, args.limit, print);
    out.flush();
    return;
  }
  // A reader that has gone away ends a follow quietly, through EPIPE rather than SIGPIPE;
  // TERM and INT end it at the next poll, exit 0.
  g_stop.store(false);
  std::signal(SIGINT, on_follow_signal);
  std::signal(SIGTERM, on_follow_signal);
  std::signal(SIGPIPE, SIG_IGN);
  const bool on_stdout = &out == &std::cout;
  engine::FollowOptions options;
  options.poll = k_follow_poll;
  options.stop = &g_stop;
  options.batch_done = [&] { return flushed(out); };
  options.wanted = [&] { return !on_stdout || !reader_gone(); };
  engine::follow_events(db, args.after, args.limit, print, options);
}

}  // namespace

void register_events(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<EventsArgs>();
  auto* cmd = app.add_subcommand("events", "the event outbox as JSON Lines, oldest first");
  whole_number(
      cmd->add_option("--after", args->after, "only events with a sequence number above SEQ"), 0,
      "SEQ");
  whole_number(cmd->add_option("--limit", args->limit, "at most N events (with --follow: in all)"),
               1, "N");
  cmd->add_flag("--follow", args->follow, "keep running: print each new event as it is written");
  // JSON Lines unless --format is given: the outbox is read by programs first.
  honour(*cmd, ctx, k_reads, {Format::json, Format::text, Format::csv});
  cmd->callback([&ctx, args] { run_events(ctx, *args); });
}

}  // namespace router::cli
