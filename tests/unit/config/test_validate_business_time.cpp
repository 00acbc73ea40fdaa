// Business-time settings that can take weeks of wall time, and schedules that never open.
#include <doctest/doctest.h>

#include "load_text.hpp"

using router::test::problems;
using Lines = std::vector<std::string>;

TEST_SUITE("config.validate") {
  TEST_CASE("a claim_timeout or stale_after needing two weeks or more of wall time is a warning") {
    CHECK(problems(R"(agents: [{ id: tom }]
schedules:
  sunday: { hours: { sun: "03:00-03:01" } }
  office: { hours: { mon-fri: "09:00-17:00" } }
pools:
  rare:
    members: [tom]
    schedule: sunday
    claim_timeout: 2m
    stale_after: 1d
  fine:
    members: [tom]
    schedule: office
    claim_timeout: 15m
    stale_after: 2d
  wall:
    members: [tom]
    claim_timeout: 30d
rules:
  - { name: vip, pool: rare, claim_timeout: 1m, when: { x: 1 } }
  - { name: slow, pool: fine, claim_timeout: 81h }
)") == Lines{"9:20: warning: pool 'rare': claim_timeout 2m can take up to 14 days of wall time on "
             "schedule 'sunday', which is open 1m a week",
             "10:18: warning: pool 'rare': stale_after 1d can take up to 10080 days of wall time "
             "on schedule 'sunday', which is open 1m a week",
             "21:46: warning: rule 'slow': claim_timeout 3d9h can take up to 17 days of wall time "
             "on schedule 'office' (of pool 'fine'), which is open 1d16h a week"});
  }

  TEST_CASE("a schedule closed every day of the year by yearly holidays is an error") {
    std::string days;
    for (int m = 1; m <= 12; ++m) {
      for (int d = 1; d <= 31; ++d) {
        char text[8];
        std::snprintf(text, sizeof text, "%02d-%02d", m, d);
        const bool real = d <= (m == 2 ? 29 : (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31);
        days += real ? std::string(days.empty() ? "" : ", ") + "{ every_year: " + text + " }" : "";
      }
    }
    CHECK(problems(
              "agents: [{ id: tom }]\ncalendars:\n  never: [" + days +
              "]\nschedules:\n  shut: { hours: { daily: \"09:00-17:00\" }, holidays: "
              "[never] }\npools:\n  p: { members: [tom], schedule: shut, claim_timeout: 5m }\n") ==
          Lines{"5:3: error: schedule 'shut' is closed every day of the year by its yearly "
                "holidays: it would never be open (but for dated special hours)"});
  }
}
