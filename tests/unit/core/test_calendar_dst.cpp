// Business time across daylight-saving changes and in zones with odd offsets: the open
// instants are exactly those whose local wall-clock time lies in a range.
#include <doctest/doctest.h>

#include "calendar_support.hpp"

using namespace calendar_test;
using namespace std::chrono_literals;
using router::core::add_business_time;
using router::core::business_time_between;
using router::core::is_open;
using router::core::next_open;
using router::core::open_intervals;
using Intervals = std::vector<std::string>;

TEST_SUITE("core.calendar") {
  TEST_CASE("London spring forward: a range spanning the change loses the skipped hour") {
    const Schedule s = schedule("Europe/London", week({{"daily", "00:30-03:00"}}));
    // 01:00 GMT becomes 02:00 BST at 01:00Z on 2026-03-29.
    CHECK(utc(open_intervals(s, at("2026-03-29T00:00:00Z"), at("2026-03-29T12:00:00Z"))) ==
          Intervals{"2026-03-29T00:30:00Z/2026-03-29T02:00:00Z"});
    CHECK(business_time_between(s, at("2026-03-29T00:00:00Z"), at("2026-03-29T12:00:00Z")) ==
          1h + 30min);
    CHECK(is_open(s, at("2026-03-29T00:59:59Z")));
    CHECK(is_open(s, at("2026-03-29T01:00:00Z")));
    // A 15-minute window started before the change ends after it...
    CHECK(local(s, add_business_time(s, at("2026-03-29T00:50:00Z"), 15min)) ==
          "2026-03-29T02:05:00+01:00");
    // ...and one started after it runs into the next night.
    CHECK(local(s, add_business_time(s, at("2026-03-29T01:55:00Z"), 15min)) ==
          "2026-03-30T00:40:00+01:00");
  }

  TEST_CASE("London spring forward: a boundary inside the gap maps to the end of the gap") {
    const Schedule starts_in_gap = schedule("Europe/London", week({{"daily", "01:30-02:30"}}));
    CHECK(utc(open_intervals(starts_in_gap, at("2026-03-29T00:00:00Z"),
                             at("2026-03-29T12:00:00Z"))) ==
          Intervals{"2026-03-29T01:00:00Z/2026-03-29T01:30:00Z"});
    CHECK(local(starts_in_gap, next_open(starts_in_gap, at("2026-03-29T00:00:00Z"))) ==
          "2026-03-29T02:00:00+01:00");
    const Schedule ends_in_gap = schedule("Europe/London", week({{"daily", "00:00-01:30"}}));
    CHECK(
        utc(open_intervals(ends_in_gap, at("2026-03-28T12:00:00Z"), at("2026-03-29T12:00:00Z"))) ==
        Intervals{"2026-03-29T00:00:00Z/2026-03-29T01:00:00Z"});
    // A range entirely inside the gap never happens that day.
    const Schedule in_gap = schedule("Europe/London", week({{"daily", "01:15-01:45"}}));
    CHECK(open_intervals(in_gap, at("2026-03-29T00:00:00Z"), at("2026-03-29T23:00:00Z")).empty());
    CHECK(local(in_gap, next_open(in_gap, at("2026-03-29T00:00:00Z"))) ==
          "2026-03-30T01:15:00+01:00");
  }

  TEST_CASE("London fall back: a range spanning the change gains the repeated hour") {
    const Schedule s = schedule("Europe/London", week({{"daily", "00:30-03:00"}}));
    // 02:00 BST becomes 01:00 GMT at 01:00Z on 2026-10-25.
    CHECK(utc(open_intervals(s, at("2026-10-24T12:00:00Z"), at("2026-10-25T12:00:00Z"))) ==
          Intervals{"2026-10-24T23:30:00Z/2026-10-25T03:00:00Z"});
    CHECK(business_time_between(s, at("2026-10-24T12:00:00Z"), at("2026-10-25T12:00:00Z")) ==
          3h + 30min);
    CHECK(local(s, add_business_time(s, at("2026-10-25T00:55:00Z"), 15min)) ==
          "2026-10-25T01:10:00+00:00");
    CHECK(local(s, add_business_time(s, at("2026-10-25T02:50:00Z"), 15min)) ==
          "2026-10-26T00:35:00+00:00");
  }

  TEST_CASE("London fall back: a repeated local time is open both times it occurs") {
    const Schedule s = schedule("Europe/London", week({{"daily", "01:30-02:00"}}));
    CHECK(utc(open_intervals(s, at("2026-10-24T12:00:00Z"), at("2026-10-25T12:00:00Z"))) ==
          Intervals{"2026-10-25T00:30:00Z/2026-10-25T01:00:00Z",
                    "2026-10-25T01:30:00Z/2026-10-25T02:00:00Z"});
    CHECK_FALSE(is_open(s, at("2026-10-25T01:15:00Z")));  // 01:15 GMT, second time round
    // 10 minutes in the first 01:50-02:00 BST, 5 in the second 01:30 GMT.
    CHECK(local(s, add_business_time(s, at("2026-10-25T00:50:00Z"), 15min)) ==
          "2026-10-25T01:35:00+00:00");
    const Schedule ends_in_repeat = schedule("Europe/London", week({{"daily", "00:00-01:30"}}));
    CHECK(utc(open_intervals(ends_in_repeat, at("2026-10-24T12:00:00Z"),
                             at("2026-10-25T12:00:00Z"))) ==
          Intervals{"2026-10-24T23:00:00Z/2026-10-25T00:30:00Z",
                    "2026-10-25T01:00:00Z/2026-10-25T01:30:00Z"});
  }

  TEST_CASE("New York (west of UTC) across both changes") {
    const Schedule night = schedule("America/New_York", week({{"sun", "01:00-04:00"}}));
    // 2026-03-08: 02:00 EST becomes 03:00 EDT at 07:00Z.
    CHECK(utc(open_intervals(night, at("2026-03-08T00:00:00Z"), at("2026-03-09T00:00:00Z"))) ==
          Intervals{"2026-03-08T06:00:00Z/2026-03-08T08:00:00Z"});
    CHECK(local(night, add_business_time(night, at("2026-03-08T06:50:00Z"), 15min)) ==
          "2026-03-08T03:05:00-04:00");
    // 2026-11-01: 02:00 EDT becomes 01:00 EST at 06:00Z.
    CHECK(utc(open_intervals(night, at("2026-11-01T00:00:00Z"), at("2026-11-02T00:00:00Z"))) ==
          Intervals{"2026-11-01T05:00:00Z/2026-11-01T09:00:00Z"});
    CHECK(local(night, add_business_time(night, at("2026-11-01T05:50:00Z"), 15min)) ==
          "2026-11-01T01:05:00-05:00");
    const Schedule office = schedule("America/New_York", week({{"mon-fri", "09:00-17:00"}}));
    CHECK(local(office, add_business_time(office, at("2026-03-06T21:55:00Z"), 15min)) ==
          "2026-03-09T09:10:00-04:00");
    CHECK(local(office, add_business_time(office, at("2026-10-30T20:55:00Z"), 15min)) ==
          "2026-11-02T09:10:00-05:00");
  }

  TEST_CASE("Sydney (east of UTC, southern hemisphere) changes in April and October") {
    const Schedule night = schedule("Australia/Sydney", week({{"sun", "01:00-04:00"}}));
    // 2026-04-05: 03:00 AEDT becomes 02:00 AEST at 16:00Z the day before.
    CHECK(utc(open_intervals(night, at("2026-04-04T00:00:00Z"), at("2026-04-05T12:00:00Z"))) ==
          Intervals{"2026-04-04T14:00:00Z/2026-04-04T18:00:00Z"});
    // 2026-10-04: 02:00 AEST becomes 03:00 AEDT at 16:00Z the day before.
    CHECK(utc(open_intervals(night, at("2026-10-03T00:00:00Z"), at("2026-10-04T12:00:00Z"))) ==
          Intervals{"2026-10-03T15:00:00Z/2026-10-03T17:00:00Z"});
    const Schedule office = schedule("Australia/Sydney", week({{"mon-fri", "09:00-17:00"}}));
    CHECK(local(office, add_business_time(office, at("2026-04-03T05:55:00Z"), 15min)) ==
          "2026-04-06T09:10:00+10:00");
  }

  TEST_CASE("Auckland springs forward in September") {
    const Schedule night = schedule("Pacific/Auckland", week({{"sun", "01:00-04:00"}}));
    // 2026-09-27: 02:00 NZST becomes 03:00 NZDT at 14:00Z the day before.
    CHECK(utc(open_intervals(night, at("2026-09-26T00:00:00Z"), at("2026-09-27T12:00:00Z"))) ==
          Intervals{"2026-09-26T13:00:00Z/2026-09-26T15:00:00Z"});
    CHECK(local(night, add_business_time(night, at("2026-09-26T13:55:00Z"), 15min)) ==
          "2026-09-27T03:10:00+13:00");
  }

  TEST_CASE("half- and quarter-hour offsets: Kolkata and Kathmandu") {
    const Schedule kolkata = schedule("Asia/Kolkata", week({{"mon-fri", "09:00-17:00"}}));
    CHECK(local(kolkata, add_business_time(kolkata, at("2026-11-20T11:25:00Z"), 15min)) ==
          "2026-11-23T09:10:00+05:30");
    CHECK(utc(add_business_time(kolkata, at("2026-11-20T11:25:00Z"), 15min)) ==
          "2026-11-23T03:40:00Z");
    const Schedule kathmandu = schedule("Asia/Kathmandu", week({{"mon-fri", "09:00-17:00"}}));
    CHECK(utc(add_business_time(kathmandu, at("2026-11-20T11:10:00Z"), 15min)) ==
          "2026-11-23T03:25:00Z");
    CHECK_FALSE(is_open(kathmandu, at("2026-11-23T03:14:59Z")));
    CHECK(is_open(kathmandu, at("2026-11-23T03:15:00Z")));
    CHECK(business_time_between(kathmandu, at("2026-11-23T00:00:00Z"),
                                at("2026-11-24T00:00:00Z")) == 8h);
  }

  TEST_CASE("Lord Howe shifts by 30 minutes") {
    const Schedule s = schedule("Australia/Lord_Howe", week({{"sun", "01:00-03:00"}}));
    // 2026-04-05: 02:00 +11 becomes 01:30 +10:30 at 15:00Z the day before.
    CHECK(utc(open_intervals(s, at("2026-04-04T00:00:00Z"), at("2026-04-05T12:00:00Z"))) ==
          Intervals{"2026-04-04T14:00:00Z/2026-04-04T16:30:00Z"});
    CHECK(local(s, add_business_time(s, at("2026-04-04T14:55:00Z"), 15min)) ==
          "2026-04-05T01:40:00+10:30");
    // 2026-10-04: 02:00 +10:30 becomes 02:30 +11 at 15:30Z the day before.
    CHECK(utc(open_intervals(s, at("2026-10-03T00:00:00Z"), at("2026-10-04T12:00:00Z"))) ==
          Intervals{"2026-10-03T14:30:00Z/2026-10-03T16:00:00Z"});
    CHECK(local(s, add_business_time(s, at("2026-10-03T15:25:00Z"), 15min)) ==
          "2026-10-04T02:40:00+11:00");
  }

  TEST_CASE("shifts are judged on the wall clock of their zone") {
    using router::core::next_within_hours;
    using router::core::within_hours;
    const WeeklyHours shifts = week({{"mon-wed", "09:00-13:00"}});
    const auto* london = router::util::zone_by_name("Europe/London");
    // 09:00 BST is 08:00Z in summer.
    CHECK(within_hours(shifts, london, at("2026-06-01T08:00:00Z")));
    CHECK_FALSE(within_hours(shifts, london, at("2026-06-01T12:00:00Z")));
    CHECK_FALSE(within_hours(shifts, london, at("2026-06-04T09:00:00Z")));  // Thursday
    CHECK(within_hours(shifts, nullptr, at("2026-06-01T12:00:00Z")));       // null = UTC
    CHECK(utc(next_within_hours(shifts, london, at("2026-06-03T12:00:00Z"))) ==
          "2026-06-08T08:00:00Z");
    CHECK_FALSE(next_within_hours(WeeklyHours{}, london, at("2026-06-03T12:00:00Z")));
    // Holidays of a schedule do not apply to shifts: judged at the schedule's next opening.
    const Schedule s = schedule("Europe/London", shifts, {on("2026-06-01")});
    const auto opening = next_open(s, at("2026-06-01T07:00:00Z"));
    REQUIRE(opening);
    CHECK(utc(opening) == "2026-06-02T08:00:00Z");
    CHECK(within_hours(shifts, london, *opening));
    CHECK(within_hours(shifts, london, at("2026-06-01T08:00:00Z")));
  }
}
