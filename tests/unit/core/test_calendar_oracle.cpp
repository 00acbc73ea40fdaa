// The calendar against a brute-force oracle: walk minute by minute, convert each instant
// to local time with the zone and look the local day's ranges and holidays up directly.
// Random weekly hours (cross-midnight ranges, 24:00, boundaries near the changes) and
// holidays, in zones with odd offsets and daylight saving in both hemispheres, in
// windows of a few days around every change and year end of 2025-2028.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <sstream>

#include "calendar_support.hpp"

using namespace calendar_test;
using namespace std::chrono_literals;
using date::local_days;
using std::chrono::minutes;

namespace {

// The ranges starting on `day`, straight from the definition.
std::vector<TimeRange> oracle_ranges(const Schedule& s, local_days day) {
  const date::year_month_day ymd{day};
  bool holiday = false;
  std::vector<TimeRange> special;
  for (const Holiday& h : s.holidays) {
    const bool by_date = h.date.has_value() && *h.date == ymd;
    const bool by_year = h.every_year.has_value() && h.every_year->month() == ymd.month() &&
                         h.every_year->day() == ymd.day();
    if (by_date || by_year) {
      holiday = true;
      if (h.hours) {
        special.insert(special.end(), h.hours->begin(), h.hours->end());
      }
    }
  }
  if (holiday) {
    return special;
  }
  const unsigned monday_first = (date::weekday{day}.c_encoding() + 6) % 7;
  return s.hours.days[monday_first];
}

// oracle_ranges of every day from `first` on, worked out once: the minute walk asks for
// the same few days again and again.
class OracleDays {
public:
  OracleDays(const Schedule& s, local_days first, int count) : m_first(first) {
    for (int i = 0; i < count; ++i) {
      m_days.push_back(oracle_ranges(s, first + date::days{i}));
    }
  }
  const std::vector<TimeRange>& operator()(local_days day) const {
    return m_days.at(static_cast<std::size_t>((day - m_first).count()));
  }

private:
  local_days m_first;
  std::vector<std::vector<TimeRange>> m_days;
};

// Open at t: is t's local wall-clock time inside a span of today's or yesterday's ranges?
bool oracle_open(const Schedule& s, const OracleDays& ranges, Time t) {
  const date::local_seconds lt = s.zone->to_local(t);
  const local_days today = date::floor<date::days>(lt);
  for (const local_days day : {today - date::days{1}, today}) {
    for (const TimeRange& r : ranges(day)) {
      const auto begin = day + minutes{r.start};
      const auto end = day + minutes{r.end <= r.start ? r.end + 1440 : r.end};
      if (begin <= lt && lt < end) {
        return true;
      }
    }
  }
  return false;
}

// One randomised comparison: a schedule and a window of whole minutes.
struct Case {
  Schedule schedule;
  Time start;                // whole minute
  std::vector<char> open;    // oracle, per minute of the window
  std::vector<long> before;  // open minutes before each minute (prefix sums, size n + 1)
};

int pick_minute(std::mt19937_64& rng) {
  static constexpr int k_near_changes[] = {0,   30,  60,  90,  105, 120,  135,  150,
                                           165, 180, 210, 225, 240, 1380, 1410, 1439};
  if (rng() % 2 == 0) {
    return k_near_changes[rng() % std::size(k_near_changes)];
  }
  return static_cast<int>(rng() % 1440);
}

std::vector<TimeRange> random_ranges(std::mt19937_64& rng, int max_count) {
  std::vector<TimeRange> out;
  const int count = static_cast<int>(rng() % static_cast<unsigned>(max_count + 1));
  for (int i = 0; i < count; ++i) {
    TimeRange r{pick_minute(rng), pick_minute(rng)};
    const auto kind = rng() % 10;
    if (kind == 0) {
      r.end = 1440;  // 24:00
    } else if (kind == 1) {
      r.end = r.start;  // a whole day from start
    } else if (kind == 2 && r.start > 0) {
      r.end = 0;  // "...-00:00" crosses to the next midnight
    }
    out.push_back(r);
  }
  return out;
}

Schedule random_schedule(std::mt19937_64& rng, const char* zone, local_days around) {
  WeeklyHours w;
  for (auto& day : w.days) {
    day = rng() % 4 == 0 ? std::vector<TimeRange>{} : random_ranges(rng, 3);
  }
  std::vector<Holiday> holidays;
  const auto count = rng() % 5;
  for (unsigned i = 0; i < count; ++i) {
    const date::year_month_day ymd{around + date::days{static_cast<int>(rng() % 5) - 2}};
    Holiday h;
    if (rng() % 3 == 0) {
      h.every_year = ymd.month() / ymd.day();
    } else {
      h.date = ymd;
    }
    if (rng() % 2 == 0) {
      h.hours = random_ranges(rng, 2);
    }
    holidays.push_back(h);
  }
  return schedule(zone, std::move(w), std::move(holidays));
}

std::string describe(const Case& c) {
  std::ostringstream out;
  out << c.schedule.timezone << " window from " << utc(c.start) << "\n";
  for (std::size_t d = 0; d < 7; ++d) {
    out << " day" << d << ":";
    for (const auto& r : c.schedule.hours.days[d]) {
      out << " " << r.start << "-" << r.end;
    }
  }
  for (const auto& h : c.schedule.holidays) {
    out << "\n holiday " << (h.date ? date::format("%F", *h.date) : "yearly")
        << (h.every_year ? date::format(" %m-%d", *h.every_year) : "") << ":";
    if (h.hours) {
      for (const auto& r : *h.hours) {
        out << " " << r.start << "-" << r.end;
      }
    } else {
      out << " closed";
    }
  }
  return out.str();
}

// Oracle for add_business_time from t = minute p + sec (next_open when d is 0): the open
// time from t to the end of minute i is 60 s per open minute in [p, i], less `sec` when
// minute p is open, and grows with i; the answer lies in the first minute where it reaches
// d (> 0 for next_open), at that minute's end less the surplus. nullopt: beyond the window.
std::optional<Time> oracle_add(const Case& c, std::size_t p, Duration sec, Duration d) {
  const Duration head = c.open[p] ? sec : 0s;
  const auto available = [&](std::size_t i) {
    return Duration{minutes{c.before[i + 1] - c.before[p]}} - head;
  };
  const Duration want = std::max(d, 0s);
  const Duration need = std::max(want, 1s);
  std::size_t lo = p;
  std::size_t hi = c.open.size();
  while (lo < hi) {
    const std::size_t mid = (lo + hi) / 2;
    if (available(mid) >= need) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  if (lo == c.open.size()) {
    return std::nullopt;
  }
  return c.start + minutes{lo + 1} - (available(lo) - want);
}

// Runs every comparison on one case; stops at the first disagreement.
void compare(const Case& c, std::mt19937_64& rng) {
  const Schedule& s = c.schedule;
  const std::size_t n = c.open.size();
  const Time end = c.start + minutes{n};
  const std::string what = describe(c);
  // Merged runs of open minutes are the open intervals.
  std::vector<std::string> expected;
  for (std::size_t i = 0; i < n;) {
    if (!c.open[i]) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < n && c.open[j]) {
      ++j;
    }
    expected.push_back(utc(c.start + minutes{i}) + "/" + utc(c.start + minutes{j}));
    i = j;
  }
  const auto intervals = utc(router::core::open_intervals(s, c.start, end));
  REQUIRE_MESSAGE(intervals == expected, what);
  for (std::size_t i = 0; i < n; i += 1 + rng() % 9) {
    const Duration sec{static_cast<long>(rng() % 60)};
    const Time t = c.start + minutes{i} + sec;
    REQUIRE_MESSAGE(router::core::is_open(s, t) == (c.open[i] != 0), (what + "\nat " + utc(t)));
  }
  for (int k = 0; k < 40; ++k) {
    const std::size_t p = rng() % n;
    const Duration sec{static_cast<long>(rng() % 4 == 0 ? 0 : rng() % 60)};
    const Time t = c.start + minutes{p} + sec;
    const Duration d = k % 4 == 0   ? 0s
                       : k % 4 == 1 ? 15min
                                    : Duration{rng() % 129'600};  // up to 36 h
    const auto expected_due = oracle_add(c, p, sec, d);
    const auto due = router::core::add_business_time(s, t, d);
    const std::string where = what + "\nfrom " + utc(t) + " plus " + std::to_string(d.count());
    if (expected_due) {
      REQUIRE_MESSAGE(utc(due) == utc(expected_due), where);
    } else {
      REQUIRE_MESSAGE((!due || *due > end), (where + " got " + utc(due)));
    }
    const auto expected_open = oracle_add(c, p, sec, 0s);
    const auto opening = router::core::next_open(s, t);
    if (expected_open) {
      REQUIRE_MESSAGE(utc(opening) == utc(expected_open), where);
    } else {
      REQUIRE_MESSAGE((!opening || *opening >= end), (where + " got " + utc(opening)));
    }
    const std::size_t q = p + rng() % (n - p);
    const Duration between =
        q > p ? minutes{c.before[q] - c.before[p]} - (c.open[p] ? sec : 0s) : 0s;
    REQUIRE_MESSAGE(router::core::business_time_between(s, t, c.start + minutes{q}) ==
                        std::max(between, Duration{0}),
                    (where + " until " + utc(c.start + minutes{q})));
  }
}

// Instants worth testing in a zone: every change of offset and every local new year in
// 2025-2028, 29 February 2028, and a few random instants.
std::vector<Time> anchors(const router::util::Zone* zone, std::mt19937_64& rng) {
  std::vector<Time> out;
  const Time from = at("2025-01-01T00:00:00Z");
  const Time to = at("2029-01-01T00:00:00Z");
  for (Time t = from; t < to;) {
    const auto info = zone->get_info(t);
    if (info.end >= to) {
      break;
    }
    out.push_back(info.end);
    t = info.end;
  }
  for (int y = 2025; y <= 2028; ++y) {
    const local_days new_year{date::year{y} / 1 / 1};
    out.push_back(zone->to_sys(new_year, date::choose::earliest));
  }
  out.push_back(zone->to_sys(local_days{date::year{2028} / 2 / 29}, date::choose::earliest));
  for (int i = 0; i < 6; ++i) {
    out.push_back(from + Duration{static_cast<long>(rng() % 126'000'000)});
  }
  return out;
}

}  // namespace

TEST_SUITE("core.calendar") {
  TEST_CASE("business time agrees with a minute-by-minute oracle in many zones") {
    std::mt19937_64 rng{20261123};
    const char* zones[] = {"Europe/London",       "America/New_York", "America/Sao_Paulo",
                           "Australia/Lord_Howe", "Asia/Kathmandu",   "Pacific/Auckland",
                           "Pacific/Chatham",     "America/St_Johns", "UTC",
                           "Asia/Kolkata",        "Australia/Sydney"};
    int cases = 0;
    for (const char* zone_name : zones) {
      CAPTURE(zone_name);
      const auto* zone = router::util::zone_by_name(zone_name);
      for (const Time anchor : anchors(zone, rng)) {
        // A window of two and a half to three days, starting up to 36 h before the anchor.
        const Time start = date::floor<minutes>(anchor - Duration{rng() % 129'600});
        const local_days around = date::floor<date::days>(zone->to_local(anchor));
        Case c{random_schedule(rng, zone_name, around), start, {}, {}};
        const std::size_t n = 3600 + rng() % 720;  // minutes
        c.open.resize(n);
        const local_days first = date::floor<date::days>(zone->to_local(start)) - date::days{1};
        const OracleDays days{c.schedule, first, 6};
        for (std::size_t i = 0; i < n; ++i) {
          c.open[i] = oracle_open(c.schedule, days, start + minutes{i}) ? 1 : 0;
        }
        c.before.assign(n + 1, 0);
        for (std::size_t i = 0; i < n; ++i) {
          c.before[i + 1] = c.before[i] + c.open[i];
        }
        compare(c, rng);
        ++cases;
      }
    }
    CHECK(cases > 150);
  }

  TEST_CASE("is_open agrees with the open intervals over a whole year") {
    // A fixed, busy schedule over 2026 in London: checks every interval boundary.
    WeeklyHours w = week({{"mon-fri", "00:30-03:00, 09:00-12:30, 12:30-17:00, 22:00-01:30"},
                          {"sat", "01:30-02:30, 10:00-24:00"}});
    w.days[6].push_back({7 * 60, 7 * 60});  // Sunday 07:00 to Monday 07:00
    const Schedule s = schedule(
        "Europe/London", w,
        {on("2026-12-25"), yearly("01-01", "01:00-02:00"), on("2026-03-29", "00:30-03:00")});
    const auto intervals =
        router::core::open_intervals(s, at("2026-01-01T00:00:00Z"), at("2027-01-01T00:00:00Z"));
    REQUIRE(intervals.size() > 300);
    Duration total{0};
    const OracleDays days{s, local_days{date::year{2025} / 12 / 30}, 370};
    for (std::size_t i = 0; i < intervals.size(); ++i) {
      const auto& iv = intervals[i];
      CAPTURE(utc(iv.begin));
      REQUIRE(iv.begin < iv.end);
      REQUIRE((i == 0 || intervals[i - 1].end < iv.begin));
      REQUIRE(router::core::is_open(s, iv.begin));
      REQUIRE(router::core::is_open(s, iv.end - 1s));
      REQUIRE((i == 0 || !router::core::is_open(s, iv.begin - 1s)));
      REQUIRE(oracle_open(s, days, iv.begin));
      REQUIRE((iv.end == at("2027-01-01T00:00:00Z") || !oracle_open(s, days, iv.end)));
      total += iv.end - iv.begin;
    }
    CHECK(total == router::core::business_time_between(s, at("2026-01-01T00:00:00Z"),
                                                       at("2027-01-01T00:00:00Z")));
  }
}
