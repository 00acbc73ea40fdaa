#include "cli/simulate_text.hpp"

#include <cmath>
#include <cstdio>
#include <functional>
#include <sstream>
#include <vector>

#include "cli/table.hpp"
#include "util/strings.hpp"
#include "util/time.hpp"

namespace router::cli {
namespace {

using engine::SimFigures;
using engine::SimRow;
using engine::SimSide;

std::string percent(double share) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", share * 100.0);
  return buf;
}

std::string seconds_text(std::optional<double> s) {
  return s ? util::format_duration(std::llround(*s)) : "-";
}

// "12" when both sides agree, else "12->15".
std::string pair(const std::string& a, const std::string& b) {
  return a == b ? a : a + "->" + b;
}

// One column of the text tables: its heading and how a side's figures show in it.
struct Column {
  const char* heading;
  std::function<std::string(const SimFigures&, bool limits_known)> cell;
};

std::string count(std::int64_t n) {
  return std::to_string(n);
}

// The columns every table starts with, then `own`, then SLA misses.
std::vector<Column> columns_with(std::vector<Column> own) {
  std::vector<Column> columns{
      {"leads", [](const SimFigures& f, bool) { return count(f.leads); }},
      {"claimed", [](const SimFigures& f, bool) { return count(f.claimed); }},
      {"expired", [](const SimFigures& f, bool) { return count(f.expired); }},
      {"share", [](const SimFigures& f, bool) { return f.share ? percent(*f.share) : "-"; }},
  };
  columns.insert(columns.end(), own.begin(), own.end());
  columns.push_back({"sla", [](const SimFigures& f, bool) { return count(f.sla_misses); }});
  return columns;
}

const std::vector<Column>& agent_columns() {
  static const std::vector<Column> columns = columns_with({
      {"p50 claim", [](const SimFigures& f, bool) { return seconds_text(f.median_claim_seconds); }},
      {"limit", [](const SimFigures& f, bool k) { return k ? count(f.limit_hits) : "-"; }},
  });
  return columns;
}

const std::vector<Column>& pool_columns() {
  static const std::vector<Column> columns = columns_with({
      {"default", [](const SimFigures& f, bool) { return count(f.defaulted); }},
      {"queued", [](const SimFigures& f, bool) { return count(f.queued); }},
  });
  return columns;
}

const SimFigures* find(const std::vector<SimRow>& rows, const std::string& name) {
  for (const auto& row : rows) {
    if (row.name == name) {
      return &row.figures;
    }
  }
  return nullptr;
}

// A table of one group: the proposed side's names in order, then names only the current
// side has.
std::string section(const char* heading, const std::vector<SimRow>& current,
                    const std::vector<SimRow>& proposed, const std::vector<Column>& columns) {
  std::vector<std::string> headers{heading};
  for (const auto& c : columns) {
    headers.emplace_back(c.heading);
  }
  Table table(headers);
  std::vector<std::string> names;
  for (const auto& row : current) {
    names.push_back(row.name);
  }
  for (const auto& row : proposed) {
    if (!find(current, row.name)) {
      names.push_back(row.name);
    }
  }
  for (const auto& name : names) {
    const SimFigures* a = find(current, name);
    const SimFigures* b = find(proposed, name);
    std::vector<std::string> cells{name};
    for (const auto& c : columns) {
      cells.push_back(pair(a ? c.cell(*a, true) : "-", b ? c.cell(*b, true) : "-"));
    }
    table.add(cells);
  }
  return table.size() == 0 ? std::string() : table.render() + "\n";
}

// "claimed +12, share +10.0 pp" for one row of differences; empty when nothing changed.
std::string changes(const SimFigures& d) {
  std::vector<std::string> parts;
  const auto add = [&](const char* name, std::int64_t n) {
    if (n != 0) {
      parts.push_back(std::string(name) + " " + (n > 0 ? "+" : "") + std::to_string(n));
    }
  };
  add("leads", d.leads);
  add("offered", d.offered);
  add("claimed", d.claimed);
  add("declined", d.declined);
  add("expired", d.expired);
  add("assigned", d.assigned);
  add("picked up", d.picked_up);
  add("default", d.defaulted);
  add("queued", d.queued);
  add("limit hits", d.limit_hits);
  add("sla misses", d.sla_misses);
  if (d.share && std::fabs(*d.share) >= 0.0005) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "share %+.1f pp", *d.share * 100.0);
    parts.emplace_back(buf);
  }
  if (d.median_claim_seconds && std::llround(*d.median_claim_seconds) != 0) {
    const auto s = std::llround(*d.median_claim_seconds);
    parts.push_back(std::string("p50 claim ") + (s > 0 ? "+" : "-") +
                    util::format_duration(std::llabs(s)));
  }
  std::string out;
  for (const auto& p : parts) {
    out += (out.empty() ? "" : ", ") + p;
  }
  return out;
}

std::string sla_text(const engine::SimulateResult& r) {
  return r.sla ? util::format_duration(r.sla->count()) : "each pool's claim_timeout";
}

nlohmann::json optional_number(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json figures_json(const SimFigures& f, bool limits_known) {
  return {{"leads", f.leads},
          {"offered", f.offered},
          {"claimed", f.claimed},
          {"declined", f.declined},
          {"expired", f.expired},
          {"assigned", f.assigned},
          {"picked_up", f.picked_up},
          {"share", optional_number(f.share)},
          {"median_claim_seconds", optional_number(f.median_claim_seconds)},
          {"p90_claim_seconds",
           f.p90_claim_seconds ? nlohmann::json(*f.p90_claim_seconds) : nlohmann::json(nullptr)},
          {"defaulted", f.defaulted},
          {"queued", f.queued},
          {"limit_hits", limits_known ? nlohmann::json(f.limit_hits) : nlohmann::json(nullptr)},
          {"sla_misses", f.sla_misses}};
}

nlohmann::json rows_json(const std::vector<SimRow>& rows, const char* key, bool limits_known) {
  auto list = nlohmann::json::array();
  for (const auto& row : rows) {
    auto j = figures_json(row.figures, limits_known);
    j[key] = row.name;
    list.push_back(std::move(j));
  }
  return list;
}

nlohmann::json side_json(const SimSide& s, bool manual) {
  nlohmann::json j{{"agents", rows_json(s.agents, "agent", s.limits_known)},
                   {"pools", rows_json(s.pools, "pool", s.limits_known)},
                   {"rules", rows_json(s.rules, "rule", s.limits_known)},
                   {"total", figures_json(s.total, s.limits_known)}};
  if (manual) {
    j["manual"] = {{"replayed", s.replayed}, {"skipped", s.skipped}};
  }
  return j;
}

}  // namespace

std::string simulate_text(const engine::SimulateResult& r, const std::string& current_name,
                          const std::string& proposed_name) {
  std::ostringstream out;
  out << "Simulated " << r.leads << (r.leads == 1 ? " lead" : " leads") << " received from "
      << util::format_rfc3339(r.since) << " to " << util::format_rfc3339(r.until) << ".\n";
  out << "current: " << current_name << "; proposed: " << proposed_name << "; SLA: " << sla_text(r)
      << ".\n";
  out << "Each figure reads current->proposed where they differ.\n\n";
  out << section("agent", r.current.agents, r.proposed.agents, agent_columns());
  out << section("pool", r.current.pools, r.proposed.pools, pool_columns());
  out << section("rule", r.current.rules, r.proposed.rules, pool_columns());
  out << section("total", {{"all", r.current.total}}, {{"all", r.proposed.total}}, pool_columns());

  std::vector<std::string> lines;
  const auto list = [&](const char* kind, const std::vector<SimRow>& rows) {
    for (const auto& row : rows) {
      const auto text = changes(row.figures);
      if (!text.empty()) {
        lines.push_back(std::string("  ") + kind + " " + row.name + ": " + text + "\n");
      }
    }
  };
  list("agent", r.diff.agents);
  list("pool", r.diff.pools);
  list("rule", r.diff.rules);
  if (lines.empty()) {
    out << "No differences.\n";
  } else {
    out << "Largest changes (proposed - current):\n";
    constexpr std::size_t k_shown = 12;
    for (std::size_t i = 0; i < lines.size() && i < k_shown; ++i) {
      out << lines[i];
    }
    if (lines.size() > k_shown) {
      out << "  ... and " << (lines.size() - k_shown) << " more (--format json lists all)\n";
    }
  }
  const auto manual = [&](const SimSide& s) {
    std::string text;
    for (const auto& [kind, n] : s.replayed) {
      text += (text.empty() ? "" : ", ") + kind + " " + std::to_string(n);
    }
    for (const auto& [kind, n] : s.skipped) {
      text += (text.empty() ? "" : ", ") + kind + " " + std::to_string(n) + " skipped";
    }
    return text.empty() ? std::string("none") : text;
  };
  if (!r.current.replayed.empty() || !r.current.skipped.empty() || !r.proposed.replayed.empty() ||
      !r.proposed.skipped.empty()) {
    out << "Manual actions replayed: current " << manual(r.current) << "; proposed "
        << manual(r.proposed) << ".\n";
  }
  return out.str();
}

nlohmann::json simulate_json(const engine::SimulateResult& r, const std::string& current_name,
                             const std::string& proposed_name) {
  return {{"period",
           {{"since", util::format_rfc3339(r.since)}, {"until", util::format_rfc3339(r.until)}}},
          {"leads", r.leads},
          {"config", {{"current", current_name}, {"proposed", proposed_name}}},
          {"sla_seconds", r.sla ? nlohmann::json(r.sla->count()) : nlohmann::json(nullptr)},
          {"recorded", side_json(r.recorded, false)},
          {"current", side_json(r.current, true)},
          {"proposed", side_json(r.proposed, true)},
          {"diff", side_json(r.diff, false)}};
}

std::string simulate_csv(const engine::SimulateResult& r) {
  std::ostringstream out;
  out << "side,group,name,leads,offered,claimed,declined,expired,assigned,picked_up,share,"
         "median_claim_seconds,p90_claim_seconds,defaulted,queued,limit_hits,sla_misses\n";
  const auto optional_cell = [](const auto& v) {
    std::ostringstream s;
    if (v) {
      s << *v;
    }
    return s.str();
  };
  const auto row = [&](const char* side, const char* group, const std::string& name,
                       const SimFigures& f, bool limits_known) {
    out << side << ',' << group << ',' << util::csv_field(name) << ',' << f.leads << ','
        << f.offered << ',' << f.claimed << ',' << f.declined << ',' << f.expired << ','
        << f.assigned << ',' << f.picked_up << ',' << optional_cell(f.share) << ','
        << optional_cell(f.median_claim_seconds) << ',' << optional_cell(f.p90_claim_seconds) << ','
        << f.defaulted << ',' << f.queued << ','
        << (limits_known ? std::to_string(f.limit_hits) : std::string()) << ',' << f.sla_misses
        << '\n';
  };
  const std::pair<const char*, const SimSide*> sides[] = {{"recorded", &r.recorded},
                                                          {"current", &r.current},
                                                          {"proposed", &r.proposed},
                                                          {"diff", &r.diff}};
  for (const auto& [side, s] : sides) {
    for (const auto& x : s->agents) {
      row(side, "agent", x.name, x.figures, s->limits_known);
    }
    for (const auto& x : s->pools) {
      row(side, "pool", x.name, x.figures, s->limits_known);
    }
    for (const auto& x : s->rules) {
      row(side, "rule", x.name, x.figures, s->limits_known);
    }
    row(side, "total", "", s->total, s->limits_known);
  }
  return out.str();
}

}  // namespace router::cli
