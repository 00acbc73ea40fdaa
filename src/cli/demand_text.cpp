#include "cli/demand_text.hpp"

#include "util/time.hpp"

namespace router::cli {
namespace {

constexpr const char* k_demand_days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

// "07" for 7.
std::string two_digits(int v) {
  return std::string{static_cast<char>('0' + v / 10 % 10), static_cast<char>('0' + v % 10)};
}

// "ann 10, bob 10 = 20 a day", "ann 10, bob no limit = no limit", "nobody on duty".
std::string day_text(const core::DayCapacity& c) {
  if (c.on_duty.empty()) {
    return "nobody on duty";
  }
  std::string out;
  for (std::size_t i = 0; i < c.on_duty.size(); ++i) {
    out += (i == 0 ? "" : ", ") + c.on_duty[i] + " " +
           (c.limits[i] > 0 ? std::to_string(c.limits[i]) : "no limit");
  }
  return out + " = " + (c.limit ? std::to_string(*c.limit) + " a day" : "no limit");
}

// True when an over-limit day ran out of its limits in this weekday and hour.
bool ran_out(const core::PoolDemand& demand, int weekday, int hour) {
  for (const auto& o : demand.over) {
    if (o.weekday == weekday && o.hour == hour) {
      return true;
    }
  }
  return false;
}

std::string demand_line(std::string line) {
  while (!line.empty() && line.back() == ' ') {
    line.pop_back();
  }
  return line + "\n";
}

}  // namespace

std::string over_text(const core::OverLimit& over) {
  return "arrivals exceed the daily limits: " + std::to_string(over.arrivals) + " leads, limits " +
         std::to_string(over.limit);
}

std::string demand_text(const core::PoolDemand& demand, util::Time since, util::Time until) {
  std::string out = "  arrivals from " + util::format_rfc3339(since) + " to " +
                    util::format_rfc3339(until) + ": " + std::to_string(demand.total) +
                    (demand.total == 1 ? " lead\n" : " leads\n");
  std::string header = "      ";
  for (int h = 0; h < 24; ++h) {
    header += two_digits(h) + " ";
  }
  out += demand_line(header);
  for (int d = 0; d < 7; ++d) {
    std::string row = std::string("  ") + k_demand_days[d] + " ";
    for (int h = 0; h < 24; ++h) {
      const int n = demand.arrivals[static_cast<std::size_t>(d)][static_cast<std::size_t>(h)];
      row += n == 0 ? " ." : n > 99 ? "++" : (n < 10 ? " " : "") + std::to_string(n);
      row += ran_out(demand, d, h) ? '!' : ' ';
    }
    out += demand_line(row);
  }
  out += "  leads per hour of the week  ++ 100 or more  ! the daily limits ran out\n";
  // Who is on duty, consecutive days alike in one line.
  out += "  on duty, daily limits:\n";
  for (std::size_t d = 0; d < 7;) {
    std::size_t last = d;
    const auto& c = demand.days[d];
    while (last + 1 < 7 && demand.days[last + 1].on_duty == c.on_duty &&
           demand.days[last + 1].limits == c.limits) {
      ++last;
    }
    out += std::string("    ") + k_demand_days[d] +
           (last != d ? std::string("-") + k_demand_days[last] : "") + ": " + day_text(c) + "\n";
    d = last + 1;
  }
  out += "  over the daily limits:" + std::string(demand.over.empty() ? " none\n" : "\n");
  for (const auto& o : demand.over) {
    out += "    " + date::format("%F", o.date) + " " + k_demand_days[o.weekday] + " " +
           two_digits(o.hour) + ":00: " + over_text(o) + "\n";
  }
  return out;
}

nlohmann::ordered_json demand_json(const core::PoolDemand& demand, util::Time since,
                                   util::Time until) {
  nlohmann::ordered_json arrivals = nlohmann::ordered_json::array();
  nlohmann::ordered_json on_duty = nlohmann::ordered_json::array();
  nlohmann::ordered_json days = nlohmann::ordered_json::array();
  for (std::size_t d = 0; d < 7; ++d) {
    arrivals.push_back(demand.arrivals[d]);
    on_duty.push_back(demand.on_duty[d]);
    const auto& c = demand.days[d];
    days.push_back(
        {{"day", k_demand_days[d]},
         {"on_duty", c.on_duty},
         {"limit", c.limited() ? nlohmann::ordered_json(*c.limit) : nlohmann::ordered_json()},
         {"unlimited", !c.on_duty.empty() && !c.limit}});
  }
  nlohmann::ordered_json over = nlohmann::ordered_json::array();
  for (const auto& o : demand.over) {
    over.push_back({{"date", date::format("%F", o.date)},
                    {"day", k_demand_days[o.weekday]},
                    {"hour", two_digits(o.hour) + ":00"},
                    {"arrivals", o.arrivals},
                    {"limit", o.limit},
                    {"text", over_text(o)}});
  }
  return {{"since", util::format_rfc3339(since)},
          {"until", util::format_rfc3339(until)},
          {"total", demand.total},
          {"arrivals", arrivals},
          {"on_duty", on_duty},
          {"days", days},
          {"over", over}};
}

}  // namespace router::cli
