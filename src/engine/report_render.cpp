#include "engine/report_render.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>
#include <utility>
#include <vector>

#include "util/strings.hpp"
#include "util/time.hpp"

namespace router::engine {
namespace {

// The count figures in column order, with their JSON/CSV/metric names.
std::vector<std::pair<const char*, std::int64_t>> counts(const Figures& f) {
  return {{"offered", f.offered},     {"claimed", f.claimed},   {"expired", f.expired},
          {"declined", f.declined},   {"assigned", f.assigned}, {"picked_up", f.picked_up},
          {"open", f.open},           {"won", f.won},           {"lost", f.lost},
          {"defaulted", f.defaulted}, {"queued", f.queued}};
}

// A fraction rounded to 4 decimals, so JSON and CSV show 0.6667 rather than 0.66666...
double rounded(double v) {
  return std::round(v * 10000.0) / 10000.0;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

nlohmann::ordered_json optional_number(const std::optional<double>& v) {
  return v ? nlohmann::ordered_json(rounded(*v)) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json row_json(const ReportRow& row, const char* key_name, bool limits) {
  nlohmann::ordered_json j;
  j[key_name] = row.key ? nlohmann::ordered_json(*row.key) : nlohmann::ordered_json(nullptr);
  for (const auto& [name, value] : counts(row.figures)) {
    j[name] = value;
  }
  j["close_rate"] = optional_number(row.figures.close_rate);
  j["median_claim_seconds"] = optional_number(row.figures.median_claim_seconds);
  if (limits) {
    j["limits"] = nlohmann::ordered_json::array();
    for (const auto& l : row.limits) {
      j["limits"].push_back({{"pool", l.pool},
                             {"daily_limit", l.daily_limit},
                             {"today", l.today},
                             {"monthly_limit", l.monthly_limit},
                             {"month", l.month}});
    }
  }
  return j;
}

nlohmann::ordered_json rows_json(const std::vector<ReportRow>& rows, const char* key_name,
                                 bool limits) {
  auto array = nlohmann::ordered_json::array();
  for (const auto& row : rows) {
    array.push_back(row_json(row, key_name, limits));
  }
  return array;
}

std::string right(const std::string& text, std::size_t width) {
  return text.size() >= width ? text : std::string(width - text.size(), ' ') + text;
}

std::string left(const std::string& text, std::size_t width) {
  return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}

// The cells of one text row: name, counts, close %, median claim, [today/limit].
std::vector<std::string> text_cells(const ReportRow& row, const std::string& name, bool limits) {
  const Figures& f = row.figures;
  std::vector<std::string> cells{name};
  for (const auto value : {f.offered, f.claimed, f.expired, f.declined, f.assigned, f.picked_up,
                           f.open, f.won, f.lost}) {
    cells.push_back(std::to_string(value));
  }
  cells.push_back(f.close_rate ? std::to_string(std::lround(*f.close_rate * 100)) + "%" : "-");
  cells.push_back(
      f.median_claim_seconds ? util::format_duration(std::llround(*f.median_claim_seconds)) : "-");
  if (limits) {
    cells.push_back(name == "total" && !row.key ? "" : today_over_limit(row));
  }
  return cells;
}

std::string escape_label(const std::string& value) {
  std::string out;
  for (const char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string today_over_limit(const ReportRow& row) {
  std::vector<const LimitUsage*> limited;
  for (const auto& l : row.limits) {
    if (l.daily_limit > 0) {
      limited.push_back(&l);
    }
  }
  if (limited.empty()) {
    return "-";
  }
  std::string out;
  for (const auto* l : limited) {
    out += out.empty() ? "" : ", ";
    out += limited.size() > 1 ? l->pool + " " : "";
    out += std::to_string(l->today) + "/" + std::to_string(l->daily_limit);
  }
  return out;
}

nlohmann::ordered_json report_json(const Report& r) {
  nlohmann::ordered_json j;
  j["period"] = {{"since", util::format_rfc3339(r.since)},
                 {"until", util::format_rfc3339(r.until)}};
  j["by"] = to_string(r.by);
  j["agents"] = rows_json(r.agents, "agent", true);
  j["pools"] = rows_json(r.pools, "pool", false);
  if (r.by == GroupBy::rule || r.by == GroupBy::source) {
    j[plural(r.by)] = rows_json(r.groups, to_string(r.by), false);
  }
  auto total = row_json(r.total, "total", false);
  total.erase("total");
  j["total"] = total;
  nlohmann::ordered_json pools = nlohmann::ordered_json::object();
  for (const auto& [pool, depth] : r.queue.pools) {
    pools[pool] = depth;
  }
  j["queue"] = {{"depth", r.queue.depth},
                {"oldest_seconds", r.queue.oldest_seconds
                                       ? nlohmann::ordered_json(*r.queue.oldest_seconds)
                                       : nlohmann::ordered_json(nullptr)},
                {"pools", pools}};
  if (r.notifications.shown) {
    j["notifications"] = {{"sent", r.notifications.sent},
                          {"pending", r.notifications.pending},
                          {"failed", r.notifications.failed}};
  }
  return j;
}

std::string report_text(const Report& r) {
  const bool limits = r.by == GroupBy::agent;
  std::vector<std::vector<std::string>> table;
  // Headings in upper case, as every other table of router's (cli::Table).
  std::vector<std::string> header{util::to_upper(to_string(r.by)),
                                  "OFFERED",
                                  "CLAIMED",
                                  "EXPIRED",
                                  "DECLINED",
                                  "ASSIGNED",
                                  "PICKED UP",
                                  "OPEN",
                                  "WON",
                                  "LOST",
                                  "CLOSE %",
                                  "MEDIAN CLAIM"};
  if (limits) {
    header.push_back("TODAY/LIMIT");
  }
  table.push_back(header);
  for (const auto& row : r.rows()) {
    const Figures& f = row.figures;
    // The no-name row (e.g. manual-queue events by agent) only when it shows something.
    if (!row.key && f.offered + f.claimed + f.expired + f.declined + f.assigned + f.picked_up +
                            f.open + f.won + f.lost ==
                        0) {
      continue;
    }
    table.push_back(text_cells(row, row.key.value_or("(none)"), limits));
  }
  table.push_back(text_cells(r.total, "total", limits));

  std::vector<std::size_t> widths(header.size(), 0);
  for (const auto& cells : table) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      widths[i] = std::max(widths[i], cells[i].size());
    }
  }
  std::ostringstream out;
  out << "report " << util::format_rfc3339(r.since) << " .. " << util::format_rfc3339(r.until)
      << ", by " << to_string(r.by) << '\n';
  for (const auto& cells : table) {
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) {
      line += i == 0 ? left(cells[i], widths[i]) : "  " + right(cells[i], widths[i]);
    }
    out << line.substr(0, line.find_last_not_of(' ') + 1) << '\n';
  }
  out << "manual queue: ";
  if (r.queue.depth == 0) {
    out << "empty\n";
  } else {
    out << r.queue.depth << (r.queue.depth == 1 ? " lead" : " leads") << ", oldest "
        << util::format_duration(r.queue.oldest_seconds.value_or(0)) << '\n';
  }
  for (const auto& [pool, depth] : r.queue.pools) {
    out << "pool queue " << pool << ": " << depth << (depth == 1 ? " lead\n" : " leads\n");
  }
  if (r.notifications.shown) {
    const auto& n = r.notifications;
    out << "notifications: " << n.sent << " sent, " << n.pending << " waiting, " << n.failed
        << " failed" << (n.failed > 0 ? " (see 'router notify --failed')" : "") << '\n';
  }
  return out.str();
}

std::string report_csv(const Report& r) {
  std::ostringstream out;
  out << to_string(r.by);
  for (const auto& [name, value] : counts(Figures{})) {
    out << ',' << name;
  }
  out << ",close_rate,median_claim_seconds\n";
  for (const auto& row : r.rows()) {
    out << util::csv_field(row.key.value_or(""));
    for (const auto& [name, value] : counts(row.figures)) {
      out << ',' << value;
    }
    const auto& f = row.figures;
    out << ',' << (f.close_rate ? number(rounded(*f.close_rate)) : "") << ','
        << (f.median_claim_seconds ? number(*f.median_claim_seconds) : "") << '\n';
  }
  return out.str();
}

std::string report_metrics(const Report& r) {
  std::ostringstream out;
  const std::string label = to_string(r.by);
  const auto selector = [&](const ReportRow& row) {
    return label + "=\"" + escape_label(row.key.value_or("")) + "\"";
  };
  out << "# HELP router_report_leads Report figures over the period, per " << label << ".\n"
      << "# TYPE router_report_leads gauge\n";
  for (const auto& row : r.rows()) {
    for (const auto& [name, value] : counts(row.figures)) {
      out << "router_report_leads{" << selector(row) << ",figure=\"" << name << "\"} " << value
          << '\n';
    }
  }
  out << "# HELP router_report_close_rate Won / (won + lost) over the period.\n"
      << "# TYPE router_report_close_rate gauge\n";
  for (const auto& row : r.rows()) {
    if (row.figures.close_rate) {
      out << "router_report_close_rate{" << selector(row) << "} "
          << number(rounded(*row.figures.close_rate)) << '\n';
    }
  }
  out << "# HELP router_report_median_claim_seconds Median time from offer to claim.\n"
      << "# TYPE router_report_median_claim_seconds gauge\n";
  for (const auto& row : r.rows()) {
    if (row.figures.median_claim_seconds) {
      out << "router_report_median_claim_seconds{" << selector(row) << "} "
          << number(*row.figures.median_claim_seconds) << '\n';
    }
  }
  out << "# HELP router_report_limit_usage Leads counted against limits now, per pool.\n"
      << "# TYPE router_report_limit_usage gauge\n";
  for (const auto& row : r.agents) {
    for (const auto& l : row.limits) {
      const std::string labels = "agent=\"" + escape_label(row.key.value_or("")) + "\",pool=\"" +
                                 escape_label(l.pool) + "\"";
      out << "router_report_limit_usage{" << labels << ",period=\"day\"} " << l.today << '\n'
          << "router_report_limit_usage{" << labels << ",period=\"month\"} " << l.month << '\n';
    }
  }
  out << "# HELP router_report_limit Daily and monthly limits per agent and pool (set ones).\n"
      << "# TYPE router_report_limit gauge\n";
  for (const auto& row : r.agents) {
    for (const auto& l : row.limits) {
      const std::string labels = "agent=\"" + escape_label(row.key.value_or("")) + "\",pool=\"" +
                                 escape_label(l.pool) + "\"";
      if (l.daily_limit > 0) {
        out << "router_report_limit{" << labels << ",period=\"day\"} " << l.daily_limit << '\n';
      }
      if (l.monthly_limit > 0) {
        out << "router_report_limit{" << labels << ",period=\"month\"} " << l.monthly_limit << '\n';
      }
    }
  }
  out << "# HELP router_report_queue_depth Leads in the manual queue.\n"
      << "# TYPE router_report_queue_depth gauge\n"
      << "router_report_queue_depth " << r.queue.depth << '\n'
      << "# HELP router_report_queue_oldest_seconds Age of the oldest lead in the manual queue.\n"
      << "# TYPE router_report_queue_oldest_seconds gauge\n"
      << "router_report_queue_oldest_seconds " << r.queue.oldest_seconds.value_or(0) << '\n'
      << "# HELP router_report_pool_queue_depth Leads queued in a pool.\n"
      << "# TYPE router_report_pool_queue_depth gauge\n";
  for (const auto& [pool, depth] : r.queue.pools) {
    out << "router_report_pool_queue_depth{pool=\"" << escape_label(pool) << "\"} " << depth
        << '\n';
  }
  if (r.notifications.shown) {
    const auto& n = r.notifications;
    out << "# HELP router_report_notifications Notification deliveries: sent in the period, "
           "waiting and failed now.\n"
        << "# TYPE router_report_notifications gauge\n"
        << "router_report_notifications{state=\"sent\"} " << n.sent << '\n'
        << "router_report_notifications{state=\"waiting\"} " << n.pending << '\n'
        << "router_report_notifications{state=\"failed\"} " << n.failed << '\n';
  }
  return out.str();
}

}  // namespace router::engine
