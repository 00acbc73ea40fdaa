// Lists written as scalars, `requires` no member can meet, and malformed agent ids.
#include <doctest/doctest.h>

#include "load_text.hpp"

using router::test::problems;
using Lines = std::vector<std::string>;

TEST_SUITE("config.validate") {
  TEST_CASE("a scalar where a list is expected is an error that shows the fix") {
    CHECK(problems(R"(agents:
  - { id: tom, tags: toyota }
  - { id: ann, tags: "toyota, used" }
pools:
  sales: { members: [tom, ann] }
rules:
  - { name: all, pool: sales, requires: vip }
)") == Lines{"2:22: error: 'tags' must be a list; write tags: [toyota]",
             "3:22: error: 'tags' must be a list; write tags: [toyota, used]",
             "7:41: error: 'requires' must be a list; write requires: [vip]"});
  }

  TEST_CASE("a required tag that no member of the pool has is a warning at the tag") {
    CHECK(problems(R"(agents:
  - { id: tom, tags: [toyota] }
  - { id: ann, tags: [lexus] }
pools:
  sales: { members: [tom] }
  other: { members: [ann] }
rules:
  - { name: lexus, pool: sales, requires: [Lexus, toyota] }
  - { name: rest, pool: other, requires: [lexus] }
)") == Lines{"8:44: warning: rule 'lexus' requires tag 'lexus', but no member of pool 'sales' "
             "has it: no member can get its leads"});
  }

  TEST_CASE("a malformed agent id is reported once, not also as an agent in no pool") {
    CHECK(problems(R"(agents:
  - id: Tom
  - id: ann smith
  - id: bob
pools:
  sales: { members: [bob] }
)") == Lines{"2:9: error: agent id 'Tom' may only contain a-z, 0-9, '.', '_' and '-' (lower "
             "case)",
             "3:9: error: agent id 'ann smith' may only contain a-z, 0-9, '.', '_' and '-' "
             "(lower case)"});
  }
}
