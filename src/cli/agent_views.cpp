#include "cli/agent_views.hpp"

#include <ostream>

#include "cli/context.hpp"
#include "cli/explain_text.hpp"
#include "cli/table.hpp"
#include "store/database.hpp"
#include "util/strings.hpp"
#include "util/time.hpp"

namespace router::cli {
namespace {

using Json = nlohmann::ordered_json;

std::string limit_text(int used, int limit) {
  return std::to_string(used) + "/" + (limit > 0 ? std::to_string(limit) : "-");
}

// "sales 3/10 40/150; web 1/- 2/-": each pool's counted leads today and this month against
// the member's limits there, for pools with a limit.
std::string limits_text(const engine::AgentSummary& a) {
  std::string out;
  for (const auto& p : a.pools) {
    if (p.daily_limit == 0 && p.monthly_limit == 0) {
      continue;
    }
    out += (out.empty() ? "" : "; ") + p.pool + " " + limit_text(p.today, p.daily_limit) + " " +
           limit_text(p.month, p.monthly_limit);
  }
  return out.empty() ? "-" : out;
}

}  // namespace

std::string agent_table(const std::vector<engine::AgentSummary>& agents) {
  Table table({"agent", "name", "status", "until", "online", "open", "today", "month",
               "limits (pool today month)"});
  for (const auto& a : agents) {
    int today = 0;
    int month = 0;
    for (const auto& p : a.pools) {
      today += p.today;
      month += p.month;
    }
    table.add({a.agent, a.name.empty() ? "-" : a.name, a.status,
               a.until ? util::format_rfc3339(*a.until) : "-", a.online ? "yes" : "no",
               std::to_string(a.offered + a.assigned), std::to_string(today), std::to_string(month),
               limits_text(a)});
  }
  return table.render();
}

Json agents_json(const std::vector<engine::AgentSummary>& agents) {
  Json out = Json::array();
  for (const auto& a : agents) {
    Json pools = Json::array();
    for (const auto& p : a.pools) {
      pools.push_back({{"pool", p.pool},
                       {"today", p.today},
                       {"daily_limit", p.daily_limit},
                       {"month", p.month},
                       {"monthly_limit", p.monthly_limit}});
    }
    out.push_back({{"agent", a.agent},
                   {"name", a.name},
                   {"status", a.status},
                   {"until", a.until ? Json(util::format_rfc3339(*a.until)) : Json(nullptr)},
                   {"online", a.online},
                   {"open", a.offered + a.assigned},
                   {"offered", a.offered},
                   {"assigned", a.assigned},
                   {"pools", std::move(pools)}});
  }
  return out;
}

std::string agents_csv(const std::vector<engine::AgentSummary>& agents) {
  std::string out = "agent,name,status,until,online,open,offered,assigned,today,month\n";
  for (const auto& a : agents) {
    int today = 0;
    int month = 0;
    for (const auto& p : a.pools) {
      today += p.today;
      month += p.month;
    }
    out += util::csv_field(a.agent) + ',' + util::csv_field(a.name) + ',' + a.status + ',' +
           (a.until ? util::format_rfc3339(*a.until) : "") + ',' + (a.online ? "yes" : "no") +
           ',' + std::to_string(a.offered + a.assigned) + ',' + std::to_string(a.offered) + ',' +
           std::to_string(a.assigned) + ',' + std::to_string(today) + ',' +
           std::to_string(month) + '\n';
  }
  return out;
}

void run_agent_list(Context& ctx) {
  const Format format = ctx.format();
  const auto& config = ctx.config();
  auto db = store::Database::open_read_only(ctx.db_path(), ctx.busy_timeout());
  const auto agents = engine::list_agents(db, config, ctx.clock().now());
  if (format == Format::json) {
    ctx.out() << agents_json(agents).dump() << '\n';
  } else if (format == Format::csv) {
    ctx.out() << agents_csv(agents);
  } else {
    ctx.out() << agent_table(agents);
  }
}

void run_agent_history(Context& ctx, const std::string& agent) {
  const Format format = ctx.format();
  const auto& config = ctx.config();
  auto db = store::Database::open_read_only(ctx.db_path(), ctx.busy_timeout());
  const auto rows = engine::agent_history(db, config, agent);
  if (format == Format::json) {
    Json out = Json::array();
    for (const auto& r : rows) {
      auto detail = Json::parse(r.detail, nullptr, false);
      out.push_back({{"seq", r.seq},
                     {"at", util::format_rfc3339(r.at)},
                     {"kind", r.kind},
                     {"value", r.value ? Json(*r.value) : Json(nullptr)},
                     {"detail", detail.is_discarded() ? Json(r.detail) : detail}});
    }
    ctx.out() << out.dump() << '\n';
    return;
  }
  if (rows.empty()) {
    if (!ctx.options.quiet) {
      ctx.out() << agent << ": no history yet\n";
    }
    return;
  }
  Table table({"time", "kind", "value", "details"});
  for (const auto& r : rows) {
    const std::string details = event_detail_text(r.detail);
    table.add({util::format_rfc3339(r.at), r.kind, r.value.value_or("-"),
               details.empty() ? "-" : details});
  }
  ctx.out() << table.render();
}

}  // namespace router::cli
