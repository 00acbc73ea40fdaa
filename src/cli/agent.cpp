// `router agent set|metric|list|login|logout|history`: agents' status, presence and metrics.
#include <memory>
#include <ostream>
#include <sstream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/agent_views.hpp"
#include "cli/commands.hpp"
#include "cli/context.hpp"
#include "cli/declare.hpp"
#include "engine/agents.hpp"
#include "store/database.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

namespace router::cli {
namespace {

struct AgentArgs {
  std::string agent;
  std::string status;
  std::string until;
  std::vector<std::string> pairs;
};

std::string number_text(double v) {
  std::ostringstream out;
  out.precision(15);
  out << v;
  return out.str();
}

void run_set(Context& ctx, const AgentArgs& args) {
  const Format format = ctx.format();
  const auto& config = ctx.config();
  std::optional<util::Time> until;
  if (!args.until.empty()) {
    // A plain date is that day's midnight in the configuration's time zone.
    until = util::parse_time_or_date(args.until, config.zone);
    if (!until) {
      throw util::UsageError("--until '" + args.until + "' is not an RFC 3339 time or a date");
    }
  }
  auto db = store::Database::open(ctx.db_path(), ctx.busy_timeout());
  const auto c = engine::set_status(db, config, ctx.clock().now(), args.agent, args.status, until);
  const std::string until_text = c.until ? util::format_rfc3339(*c.until) : "";
  if (format == Format::json) {
    ctx.out() << nlohmann::ordered_json{{"agent", c.agent},
                                        {"status", c.status},
                                        {"until", c.until ? nlohmann::json(until_text)
                                                          : nlohmann::json(nullptr)},
                                        {"previous", c.previous}}
                     .dump()
              << '\n';
  } else if (!ctx.options.quiet) {
    ctx.out() << c.agent << ": " << c.status << (c.until ? " until " + until_text : "") << " (was "
              << c.previous << ")\n";
  }
}

void run_presence(Context& ctx, const AgentArgs& args, bool online) {
  const Format format = ctx.format();
  const auto& config = ctx.config();
  auto db = store::Database::open(ctx.db_path(), ctx.busy_timeout());
  const auto c = engine::set_presence(db, config, ctx.clock().now(), args.agent, online);
  if (format == Format::json) {
    ctx.out() << nlohmann::ordered_json{{"agent", c.agent},
                                        {"online", c.online},
                                        {"changed", c.changed}}
                     .dump()
              << '\n';
  } else if (!ctx.options.quiet) {
    ctx.out() << c.agent << ": " << (c.changed ? "" : "already ")
              << (online ? "logged in" : "logged out") << '\n';
  }
}

void run_metric(Context& ctx, const AgentArgs& args) {
  const Format format = ctx.format();
  const auto& config = ctx.config();
  auto db = store::Database::open(ctx.db_path(), ctx.busy_timeout());
  const auto values = engine::set_metrics(db, config, ctx.clock().now(), args.agent, args.pairs);
  if (format == Format::json) {
    nlohmann::ordered_json metrics = nlohmann::ordered_json::object();
    for (const auto& v : values) {
      metrics[v.key] = v.value;
    }
    ctx.out() << nlohmann::ordered_json{{"agent", args.agent}, {"metrics", metrics}}.dump() << '\n';
  } else if (!ctx.options.quiet) {
    std::string text;
    for (const auto& v : values) {
      text += (text.empty() ? "" : ", ") + v.key + "=" + number_text(v.value);
    }
    ctx.out() << args.agent << ": " << text << '\n';
  }
}

}  // namespace

void register_agent(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<AgentArgs>();
  auto* agent = app.add_subcommand("agent", "agents' status, presence, metrics and history");
  agent->require_subcommand(1);

  auto* set = agent->add_subcommand("set", "set an agent's status (leave may end by itself)");
  set->add_option("AGENT", args->agent, "the agent")->required()->type_name("");
  one_of(set->add_option("--status", args->status, "the new status")->required(),
         {"available", "away", "leave", "offline"});
  set->add_option("--until", args->until,
                  "with --status leave: when the leave ends (RFC 3339 or a plain date)")
      ->type_name("TIME");
  honour(*set, ctx, k_reads | k_quiet | k_now, {Format::text, Format::json});
  set->callback([&ctx, args] { run_set(ctx, *args); });

  auto* metric = agent->add_subcommand("metric", "set an agent's metrics (KEY=VALUE...)");
  metric->add_option("AGENT", args->agent, "the agent")->required()->type_name("");
  metric->add_option("KEY=VALUE", args->pairs, "a metric and its value, a number")
      ->required()
      ->type_name("");
  honour(*metric, ctx, k_reads | k_quiet | k_now, {Format::text, Format::json});
  metric->callback([&ctx, args] { run_metric(ctx, *args); });

  auto* list = agent->add_subcommand("list", "every agent: status, presence, open leads, limits");
  honour(*list, ctx, k_reads | k_now, {Format::text, Format::json, Format::csv});
  list->callback([&ctx] { run_agent_list(ctx); });

  auto* login = agent->add_subcommand("login", "log an agent in");
  login->add_option("AGENT", args->agent, "the agent")->required()->type_name("");
  honour(*login, ctx, k_reads | k_quiet | k_now, {Format::text, Format::json});
  login->callback([&ctx, args] { run_presence(ctx, *args, true); });

  auto* logout = agent->add_subcommand("logout", "log an agent out");
  logout->add_option("AGENT", args->agent, "the agent")->required()->type_name("");
  honour(*logout, ctx, k_reads | k_quiet | k_now, {Format::text, Format::json});
  logout->callback([&ctx, args] { run_presence(ctx, *args, false); });

  auto* history = agent->add_subcommand("history", "an agent's status and log-in history");
  history->add_option("AGENT", args->agent, "the agent")->required()->type_name("");
  honour(*history, ctx, k_reads, {Format::text, Format::json});
  history->callback([&ctx, args] { run_agent_history(ctx, args->agent); });
}

}  // namespace router::cli
