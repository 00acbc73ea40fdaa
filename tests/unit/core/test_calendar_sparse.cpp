// Sparse schedules: open one minute a week, so a timeout of a day of business time is 1440
// weeks (27 years) of wall time. The skipping searches must agree with a minute-by-minute
// oracle where one is affordable (up to 2 h = 120 weeks), with a day-by-day closed form
// beyond, across daylight-saving changes and holidays; and look at few days.
#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include "calendar_support.hpp"
#include "core/calendar_walk.hpp"

using namespace calendar_test;
using namespace std::chrono_literals;
using date::local_days;
using router::core::add_business_time;
using router::core::subtract_business_time;
using std::chrono::minutes;

namespace {

// Sunday 03:00-03:01 in London (03:00 exists exactly once on every Sunday, changes included).
Schedule minute_a_week(std::vector<Holiday> holidays = {}) {
  return schedule("Europe/London", week({{"sun", "03:00-03:01"}}), std::move(holidays));
}

// Christmas closed every year, one Sunday closed, one Wednesday with half an hour instead.
std::vector<Holiday> some_holidays() {
  return {yearly("12-25"), on("2026-11-29"), on("2027-01-13", "10:00-10:30"),
          on("2028-03-26")};  // 2028-03-26: the Sunday of a spring-forward change
}

// Local day ranges straight from the definition (as in test_calendar_oracle.cpp): the
// weekday's, or on a holiday its special hours, gathered in `special`. A reference, not a
// copy: the minute oracle asks twice a minute for 120 weeks of minutes, and a vector copied
// each time made this file most of the unit tests' time under the sanitizers.
const std::vector<TimeRange>& ranges_on(const Schedule& s, local_days day,
                                        std::vector<TimeRange>& special) {
  const date::year_month_day ymd{day};
  bool holiday = false;
  special.clear();
  for (const Holiday& h : s.holidays) {
    const bool by_date = h.date && *h.date == ymd;
    const bool by_year =
        h.every_year && h.every_year->month() == ymd.month() && h.every_year->day() == ymd.day();
    if (by_date || by_year) {
      holiday = true;
      if (h.hours) {
        special.insert(special.end(), h.hours->begin(), h.hours->end());
      }
    }
  }
  return holiday ? special : s.hours.days[(date::weekday{day}.c_encoding() + 6) % 7];
}

// Is a minute open? Asked for a million minutes in order, it keeps the zone's period of
// constant offset around the last instant asked and looks the zone up again only outside it:
// under the sanitizers a lookup for every minute was most of this file's time.
class MinuteOracle {
public:
  explicit MinuteOracle(const Schedule& s) : m_s(s) {}

  // Is t's local wall time inside a span of today's or yesterday's ranges?
  bool open(Time t) {
    if (!m_period || t < m_period->begin || t >= m_period->end) {
      m_period = m_s.zone->get_info(t);
    }
    const date::local_seconds lt{(t + m_period->offset).time_since_epoch()};
    const local_days today = date::floor<date::days>(lt);
    for (const local_days day : {today - date::days{1}, today}) {
      for (const TimeRange& r : ranges_on(m_s, day, m_special)) {
        const auto end = day + minutes{r.end <= r.start ? r.end + 1440 : r.end};
        if (day + minutes{r.start} <= lt && lt < end) {
          return true;
        }
      }
    }
    return false;
  }

private:
  const Schedule& m_s;
  std::optional<date::sys_info> m_period;
  std::vector<TimeRange> m_special;
};

bool oracle_open(const Schedule& s, Time t) {
  return MinuteOracle(s).open(t);
}

// add_business_time by walking minute by minute (t need not be a whole minute).
Time oracle_add(const Schedule& s, Time t, Duration d) {
  MinuteOracle oracle(s);
  Time m = date::floor<minutes>(t);
  Duration got{0};
  for (;; m += 1min) {
    if (!oracle.open(m)) {
      continue;
    }
    const Duration here = 60s - (m < t ? t - m : 0s);
    if (got + here >= d) {
      return m + (d - got) + (m < t ? t - m : 0s);
    }
    got += here;
  }
}

// subtract_business_time by walking back minute by minute from a whole minute t.
Time oracle_subtract(const Schedule& s, Time t, Duration d) {
  MinuteOracle oracle(s);
  Duration got{0};
  for (Time m = t - 1min;; m -= 1min) {
    if (oracle.open(m)) {
      if (got + 60s >= d) {
        return m + 60s - (d - got);
      }
      got += 60s;
    }
  }
}

// Closed form for whole minutes n of business time from t (not inside an open minute):
// the n-th open minute, found day by day; each day's ranges (none crossing midnight, none
// in a gap) each hold their length.
Time closed_form_add(const Schedule& s, Time t, long n) {
  std::vector<TimeRange> special;
  for (local_days day = date::floor<date::days>(s.zone->to_local(t));; day += date::days{1}) {
    for (const TimeRange& r : ranges_on(s, day, special)) {
      const Time begin = s.zone->to_sys(day + minutes{r.start}, date::choose::earliest);
      if (begin < t) {
        continue;
      }
      const long length = r.end - r.start;
      if (n <= length) {
        return begin + minutes{n};
      }
      n -= length;
    }
  }
}

// Starts worth trying: around the open minute, around both 2026 changes, mid-week.
std::vector<Time> starts() {
  return {at("2026-11-22T02:59:59Z"), at("2026-11-22T03:00:00Z"), at("2026-11-22T03:00:20Z"),
          at("2026-11-22T03:01:00Z"), at("2026-03-28T12:00:00Z"), at("2026-03-29T01:59:00Z"),
          at("2026-03-29T02:00:30Z"), at("2026-10-24T23:00:00Z"), at("2026-10-25T02:00:00Z"),
          at("2026-10-25T03:00:30Z"), at("2026-06-17T08:13:07Z")};
}

}  // namespace

TEST_SUITE("core.calendar") {
  TEST_CASE("a minute a week: 1m, 30m and 2h agree with the minute oracle, with holidays") {
    for (const Schedule& s : {minute_a_week(), minute_a_week(some_holidays())}) {
      CAPTURE(s.holidays.size());
      for (const Time t : starts()) {
        for (const Duration d : {Duration{1min}, Duration{30min}, Duration{2h}}) {
          CAPTURE(utc(t));
          CAPTURE(d.count());
          CHECK(utc(add_business_time(s, t, d)) == utc(oracle_add(s, t, d)));
          const Time whole = date::floor<minutes>(t);
          CHECK(utc(subtract_business_time(s, whole, d)) == utc(oracle_subtract(s, whole, d)));
        }
      }
    }
  }

  TEST_CASE("a minute a week: 1d is 1440 weeks, exactly, also past holidays and changes") {
    const Schedule plain = minute_a_week();
    // From just after an opening: the 1440th Sunday on, at 03:01 local. (Late in the year:
    // the OS time zone files date/tz reads know daylight saving only until 2037.)
    const Time t = at("2026-04-19T02:01:00Z");
    const local_days sunday{date::year{2026} / 4 / 19};
    const auto expected =
        plain.zone->to_sys(sunday + date::days{7 * 1440} + 3h + 1min, date::choose::earliest);
    CHECK(local(plain, add_business_time(plain, t, 24h)) == "2053-11-23T03:01:00+00:00");
    CHECK(utc(add_business_time(plain, t, 24h)) == utc(expected));
    // Back from there: the 1440th minute back is the first one after t.
    CHECK(utc(subtract_business_time(plain, expected, 24h)) == "2026-04-26T02:00:00Z");
    const Schedule holidays = minute_a_week(some_holidays());
    for (const Time start : starts()) {
      if (start != date::floor<minutes>(start) && oracle_open(plain, start)) {
        continue;  // inside the open minute: the closed form counts whole minutes
      }
      CAPTURE(utc(start));
      CHECK(utc(add_business_time(holidays, start, 24h)) ==
            utc(closed_form_add(holidays, start, 1440)));
      CHECK(utc(add_business_time(plain, start, 24h + 30min)) ==
            utc(closed_form_add(plain, start, 1470)));
    }
  }

  TEST_CASE("skipping weeks agrees with the oracle in a zone with holidays and changes") {
    // New York, Mon and Thu 23:30-00:30 (across midnight), holidays on both kinds of day.
    const Schedule s = schedule(
        "America/New_York", week({{"mon,thu", "23:30-00:30"}}),
        {yearly("07-04"), on("2026-11-26"), on("2027-03-15", "12:00-12:10"), yearly("12-31")});
    for (const Time t :
         {at("2026-11-02T04:29:00Z"), at("2027-03-01T00:00:00Z"), at("2026-07-01T17:45:30Z")}) {
      for (const Duration d : {Duration{1min}, Duration{61min}, Duration{25h + 10min}}) {
        CAPTURE(utc(t));
        CAPTURE(d.count());
        CHECK(utc(add_business_time(s, t, d)) == utc(oracle_add(s, t, d)));
        const Time whole = date::floor<minutes>(t);
        CHECK(utc(subtract_business_time(s, whole, d)) == utc(oracle_subtract(s, whole, d)));
      }
    }
  }

  TEST_CASE("skipping weeks agrees with summing the open intervals, random schedules") {
    // open_intervals walks every day (checked against the minute oracle elsewhere); the
    // searches skip weeks. Random sparse hours, holidays around the changes, far targets.
    std::mt19937_64 rng{20261122};
    const char* zones[] = {"Europe/London", "Australia/Lord_Howe", "America/New_York",
                           "Pacific/Chatham", "UTC"};
    for (int n = 0; n < 150; ++n) {
      const char* zone = zones[rng() % std::size(zones)];
      WeeklyHours w;
      for (int k = 0; k < 1 + static_cast<int>(rng() % 3); ++k) {
        const int start = static_cast<int>(rng() % 1440);
        const int length = 1 + static_cast<int>(rng() % (rng() % 2 == 0 ? 5 : 600));
        w.days[rng() % 7].push_back({start, (start + length) % 1440});
      }
      std::vector<Holiday> holidays;
      for (int k = 0; k < static_cast<int>(rng() % 8); ++k) {
        const local_days day =
            local_days{date::year{2026} / 1 / 1} + date::days{static_cast<int>(rng() % 1100)};
        const date::year_month_day ymd{day};
        Holiday h;
        if (rng() % 3 == 0) {
          h.every_year = ymd.month() / ymd.day();
        } else {
          h.date = ymd;
        }
        if (rng() % 3 == 0) {
          h.hours = std::vector<TimeRange>{{static_cast<int>(rng() % 1380), 1439}};
        }
        holidays.push_back(h);
      }
      const Schedule s = schedule(zone, w, holidays);
      const Duration week = router::core::weekly_open_time(s);
      const Time t = at("2026-01-01T00:00:00Z") + Duration{rng() % 40'000'000};
      const Duration d = week * static_cast<long>(rng() % 60) + Duration{1 + rng() % 7200};
      const auto forward = router::core::open_intervals(s, t, t + date::years{4});
      Duration left = d;
      std::optional<Time> expected;
      for (const auto& i : forward) {
        if (i.end - i.begin >= left) {
          expected = i.begin + left;
          break;
        }
        left -= i.end - i.begin;
      }
      CAPTURE(zone);
      CAPTURE(utc(t));
      CAPTURE(d.count());
      REQUIRE(expected);
      CHECK(utc(add_business_time(s, t, d)) == utc(expected));
      const auto back = router::core::open_intervals(s, t - date::years{4}, t);
      left = d;
      expected.reset();
      for (auto i = back.rbegin(); i != back.rend(); ++i) {
        if (i->end - i->begin >= left) {
          expected = i->end - left;
          break;
        }
        left -= i->end - i->begin;
      }
      REQUIRE(expected);
      CHECK(utc(subtract_business_time(s, t, d)) == utc(expected));
    }
  }

  TEST_CASE("business time past the year 9999 or before the year 1 does not exist") {
    const Schedule s = minute_a_week();
    CHECK_FALSE(add_business_time(s, at("2026-11-22T03:01:00Z"), 24h * 1000));
    CHECK_FALSE(subtract_business_time(s, at("2026-11-22T03:01:00Z"), 24h * 100));
    CHECK_FALSE(router::core::longest_wall_time(s, 24h * 1000));
  }

  TEST_CASE("a day of business time on a minute a week walks a few hundred days, not 10,000") {
    // 1440 open minutes are 1440 weeks, about 27.6 years. Regular weeks are skipped; only
    // the weeks around a holiday or a change of UTC offset are walked day by day. The cost
    // is counted in days looked at, which does not depend on the machine or its load.
    const Schedule s = minute_a_week(some_holidays());
    const Time from = at("2026-11-22T03:01:00Z");
    const std::uint64_t before = router::core::days_walked();
    const auto due = add_business_time(s, from, 24h);
    const std::uint64_t forward = router::core::days_walked() - before;
    REQUIRE(due);
    CHECK(*due > at("2054-01-01T00:00:00Z"));
    MESSAGE("add_business_time(1d) on a minute a week looked at " << forward << " days");
    // Each year has a yearly holiday and two offset changes: some 80 short walks.
    CHECK(forward > 0);
    CHECK(forward < 1000);
    const std::uint64_t middle = router::core::days_walked();
    CHECK(subtract_business_time(s, *due, 24h));
    const std::uint64_t backward = router::core::days_walked() - middle;
    MESSAGE("subtract_business_time(1d) looked at " << backward << " days");
    CHECK(backward > 0);
    CHECK(backward < 1000);
  }

  TEST_CASE("a schedule closed every day of the year by yearly holidays never opens") {
    std::vector<Holiday> all_year;
    const local_days leap{date::year{2028} / 1 / 1};
    for (local_days d = leap; d < leap + date::days{366}; d += date::days{1}) {
      const date::year_month_day ymd{d};
      Holiday h;
      h.every_year = ymd.month() / ymd.day();
      all_year.push_back(h);
    }
    const Schedule closed = schedule("UTC", week({{"daily", "09:00-17:00"}}), all_year);
    CHECK_FALSE(router::core::opens_for_ever(closed));
    CHECK_FALSE(add_business_time(closed, at("2026-11-20T16:55:00Z"), 15min));
    CHECK_FALSE(router::core::next_open(closed, at("2026-11-20T16:55:00Z")));
    CHECK_FALSE(subtract_business_time(closed, at("2026-11-20T16:55:00Z"), 15min));
    // One month-day left open: it opens again, on the years it falls on a weekday.
    all_year.pop_back();  // 12-31
    const Schedule nearly = schedule("UTC", week({{"mon", "09:00-17:00"}}), all_year);
    CHECK(router::core::opens_for_ever(nearly));
    CHECK(utc(router::core::next_open(nearly, at("2026-11-20T16:55:00Z"))) ==
          "2029-12-31T09:00:00Z");
    CHECK(utc(add_business_time(nearly, at("2026-11-20T16:55:00Z"), 9h)) == "2035-12-31T10:00:00Z");
  }

  TEST_CASE("the slowest start of a regular week bounds the wall time of a setting") {
    CHECK(router::core::weekly_open_time(minute_a_week()) == 1min);
    CHECK(router::core::longest_wall_time(minute_a_week(), 2min) == date::days{14});
    CHECK(router::core::longest_wall_time(minute_a_week(), 1min) == date::days{7});
    const Schedule office = schedule("Europe/London", week({{"mon-fri", "09:00-17:00"}}));
    CHECK(router::core::weekly_open_time(office) == 40h);
    // Friday 17:00 to Monday 09:15.
    CHECK(router::core::longest_wall_time(office, 15min) == 64h + 15min);
    const Schedule always = schedule("UTC", week({{"daily", "00:00-24:00"}}));
    CHECK(router::core::longest_wall_time(always, 15min) == 15min);
    CHECK_FALSE(router::core::longest_wall_time(schedule("UTC", WeeklyHours{}), 15min));
  }
}
