#include "cli/coverage_text.hpp"

#include <algorithm>

#include "cli/demand_text.hpp"
#include "util/time.hpp"

namespace router::cli {
namespace {

constexpr const char* k_day_names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr const char* k_dash = "\u2013";

// "09:05" for 545 minutes (under 100 hours).
std::string hhmm(int minutes) {
  const auto two = [](int v) {
    return std::string{static_cast<char>('0' + v / 10 % 10), static_cast<char>('0' + v % 10)};
  };
  return two(minutes / 60) + ":" + two(minutes % 60);
}

core::Duration offset_of(const util::Zone* zone, core::Time t) {
  return zone ? zone->get_info(t).offset : core::Duration{0};
}

date::local_seconds local_of(const util::Zone* zone, core::Time t) {
  return date::local_seconds{(t + offset_of(zone, t)).time_since_epoch()};
}

// "2026-12-24 thu" and the minutes since that day's midnight; an end at midnight is the
// previous day's 24:00.
std::pair<std::string, int> local_day(date::local_seconds l, bool end) {
  auto day = date::floor<date::days>(l);
  if (end && day == l) {
    day -= date::days{1};
  }
  const int weekday = static_cast<int>(date::weekday{day}.iso_encoding()) - 1;
  return {date::format("%F", day) + " " + k_day_names[weekday],
          static_cast<int>((l - day).count() / 60)};
}

// "2026-12-24T13:00:00+00:00".
std::string rfc3339_local(const util::Zone* zone, core::Time t) {
  const auto offset = static_cast<int>(offset_of(zone, t).count() / 60);
  return date::format("%FT%T", local_of(zone, t)) + (offset < 0 ? "-" : "+") +
         hhmm(offset < 0 ? -offset : offset);
}

const char* reason_code(core::GapReason reason) {
  switch (reason) {
  case core::GapReason::nobody_on_shift: return "nobody_on_shift";
  case core::GapReason::everyone_on_leave: return "everyone_on_leave";
  case core::GapReason::closed: break;
  }
  return "closed";
}

std::string local_minute_text(const util::Zone* zone, core::Time t) {
  const auto [day, minutes] = local_day(local_of(zone, t), false);
  return day.substr(0, 10) + " " + hhmm(minutes);
}

nlohmann::ordered_json leaves_json(const std::vector<core::Leave>& leaves, const util::Zone* zone) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& l : leaves) {
    out.push_back({{"agent", l.agent},
                   {"until", l.until ? nlohmann::ordered_json(rfc3339_local(zone, *l.until))
                                     : nlohmann::ordered_json()}});
  }
  return out;
}

nlohmann::ordered_json weekly_json(const core::WeeklyGap& g, const util::Zone* zone,
                                   const std::string& rule, const std::string& pool) {
  const int last = (g.end - 1) / 1440;
  return {{"day", k_day_names[g.begin / 1440]},
          {"start", hhmm(g.begin % 1440)},
          {"end_day", k_day_names[last % 7]},
          {"end", hhmm(g.end - last * 1440)},
          {"reason", reason_code(g.reason)},
          {"text", reason_text(g.reason, g.leaves, zone, rule, pool)},
          {"on_leave", leaves_json(g.leaves, zone)}};
}

nlohmann::ordered_json dated_json(const core::Gap& g, const util::Zone* zone,
                                  const std::string& rule, const std::string& pool) {
  const auto [begin_day, begin_minute] = local_day(local_of(zone, g.begin), false);
  const auto [end_day, end_minute] = local_day(local_of(zone, g.end), true);
  return {{"start", rfc3339_local(zone, g.begin)},
          {"end", rfc3339_local(zone, g.end)},
          {"day", begin_day.substr(11)},
          {"local_start", hhmm(begin_minute)},
          {"end_day", end_day.substr(11)},
          {"local_end", hhmm(end_minute)},
          {"reason", reason_code(g.reason)},
          {"text", reason_text(g.reason, g.leaves, zone, rule, pool)},
          {"on_leave", leaves_json(g.leaves, zone)}};
}

template <typename Gaps, typename Each>
nlohmann::ordered_json list_json(const Gaps& gaps, Each each) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& g : gaps) {
    out.push_back(each(g));
  }
  return out;
}

const char* cell_text(core::HourCell cell) {
  switch (cell) {
  case core::HourCell::closed: return "..";
  case core::HourCell::covered: return "##";
  case core::HourCell::partial: return "++";
  case core::HourCell::gap: break;
  }
  return "!!";
}

// The week grid: a header of hours, then one row per day.
std::string grid_text(const core::PoolCoverage& pool) {
  std::string out = "      ";
  for (int h = 0; h < 24; h += 2) {
    out += hhmm(h * 60).substr(0, 2) + "  ";
  }
  while (out.back() == ' ') {
    out.pop_back();
  }
  out += '\n';
  for (std::size_t d = 0; d < 7; ++d) {
    out += std::string("  ") + k_day_names[d] + " ";
    for (const auto cell : pool.grid[d]) {
      out += cell_text(cell);
    }
    out += '\n';
  }
  return out + "  ## covered  .. closed  !! gap, whole hour  ++ gap, part of the hour\n";
}

// A weekly gap with its reason as text.
struct WeeklyLine {
  core::WeeklyGap gap;
  std::string reason;
};

// The weekly gaps in time order, those at the same hours on consecutive days in one line:
// "mon-fri 17:00–19:00: ...".
std::vector<std::string> weekly_lines(std::vector<WeeklyLine> lines) {
  std::stable_sort(lines.begin(), lines.end(),
                   [](const auto& a, const auto& b) { return a.gap.begin < b.gap.begin; });
  std::vector<std::string> out;
  std::vector<bool> used(lines.size(), false);
  const auto same_day = [](const core::WeeklyGap& g) {
    return (g.end - 1) / 1440 == g.begin / 1440;
  };
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (used[i]) {
      continue;
    }
    const core::WeeklyGap& first = lines[i].gap;
    int last_day = first.begin / 1440;
    for (std::size_t j = i + 1; j < lines.size() && same_day(first); ++j) {
      const core::WeeklyGap& g = lines[j].gap;
      if (!used[j] && same_day(g) && g.begin / 1440 == last_day + 1 &&
          g.begin % 1440 == first.begin % 1440 && g.end - g.begin == first.end - first.begin &&
          lines[j].reason == lines[i].reason) {
        used[j] = true;
        ++last_day;
      }
    }
    std::string text = weekly_text(first);
    if (last_day != first.begin / 1440) {
      text = std::string(k_day_names[first.begin / 1440]) + "-" + k_day_names[last_day] +
             text.substr(3);
    }
    out.push_back(text + ": " + lines[i].reason);
  }
  return out;
}

}  // namespace

std::string weekly_text(const core::WeeklyGap& gap) {
  const int first = gap.begin / 1440;
  const int last = (gap.end - 1) / 1440;
  std::string out = std::string(k_day_names[first]) + " " + hhmm(gap.begin % 1440) + k_dash;
  if (last != first) {
    out += std::string(k_day_names[last % 7]) + " ";
  }
  return out + hhmm(gap.end - last * 1440);
}

std::string dated_text(const core::Gap& gap, const util::Zone* zone) {
  const auto [begin_day, begin_minute] = local_day(local_of(zone, gap.begin), false);
  const auto [end_day, end_minute] = local_day(local_of(zone, gap.end), true);
  std::string out = begin_day + " " + hhmm(begin_minute) + k_dash;
  if (end_day != begin_day) {
    out += end_day + " ";
  }
  return out + hhmm(end_minute);
}

std::string reason_text(core::GapReason reason, const std::vector<core::Leave>& leaves,
                        const util::Zone* zone, const std::string& rule, const std::string& pool) {
  switch (reason) {
  case core::GapReason::nobody_on_shift: return "nobody on shift";
  case core::GapReason::everyone_on_leave: {
    std::string out = "everyone on shift is on leave:";
    for (std::size_t i = 0; i < leaves.size(); ++i) {
      out += (i == 0 ? " " : ", ") + leaves[i].agent +
             (leaves[i].until ? " until " + local_minute_text(zone, *leaves[i].until)
                              : " with no end");
    }
    return out;
  }
  case core::GapReason::closed: break;
  }
  return "rule " + rule + " sends leads to " + pool + " while it is closed";
}

std::vector<GapLine> gap_lines(const core::PoolCoverage& pool) {
  std::vector<GapLine> out;
  const auto add = [&](const core::GapReport& report, const std::string& rule) {
    std::vector<WeeklyLine> weekly;
    for (const auto& g : report.weekly) {
      weekly.push_back({g, reason_text(g.reason, g.leaves, pool.zone, rule, pool.pool)});
    }
    for (auto& line : weekly_lines(std::move(weekly))) {
      out.push_back({rule, "every week " + line});
    }
    for (const auto& g : report.dated) {
      out.push_back({rule, "on " + dated_text(g, pool.zone) + ": " +
                               reason_text(g.reason, g.leaves, pool.zone, rule, pool.pool)});
    }
  };
  add(pool.gaps, "");
  for (const auto& r : pool.rules) {
    add(r.gaps, r.rule);
  }
  return out;
}

std::string coverage_text(const engine::CoverageResult& result) {
  std::string out = "coverage from " + util::format_rfc3339(result.from) + " to " +
                    util::format_rfc3339(result.to) + "\n";
  for (const auto& pool : result.pools) {
    out += "\npool " + pool.pool + " (" + (pool.zone ? pool.zone->name() : "UTC") + ")\n";
    out += grid_text(pool);
    // The pool's gaps and its rules' together, in time order: weekly ones, then dated.
    std::vector<WeeklyLine> weekly;
    std::vector<std::pair<long long, std::string>> dated;
    const auto add = [&](const core::GapReport& report, const std::string& rule) {
      for (const auto& g : report.weekly) {
        weekly.push_back({g, reason_text(g.reason, g.leaves, pool.zone, rule, pool.pool)});
      }
      for (const auto& g : report.dated) {
        dated.emplace_back(g.begin.time_since_epoch().count(),
                           "    " + dated_text(g, pool.zone) + ": " +
                               reason_text(g.reason, g.leaves, pool.zone, rule, pool.pool) + "\n");
      }
    };
    add(pool.gaps, "");
    for (const auto& r : pool.rules) {
      add(r.gaps, r.rule);
    }
    const auto by_time = [](const auto& a, const auto& b) { return a.first < b.first; };
    std::stable_sort(dated.begin(), dated.end(), by_time);
    if (weekly.empty() && dated.empty()) {
      out += "  no gaps\n";
    } else {
      out += "  every week:" + std::string(weekly.empty() ? " none\n" : "\n");
      for (const auto& line : weekly_lines(std::move(weekly))) {
        out += "    " + line + "\n";
      }
      out += "  dated:" + std::string(dated.empty() ? " none\n" : "\n");
      for (const auto& line : dated) {
        out += line.second;
      }
    }
    if (pool.demand && result.since) {
      out += demand_text(*pool.demand, *result.since, result.from);
    }
  }
  return out;
}

nlohmann::ordered_json coverage_json(const engine::CoverageResult& result, int weeks) {
  nlohmann::ordered_json pools = nlohmann::ordered_json::array();
  for (const auto& pool : result.pools) {
    const util::Zone* zone = pool.zone;
    const auto report = [&](const core::GapReport& r, const std::string& rule) {
      return std::pair{
          list_json(r.weekly, [&](const auto& g) { return weekly_json(g, zone, rule, pool.pool); }),
          list_json(r.dated, [&](const auto& g) { return dated_json(g, zone, rule, pool.pool); })};
    };
    nlohmann::ordered_json grid = nlohmann::ordered_json::array();
    for (const auto& day : pool.grid) {
      std::string row;
      for (const auto cell : day) {
        row += cell_text(cell)[0];
      }
      grid.push_back(row);
    }
    nlohmann::ordered_json rules = nlohmann::ordered_json::array();
    for (const auto& r : pool.rules) {
      auto [weekly, dated] = report(r.gaps, r.rule);
      rules.push_back(
          {{"rule", r.rule}, {"during", r.schedule}, {"weekly", weekly}, {"dated", dated}});
    }
    auto [weekly, dated] = report(pool.gaps, "");
    pools.push_back({{"pool", pool.pool},
                     {"timezone", zone ? zone->name() : "UTC"},
                     {"gaps", pool.has_gaps()},
                     {"grid", grid},
                     {"weekly", weekly},
                     {"dated", dated},
                     {"rules", rules}});
    if (pool.demand && result.since) {
      pools.back()["over_limits"] = pool.over_limits();
      pools.back()["demand"] = demand_json(*pool.demand, *result.since, result.from);
    }
  }
  nlohmann::ordered_json out = {{"from", util::format_rfc3339(result.from)},
                                {"to", util::format_rfc3339(result.to)},
                                {"weeks", weeks},
                                {"gaps", result.has_gaps()}};
  if (result.since) {
    out["since"] = util::format_rfc3339(*result.since);
    out["over_limits"] = result.over_limits();
  }
  out["pools"] = pools;
  return out;
}

}  // namespace router::cli
