// Cross-references, hours, pools that could never route, and the warnings.
#include <doctest/doctest.h>

#include "load_text.hpp"

using router::test::problems;
using Lines = std::vector<std::string>;

TEST_SUITE("config.validate") {
  TEST_CASE("every unknown name is reported where it is used, with a suggestion") {
    CHECK(problems(R"(agents: [{ id: tom }, { id: stephanie }]
calendars:
  uk: [2026-12-25]
schedules:
  office: { hours: { daily: "09:00-17:00" }, holidays: [ukk] }
pools:
  sales:
    members: [tom, stephanei]
    default: jnae
    schedule: ofice
rules:
  - name: r
    pool: sals
    during: offce
    default: tomm
    when: { x: 1 }
  - name: s
    pool: sales
    during: night
)") == Lines{"1:23: warning: agent 'stephanie' is in no pool and is no default: it will never get "
             "a lead",
             "3:3: warning: calendar 'uk' is not used by any schedule",
             "5:57: error: unknown calendar 'ukk' in the holidays of schedule 'office' (did you "
             "mean 'uk'?)",
             "8:20: error: unknown agent 'stephanei' in the members of pool 'sales' (did you mean "
             "'stephanie'?)",
             "9:14: error: unknown agent 'jnae' as the default of pool 'sales'",
             "10:15: error: unknown schedule 'ofice' as the schedule of pool 'sales' (did you mean "
             "'office'?)",
             "13:11: error: unknown pool 'sals' in rule 'r' (did you mean 'sales'?)",
             "14:13: error: unknown schedule 'offce' as 'during' of rule 'r' (did you mean "
             "'office'?)",
             "15:14: error: unknown agent 'tomm' as the default of rule 'r' (did you mean 'tom'?)",
             "19:13: error: unknown schedule 'night' as 'during' of rule 's'"});
  }

  TEST_CASE("an agent listed twice in one pool is an error") {
    CHECK(problems(R"(agents: [{ id: tom }]
pools:
  sales:
    members:
      - tom
      - { agent: tom, daily_limit: 2 }
)") == Lines{"6:18: error: agent 'tom' is listed twice in pool 'sales' (first at line 5, "
             "column 9)"});
  }

  TEST_CASE("pools that could never route are errors") {
    CHECK(problems(R"(agents: [{ id: tom }]
pools:
  empty: {}
  open:
    strategy: open_pool
    default: tom
  fallback:
    default: tom
)") == Lines{"3:3: error: pool 'empty' has no members and no default: it could never route a "
             "lead",
             "4:3: error: pool 'open' is an open_pool without members: nobody could pick up "
             "its leads"});
  }

  TEST_CASE("a day given twice in hours or shifts is an error at the second") {
    CHECK(problems(R"(agents: [{ id: tom }]
schedules:
  office:
    hours:
      mon-fri: "09:00-17:00"
      sat,wed: "10:00-12:00"
pools:
  sales:
    members:
      - agent: tom
        shifts: { daily: "09:00-13:00", sun: "14:00-15:00" }
)") == Lines{"6:7: error: wed is given twice in 'hours' in schedule 'office' (first at line 5, "
             "column 7)",
             "11:41: error: sun is given twice in 'shifts' of 'tom' in pool 'sales' (first "
             "at line 11, column 19)"});
  }

  TEST_CASE("overlapping hours are errors, also across midnight and the week's end") {
    CHECK(problems(R"(schedules:
  a: { hours: { mon: "09:00-12:00, 11:30-13:00" } }
  b: { hours: { mon: "22:00-06:00", tue: "05:00-09:00" } }
  c: { hours: { sun: "23:00-01:30", mon: "01:00-02:00" } }
  d: { hours: { daily: "22:00-06:00" } }
  e: { hours: { mon: "09:00-09:00" } }
  f: { hours: { mon: "9am-5pm" } }
  g: { hours: {} }
  h: { timezone: UTC }
)") == Lines{"2:22: error: the hours 09:00-12:00 and 11:30-13:00 overlap",
             "3:37: error: the hours 22:00-06:00 on mon run into 05:00-09:00 on tue",
             "4:37: error: the hours 23:00-01:30 on sun run into 01:00-02:00 on mon",
             "6:22: error: '09:00-09:00': the range 09:00-09:00 is empty",
             "7:22: error: '9am-5pm' is not a list of hours; expected HH:MM-HH:MM, "
             "comma-separated (e.g. \"09:00-12:30, 13:30-17:30\")",
             "8:15: error: schedule 'g' has no hours: it would never be open",
             "9:3: error: schedule 'h' has no 'hours': it would never be open"});
  }

  TEST_CASE("rules after a catch-all rule can never match") {
    CHECK(problems(R"(agents: [{ id: tom, tags: [vip] }]
schedules:
  office: { hours: { daily: "09:00-17:00" } }
pools:
  sales: { members: [tom] }
rules:
  - { name: conditional, pool: sales, when: { source: web } }
  - { name: skilled, pool: sales, requires: [vip] }
  - { name: office-hours, pool: sales, during: office }
  - { name: everything, pool: sales }
  - { name: late, pool: sales, when: { source: phone } }
  - { name: later, pool: sales }
)") == Lines{"11:5: warning: rule 'late' can never match: rule 'everything' before it (at "
             "line 10, column 5) matches every lead",
             "12:5: warning: rule 'later' can never match: rule 'everything' before it (at "
             "line 10, column 5) matches every lead"});
  }

  TEST_CASE("agents that can never get a lead and unused calendars are warnings") {
    const Lines found = problems(R"(agents:
  - id: tom
  - id: idle
  - id: boss
  - id: rule-default
calendars:
  used: [2026-12-25]
  spare: [2026-12-26]
schedules:
  office: { hours: { daily: "09:00-17:00" }, holidays: [used] }
pools:
  sales: { members: [tom], default: boss }
rules:
  - { name: r, pool: sales, default: rule-default }
)");
    CHECK(found == Lines{"3:5: warning: agent 'idle' is in no pool and is no default: it will "
                         "never get a lead",
                         "8:3: warning: calendar 'spare' is not used by any schedule"});
  }

  TEST_CASE("warnings alone leave the configuration loaded") {
    router::test::TempConfig tmp("agents: [{ id: tom }, { id: idle }]\n"
                                 "pools: { sales: { members: [tom] } }\n");
    const auto result = router::config::load(tmp.file());
    CHECK(result.config);
    CHECK(result.count(router::config::Diagnostic::Severity::warning) == 1);
    CHECK(result.count(router::config::Diagnostic::Severity::error) == 0);
  }
}
