// `router notify [--follow] [--failed] [--retry]`: delivers the notifications of SPEC §12 —
// emails through sendmail, webhooks over HTTP — at least once, oldest first per target.
// `--follow` keeps running (the router-notify service); `--failed` lists what gave up and
// `--retry` queues it again. The sweep calls the same engine at its end (--notify-budget).
#include <atomic>
#include <csignal>
#include <ostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/declare.hpp"
#include "cli/notify_print.hpp"
#include "cli/print.hpp"
#include "cli/table.hpp"
#include "engine/notify.hpp"
#include "store/database.hpp"
#include "store/delivery_store.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"
#include "util/time.hpp"

namespace router::cli {
namespace {

struct NotifyArgs {
  bool follow = false;
  bool failed = false;
  bool retry = false;
};

std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int /*signal*/) {
  g_stop.store(true);
}

void list_failed(Context& ctx) {
  const Format format = ctx.format();
  ctx.config();
  auto db = store::Database::open_read_only(ctx.db_path(), ctx.busy_timeout());
  store::DeliveryStore ds(db);
  const auto rows = ds.failed(0);
  std::ostream& out = ctx.out();
  if (format == Format::json) {
    for (const auto& d : rows) {
      out << nlohmann::ordered_json{{"delivery", d.id},
                                    {"seq", d.event_seq},
                                    {"lead", d.lead_id},
                                    {"type", d.type},
                                    {"channel", d.channel},
                                    {"target", d.target},
                                    {"key", d.key},
                                    {"attempts", d.attempts},
                                    {"failed_at", d.ended_at ? util::format_rfc3339(*d.ended_at)
                                                             : std::string()},
                                    {"error", d.last_error.value_or("")}}
                 .dump()
          << '\n';
    }
    return;
  }
  if (format == Format::csv) {
    out << "delivery,seq,lead,type,channel,target,key,attempts,failed_at,error\n";
    for (const auto& d : rows) {
      out << d.id << ',' << d.event_seq << ',' << util::csv_field(d.lead_id) << ','
          << util::csv_field(d.type) << ',' << d.channel << ',' << util::csv_field(d.target) << ','
          << d.key << ',' << d.attempts << ','
          << (d.ended_at ? util::format_rfc3339(*d.ended_at) : "") << ','
          << util::csv_field(d.last_error.value_or("")) << '\n';
    }
    return;
  }
  if (rows.empty()) {
    if (!ctx.options.quiet) {
      out << "no failed deliveries\n";
    }
    return;
  }
  Table table({"delivery", "seq", "lead", "type", "to", "attempts", "failed at", "error"});
  for (const auto& d : rows) {
    table.add({std::to_string(d.id), std::to_string(d.event_seq), d.lead_id, d.type,
               d.channel + " " + d.target, std::to_string(d.attempts),
               d.ended_at ? util::format_rfc3339(*d.ended_at) : "-", d.last_error.value_or("")});
  }
  out << table.render();
  out << rows.size() << (rows.size() == 1 ? " failed delivery" : " failed deliveries")
      << "; 'router notify --retry' queues them again\n";
}

void run_notify(Context& ctx, const NotifyArgs& args) {
  if (args.failed) {
    list_failed(ctx);
    return;
  }
  const Format format = ctx.format();
  if (format == Format::csv) {
    throw util::UsageError(
        "notify: --format csv is for --failed; deliveries print as text or json");
  }
  const auto& config = ctx.config();
  auto db = store::Database::open(ctx.db_path(), ctx.busy_timeout());
  std::ostream& out = ctx.out();
  const bool quiet = ctx.options.quiet;
  if (!config.notifications || config.notifications->rules.empty()) {
    if (!quiet) {
      out << "nothing to deliver: the configuration has no notifications rules\n";
      out.flush();
    }
    if (!args.follow) {
      return;
    }
  }
  if (args.retry) {
    std::int64_t count = 0;
    {
      store::WriteTransaction tx(db);
      store::DeliveryStore ds(db);
      count = ds.requeue_failed(ctx.clock().now());
      tx.commit();
    }
    if (format == Format::text && !quiet) {
      out << "queued " << count << (count == 1 ? " failed delivery" : " failed deliveries")
          << " again\n";
    }
  }
  const bool journal = under_journal();
  // Routine sends are left out under -q; retries and failures never are.
  const auto sink = [&](const engine::DeliveryNews& n) {
    print_delivery(out, n, ctx.clock().now(), format == Format::json, journal, !quiet, true);
  };
  if (args.follow) {
    g_stop.store(false);
    std::signal(SIGINT, on_stop_signal);
    std::signal(SIGTERM, on_stop_signal);
    engine::follow(db, config, ctx.clock(), ctx.random(), g_stop, sink,
                   std::chrono::milliseconds{250});
    return;
  }
  const auto summary =
      engine::notify(db, config, ctx.clock(), ctx.random(), engine::NotifyOptions{}, sink);
  if (format == Format::text && !quiet) {
    out << summary_line(summary) << '\n';
  }
}

}  // namespace

void register_notify(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<NotifyArgs>();
  auto* cmd = app.add_subcommand(
      "notify", "deliver notifications (email, webhooks) for new events, at least once");
  auto* follow = cmd->add_flag("--follow", args->follow,
                               "keep running: deliver within a second of each event");
  auto* failed = cmd->add_flag("--failed", args->failed, "list deliveries that gave up");
  auto* retry =
      cmd->add_flag("--retry", args->retry, "queue failed deliveries again, then deliver");
  failed->excludes(follow);
  failed->excludes(retry);
  honour(*cmd, ctx, k_reads | k_now | k_seed, {Format::text, Format::json, Format::csv});
  cmd->callback([&ctx, args] { run_notify(ctx, *args); });
}

}  // namespace router::cli
