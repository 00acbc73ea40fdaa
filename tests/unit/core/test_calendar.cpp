// Named business-time scenarios: claim windows, lunch breaks, holidays, night shifts and
// daylight-saving changes in zones east and west of UTC. The brute-force comparison
// lives in test_calendar_oracle.cpp.
#include <doctest/doctest.h>

#include "calendar_support.hpp"

using namespace calendar_test;
using namespace std::chrono_literals;
using router::core::add_business_time;
using router::core::business_time_between;
using router::core::day_ranges;
using router::core::is_open;
using router::core::next_open;
using router::core::open_intervals;

namespace {

// Mon-fri 09:00-17:00 in London.
Schedule office() {
  return schedule("Europe/London", week({{"mon-fri", "09:00-17:00"}}));
}

// The SPEC's example office with the uk calendar.
Schedule uk_office() {
  return schedule(
      "Europe/London", week({{"mon-fri", "09:00-12:30, 13:30-17:30"}, {"sat", "10:00-14:00"}}),
      {on("2026-12-25"), on("2026-12-26"), yearly("01-01"), on("2026-12-24", "09:00-13:00")});
}

}  // namespace

TEST_SUITE("core.calendar") {
  TEST_CASE("Friday 16:55 plus 15 minutes with hours to 17:00 is due Monday 09:10") {
    const Schedule s = office();
    CHECK(local(s, add_business_time(s, at("2026-11-20T16:55:00Z"), 15min)) ==
          "2026-11-23T09:10:00+00:00");
    CHECK(business_time_between(s, at("2026-11-20T16:55:00Z"), at("2026-11-23T09:10:00Z")) ==
          15min);
  }

  TEST_CASE("a window that ends exactly at closing time is due at closing time") {
    const Schedule s = office();
    CHECK(local(s, add_business_time(s, at("2026-11-20T16:45:00Z"), 15min)) ==
          "2026-11-20T17:00:00+00:00");
    CHECK(is_open(s, at("2026-11-20T16:59:59Z")));
    CHECK_FALSE(is_open(s, at("2026-11-20T17:00:00Z")));
    CHECK(is_open(s, at("2026-11-23T09:00:00Z")));
    CHECK_FALSE(is_open(s, at("2026-11-23T08:59:59Z")));
  }

  TEST_CASE("a lead arriving while closed waits for the opening plus the window") {
    const Schedule s = office();
    // Saturday, Tuesday before opening, Tuesday after closing.
    CHECK(local(s, add_business_time(s, at("2026-11-21T10:00:00Z"), 15min)) ==
          "2026-11-23T09:15:00+00:00");
    CHECK(local(s, add_business_time(s, at("2026-11-24T07:00:00Z"), 15min)) ==
          "2026-11-24T09:15:00+00:00");
    CHECK(local(s, add_business_time(s, at("2026-11-24T18:00:00Z"), 15min)) ==
          "2026-11-25T09:15:00+00:00");
    CHECK(local(s, next_open(s, at("2026-11-21T10:00:00Z"))) == "2026-11-23T09:00:00+00:00");
    CHECK(local(s, next_open(s, at("2026-11-24T10:00:00Z"))) == "2026-11-24T10:00:00+00:00");
  }

  TEST_CASE("a zero window is the next opening") {
    const Schedule s = office();
    CHECK(add_business_time(s, at("2026-11-21T10:00:00Z"), 0s) ==
          next_open(s, at("2026-11-21T10:00:00Z")));
    CHECK(add_business_time(s, at("2026-11-24T10:00:00Z"), 0s) == at("2026-11-24T10:00:00Z"));
  }

  TEST_CASE("a window spanning several days counts only open hours") {
    const Schedule s = office();
    // 20 business hours from Thursday 13:00: 4 h Thu, 8 h Fri, 8 h Mon.
    CHECK(local(s, add_business_time(s, at("2026-11-19T13:00:00Z"), 20h)) ==
          "2026-11-23T17:00:00+00:00");
    CHECK(business_time_between(s, at("2026-11-16T00:00:00Z"), at("2026-11-23T00:00:00Z")) == 40h);
    CHECK(business_time_between(s, at("2026-11-23T00:00:00Z"), at("2026-11-16T00:00:00Z")) == 0s);
  }

  TEST_CASE("the lunch break splits the window") {
    const Schedule s = uk_office();
    CHECK(local(s, add_business_time(s, at("2026-11-23T12:20:00Z"), 15min)) ==
          "2026-11-23T13:35:00+00:00");
    CHECK_FALSE(is_open(s, at("2026-11-23T12:30:00Z")));
    CHECK_FALSE(is_open(s, at("2026-11-23T13:29:00Z")));
    CHECK(is_open(s, at("2026-11-23T13:30:00Z")));
    CHECK(local(s, add_business_time(s, at("2026-11-23T17:25:00Z"), 15min)) ==
          "2026-11-24T09:10:00+00:00");
    CHECK(business_time_between(s, at("2026-11-23T00:00:00Z"), at("2026-11-24T00:00:00Z")) ==
          7h + 30min);
    CHECK(utc(open_intervals(s, at("2026-11-23T00:00:00Z"), at("2026-11-24T00:00:00Z"))) ==
          std::vector<std::string>{"2026-11-23T09:00:00Z/2026-11-23T12:30:00Z",
                                   "2026-11-23T13:30:00Z/2026-11-23T17:30:00Z"});
  }

  TEST_CASE("adjacent ranges merge into one open interval") {
    const Schedule s =
        schedule("Europe/London", week({{"mon", "09:00-12:30, 12:30-17:00, 11:00-12:00"}}));
    CHECK(utc(open_intervals(s, at("2026-11-23T00:00:00Z"), at("2026-11-24T00:00:00Z"))) ==
          std::vector<std::string>{"2026-11-23T09:00:00Z/2026-11-23T17:00:00Z"});
    CHECK(business_time_between(s, at("2026-11-23T00:00:00Z"), at("2026-11-24T00:00:00Z")) == 8h);
  }

  TEST_CASE("holidays are skipped over the year end") {
    const Schedule s = uk_office();
    // Thursday 24th has special hours to 13:00; 25th, Saturday 26th, Sunday closed.
    CHECK(local(s, add_business_time(s, at("2026-12-24T12:50:00Z"), 15min)) ==
          "2026-12-28T09:05:00+00:00");
    // New Year's Day (Friday) is closed; Saturday 2nd opens at 10:00.
    CHECK(local(s, add_business_time(s, at("2026-12-31T17:25:00Z"), 15min)) ==
          "2027-01-02T10:10:00+00:00");
    CHECK(local(s, next_open(s, at("2026-12-24T13:00:00Z"))) == "2026-12-28T09:00:00+00:00");
    CHECK_FALSE(is_open(s, at("2026-12-26T11:00:00Z")));
    // The dated entries are for 2026 only; every_year 01-01 recurs.
    CHECK(is_open(s, at("2027-12-25T11:00:00Z")));
    CHECK_FALSE(is_open(s, at("2028-01-01T11:00:00Z")));
    CHECK(business_time_between(s, at("2026-12-21T00:00:00Z"), at("2027-01-04T00:00:00Z")) ==
          // Mon-Wed 3 x 7.5 h + Thu 24th 4 h + Mon-Thu 4 x 7.5 h + Sat 2nd 4 h.
          3 * (7h + 30min) + 4h + 4 * (7h + 30min) + 4h);
  }

  TEST_CASE("special hours replace the usual hours on that date") {
    const Schedule s = uk_office();
    CHECK(day_ranges(s, date::local_days{date::year{2026} / 12 / 24}) == hours("09:00-13:00"));
    CHECK_FALSE(is_open(s, at("2026-12-24T08:59:00Z")));
    CHECK(is_open(s, at("2026-12-24T09:00:00Z")));
    CHECK(is_open(s, at("2026-12-24T12:59:59Z")));
    CHECK_FALSE(is_open(s, at("2026-12-24T13:00:00Z")));
    CHECK_FALSE(is_open(s, at("2026-12-24T14:00:00Z")));
    CHECK(day_ranges(s, date::local_days{date::year{2026} / 12 / 25}).empty());
  }

  TEST_CASE("several entries on one date: special hours win and are united") {
    const Schedule s =
        schedule("Europe/London", week({{"daily", "09:00-17:00"}}),
                 {on("2026-12-24"), on("2026-12-24", "14:00-15:00"), yearly("12-24", "10:00-11:00"),
                  on("2026-12-31"), yearly("12-31")});
    CHECK(day_ranges(s, date::local_days{date::year{2026} / 12 / 24}) ==
          hours("10:00-11:00, 14:00-15:00"));
    CHECK(day_ranges(s, date::local_days{date::year{2026} / 12 / 31}).empty());
    CHECK(business_time_between(s, at("2026-12-24T00:00:00Z"), at("2026-12-25T00:00:00Z")) == 2h);
  }

  TEST_CASE("a yearly February 29th applies only in leap years") {
    const Schedule s =
        schedule("UTC", week({{"daily", "09:00-17:00"}}), {yearly("02-29"), yearly("03-01")});
    CHECK(day_ranges(s, date::local_days{date::year{2028} / 2 / 29}).empty());
    CHECK(day_ranges(s, date::local_days{date::year{2027} / 2 / 28}) == hours("09:00-17:00"));
    CHECK(local(s, next_open(s, at("2028-02-28T17:00:00Z"))) == "2028-03-02T09:00:00+00:00");
    CHECK(local(s, next_open(s, at("2027-02-28T17:00:00Z"))) == "2027-03-02T09:00:00+00:00");
  }

  TEST_CASE("a night shift runs across midnight and belongs to the day it starts") {
    const Schedule s =
        schedule("Europe/London", week({{"mon-fri", "22:00-06:00"}}), {on("2026-11-24")});
    CHECK_FALSE(is_open(s, at("2026-11-23T05:00:00Z")));  // Sunday has no shift
    CHECK(is_open(s, at("2026-11-23T22:00:00Z")));
    // Monday's shift runs into Tuesday although Tuesday is a holiday...
    CHECK(is_open(s, at("2026-11-24T05:59:59Z")));
    CHECK_FALSE(is_open(s, at("2026-11-24T06:00:00Z")));
    // ...but Tuesday night's shift is cancelled.
    CHECK_FALSE(is_open(s, at("2026-11-24T23:00:00Z")));
    CHECK(local(s, add_business_time(s, at("2026-11-24T05:50:00Z"), 15min)) ==
          "2026-11-25T22:05:00+00:00");
    // Friday's shift ends Saturday morning.
    CHECK(is_open(s, at("2026-11-28T05:00:00Z")));
    CHECK_FALSE(is_open(s, at("2026-11-28T22:30:00Z")));
    CHECK(utc(open_intervals(s, at("2026-11-23T00:00:00Z"), at("2026-11-26T12:00:00Z"))) ==
          std::vector<std::string>{"2026-11-23T22:00:00Z/2026-11-24T06:00:00Z",
                                   "2026-11-25T22:00:00Z/2026-11-26T06:00:00Z"});
  }

  TEST_CASE("24:00 ends the day and touches the next day's midnight start") {
    const Schedule s = schedule(
        "UTC", week({{"mon", "18:00-24:00"}, {"tue", "00:00-06:00"}, {"wed", "20:00-00:00"}}));
    CHECK(is_open(s, at("2026-11-23T23:59:59Z")));
    CHECK(is_open(s, at("2026-11-24T00:00:00Z")));
    CHECK_FALSE(is_open(s, at("2026-11-24T06:00:00Z")));
    CHECK(utc(open_intervals(s, at("2026-11-23T00:00:00Z"), at("2026-11-26T12:00:00Z"))) ==
          std::vector<std::string>{"2026-11-23T18:00:00Z/2026-11-24T06:00:00Z",
                                   "2026-11-25T20:00:00Z/2026-11-26T00:00:00Z"});
    const Schedule always = schedule("Europe/London", week({{"daily", "00:00-24:00"}}));
    CHECK(utc(open_intervals(always, at("2026-03-20T00:00:00Z"), at("2026-11-01T00:00:00Z"))) ==
          std::vector<std::string>{"2026-03-20T00:00:00Z/2026-11-01T00:00:00Z"});
    CHECK(add_business_time(always, at("2026-03-28T12:00:00Z"), 48h) == at("2026-03-30T12:00:00Z"));
  }

  TEST_CASE("open intervals are clipped to the asked span") {
    const Schedule s = office();
    CHECK(utc(open_intervals(s, at("2026-11-23T10:00:00Z"), at("2026-11-24T10:30:00Z"))) ==
          std::vector<std::string>{"2026-11-23T10:00:00Z/2026-11-23T17:00:00Z",
                                   "2026-11-24T09:00:00Z/2026-11-24T10:30:00Z"});
    CHECK(open_intervals(s, at("2026-11-24T10:30:00Z"), at("2026-11-23T10:00:00Z")).empty());
  }

  TEST_CASE("a schedule that never opens gives no deadline") {
    const Schedule empty = schedule("Europe/London", WeeklyHours{});
    CHECK_FALSE(next_open(empty, at("2026-11-20T16:55:00Z")));
    CHECK_FALSE(add_business_time(empty, at("2026-11-20T16:55:00Z"), 15min));
    CHECK(business_time_between(empty, at("2026-01-01T00:00:00Z"), at("2027-01-01T00:00:00Z")) ==
          0s);
    // Every day of the year a yearly holiday: known never to open, given up at once.
    std::vector<Holiday> all_year;
    for (date::local_days d = date::local_days{date::year{2028} / 1 / 1};
         d < date::local_days{date::year{2029} / 1 / 1}; d += date::days{1}) {
      const date::year_month_day ymd{d};
      Holiday h;
      h.every_year = ymd.month() / ymd.day();
      all_year.push_back(h);
    }
    const Schedule closed = schedule("UTC", week({{"daily", "09:00-17:00"}}), all_year);
    CHECK_FALSE(next_open(closed, at("2026-11-20T16:55:00Z")));
    CHECK_FALSE(add_business_time(closed, at("2026-11-20T16:55:00Z"), 15min));
  }

  TEST_CASE("a rare opening is found and a window of years is computed exactly") {
    // No weekly hours; one special day two years ahead.
    const Schedule rare = schedule("UTC", WeeklyHours{}, {on("2028-06-01", "10:00-11:00")});
    CHECK(utc(next_open(rare, at("2026-06-01T00:00:00Z"))) == "2028-06-01T10:00:00Z");
    CHECK(utc(add_business_time(rare, at("2026-06-01T00:00:00Z"), 30min)) ==
          "2028-06-01T10:30:00Z");
    // Past its last special hours it never opens again.
    CHECK_FALSE(add_business_time(rare, at("2026-06-01T00:00:00Z"), 2h));
    CHECK_FALSE(next_open(rare, at("2028-06-01T11:00:00Z")));
    // 8760 h is 219 weeks of 40 h: the Friday of the 219th week at closing time.
    const Schedule s = office();
    CHECK(local(s, add_business_time(s, at("2026-06-01T00:00:00Z"), 24h * 365)) ==
          "2030-08-09T17:00:00+01:00");
  }
}
