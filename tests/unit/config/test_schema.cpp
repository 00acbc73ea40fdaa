// Shapes, types, ranges, unknown and duplicate keys: one exact message per mistake.
#include <doctest/doctest.h>

#include "load_text.hpp"

using router::test::k_base;
using router::test::problems;
using Lines = std::vector<std::string>;

TEST_SUITE("config.schema") {
  TEST_CASE("a duplicate key is reported at its second occurrence") {
    CHECK(problems(std::string(k_base) + "version: 1\n") ==
          Lines{"10:1: error: duplicate key 'version' at the top level (first at line 1, "
                "column 1)"});
    CHECK(problems(R"(agents:
  - id: tom
pools:
  sales:
    members: [tom]
    strategy: random
    strategy: broadcast
)") == Lines{"7:5: error: duplicate key 'strategy' in pool 'sales' (first at line 6, column 5)"});
    CHECK(problems(R"(agents: [{ id: tom }]
pools:
  sales: { members: [tom] }
  sales: { members: [tom] }
)") == Lines{"4:3: error: duplicate key 'sales' in 'pools' (first at line 3, column 3)"});
  }

  TEST_CASE("an unknown key is reported with the nearest known one") {
    CHECK(problems(std::string(k_base) + "agent: []\n") ==
          Lines{"10:1: error: unknown key 'agent' at the top level (did you mean 'agents'?)"});
    CHECK(problems(R"(agents:
  - { id: tom, wieght: 2 }
pools:
  sales: { members: [tom], stratgy: random }
)") == Lines{"2:16: error: unknown key 'wieght' in an agent (did you mean 'weight'?)",
             "4:28: error: unknown key 'stratgy' in pool 'sales' (did you mean 'strategy'?)"});
    CHECK(problems(R"(agents: [{ id: tom }]
pools:
  sales:
    members: [{ agent: tom, dailylimit: 3 }]
)") == Lines{"4:29: error: unknown key 'dailylimit' in a member of pool 'sales' (did you mean "
             "'daily_limit'?)"});
  }

  TEST_CASE("version must be 1") {
    CHECK(problems("version: 2\n") ==
          Lines{"1:10: error: 'version' must be 1, not 2 (this router knows configuration "
                "version 1 only)"});
    CHECK(problems("version: one\n") ==
          Lines{"1:10: error: 'version' must be a whole number, not 'one'"});
  }

  TEST_CASE("an unknown time zone is an error, with a suggestion") {
    CHECK(problems("timezone: europe/london\n") ==
          Lines{"1:11: error: unknown time zone 'europe/london' (did you mean "
                "'Europe/London'?); use an IANA name such as Europe/London"});
    CHECK(problems(R"(schedules:
  office:
    timezone: Mars/Olympus
    hours: { daily: "09:00-17:00" }
)") == Lines{"3:15: error: unknown time zone 'Mars/Olympus'; use an IANA name such as "
             "Europe/London"});
  }

  TEST_CASE("agents: id syntax, duplicates, weight") {
    CHECK(problems(R"(agents:
  - id: Tom Baker
  - id: tom
  - id: tom
    weight: -1
  - name: Nobody
  - [x]
)") == Lines{"2:9: error: agent id 'Tom Baker' may only contain a-z, 0-9, '.', '_' and '-' "
             "(lower case)",
             "3:5: warning: agent 'tom' is in no pool and is no default: it will never get a "
             "lead",
             "4:9: error: duplicate agent id 'tom' (first at line 3, column 9)",
             "5:13: error: 'weight' must be a number greater than 0, not '-1'",
             "6:5: error: an agent needs an 'id'",
             "7:5: error: an agent must be a mapping with an 'id' (or a plain agent id)"});
    CHECK(problems("agents: tom\n") ==
          Lines{"1:9: error: 'agents' must be a list of agents, not 'tom'"});
  }

  TEST_CASE("limits are whole numbers, never negative; max_offers at least 1") {
    CHECK(problems(R"(agents: [{ id: tom }, { id: ann }, { id: bob }]
pools:
  sales:
    members:
      - { agent: tom, daily_limit: -3 }
      - { agent: ann, monthly_limit: ten }
      - { agent: bob, daily_limit: 2.5 }
    max_offers: 0
rules:
  - { name: r, pool: sales, max_offers: -1 }
)") == Lines{"5:36: error: 'daily_limit' cannot be negative (-3)",
             "6:38: error: 'monthly_limit' must be a whole number, not 'ten'",
             "7:36: error: 'daily_limit' must be a whole number, not '2.5'",
             "8:17: error: 'max_offers' must be at least 1, not 0",
             "10:41: error: 'max_offers' must be at least 1, not -1"});
  }

  TEST_CASE("unknown strategy and on_exhausted values get a suggestion") {
    CHECK(problems(R"(agents: [{ id: tom }]
pools:
  sales:
    members: [tom]
    strategy: least-active
    on_exhausted: qeue
rules:
  - { name: r, pool: sales, on_exhausted: defualt }
)") == Lines{"5:15: error: unknown strategy 'least-active' (did you mean 'least_active'?)",
             "6:19: error: 'on_exhausted' must be default or queue, not 'qeue' (did you mean "
             "'queue'?)",
             "8:43: error: 'on_exhausted' must be default or queue, not 'defualt' (did you "
             "mean 'default'?)"});
  }

  TEST_CASE("durations and booleans are checked") {
    CHECK(problems(R"(agents: [{ id: tom }]
pools:
  sales:
    members: [tom]
    claim_timeout: 900
    stale_after: 0m
    window: 1m1h
    require_online: maybe
owner_match: { keys: [email], within: soon }
)") == Lines{"5:20: error: 'claim_timeout': '900' is not a duration; expected e.g. 90s, 15m, "
             "2h, 1d, 1h30m",
             "6:18: error: 'stale_after': '0m': a duration must be longer than zero",
             "7:13: error: 'window': '1m1h': units must go from largest to smallest, each once "
             "(d h m s)",
             "8:21: error: 'require_online' must be true or false, not 'maybe'",
             "9:39: error: 'within': 'soon' is not a duration; expected e.g. 90s, 15m, 2h, 1d, "
             "1h30m"});
  }

  TEST_CASE("rules need a name and a pool; names are unique") {
    CHECK(problems(R"(agents: [{ id: tom }]
pools:
  sales: { members: [tom] }
rules:
  - { name: a, pool: sales, when: { x: 1 } }
  - { name: a, pool: sales, when: { x: 2 } }
  - { pool: sales, when: { x: 3 } }
  - name: b
  - just a string
)") == Lines{"6:13: error: duplicate rule name 'a' (first at line 5, column 13)",
             "7:5: error: rule #3 needs a 'name'", "8:5: error: rule 'b' needs a 'pool'",
             "9:5: error: a rule must be a mapping with 'name' and 'pool'"});
  }

  TEST_CASE("calendar entries: real dates, date or every_year, hours") {
    CHECK(problems(R"(calendars:
  uk:
    - 2026-02-30
    - 2026-13-01
    - { every_year: 02-30 }
    - { every_year: 12-25, date: 2026-12-25 }
    - { name: Nothing }
    - { date: 2026-12-24, hours: "09:00-12:00, 11:00-13:00" }
    - { date: 25/12/2026 }
schedules:
  office: { hours: { daily: "09:00-17:00" }, holidays: [uk] }
)") == Lines{"3:7: error: '2026-02-30' is not a real date",
             "4:7: error: '2026-13-01' is not a real date",
             "5:21: error: '02-30' is not a real day of the year",
             "6:7: error: a calendar entry takes 'date' or 'every_year', not both",
             "7:7: error: a calendar entry needs 'date' (YYYY-MM-DD) or 'every_year' (MM-DD)",
             "8:34: error: the hours 09:00-12:00 and 11:00-13:00 overlap",
             "9:15: error: '25/12/2026' is not a date; expected YYYY-MM-DD"});
  }

  TEST_CASE("owner_match needs keys") {
    CHECK(problems("owner_match: { within: 30d }\n") ==
          Lines{"1:1: error: 'owner_match' needs 'keys': the lead attributes to match, such "
                "as [email, phone]"});
    CHECK(problems("owner_match: { keys: [] }\n") ==
          Lines{"1:22: error: 'owner_match' needs 'keys': the lead attributes to match, such "
                "as [email, phone]"});
  }

  TEST_CASE("a value of the wrong shape names the key") {
    CHECK(problems(R"(agents:
  - id: tom
    tags: { a: b }
pools:
  sales:
    members: tom
    default: [tom]
schedules: [office]
)") == Lines{"3:11: error: 'tags' must be a list",
             "6:14: error: 'members' must be a list; write members: [tom]",
             "7:14: error: 'default' must be a single value",
             "8:12: error: 'schedules' must be a mapping of schedule names to hours"});
  }
}
