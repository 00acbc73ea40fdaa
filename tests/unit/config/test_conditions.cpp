// `when` conditions: each operator becomes a test; malformed ones are located errors.
#include <regex>

#include <doctest/doctest.h>

#include "load_text.hpp"

using router::test::problems;
using router::test::TempConfig;
using Lines = std::vector<std::string>;
namespace core = router::core;

namespace {

const char* k_head = R"(agents: [{ id: tom }]
pools: { sales: { members: [tom] } }
rules:
  - name: r
    pool: sales
    when:
)";

}  // namespace

TEST_SUITE("config.conditions") {
  TEST_CASE("each form of condition becomes its tests") {
    TempConfig tmp(std::string(k_head) + R"(      source: Web
      brand: [Toyota, Lexus]
      budget: { gte: 20000, lt: 1e6 }
      price: { gt: -5, lte: 10.5 }
      region: { not: north }
      status: { not: [lost, spam] }
      channel: { in: [form, chat] }
      email: { matches: "@EXAMPLE\\.com$", exists: true }
      fax: { exists: false }
)");
    const auto result = router::config::load(tmp.file());
    REQUIRE(result.config);
    const auto& when = result.config->rules.at(0).when;
    REQUIRE(when.size() == 9);
    CHECK(when[0].field == "source");
    CHECK(when[0].where.line == 7);
    CHECK(when[0].where.column == 7);
    REQUIRE(when[0].tests.size() == 1);
    CHECK(when[0].tests[0].op == core::Op::equals);
    CHECK(when[0].tests[0].values == std::vector<std::string>{"Web"});
    CHECK(when[1].tests[0].op == core::Op::any_of);
    CHECK(when[1].tests[0].values == std::vector<std::string>{"Toyota", "Lexus"});
    REQUIRE(when[2].tests.size() == 2);
    CHECK(when[2].tests[0].op == core::Op::gte);
    CHECK(when[2].tests[0].number == 20000);
    CHECK(when[2].tests[1].op == core::Op::lt);
    CHECK(when[2].tests[1].number == 1e6);
    CHECK(when[3].tests[0].op == core::Op::gt);
    CHECK(when[3].tests[0].number == -5);
    CHECK(when[3].tests[1].op == core::Op::lte);
    CHECK(when[3].tests[1].number == 10.5);
    CHECK(when[4].tests[0].op == core::Op::none_of);
    CHECK(when[4].tests[0].values == std::vector<std::string>{"north"});
    CHECK(when[5].tests[0].values == std::vector<std::string>{"lost", "spam"});
    CHECK(when[6].tests[0].op == core::Op::any_of);
    CHECK(when[6].tests[0].values == std::vector<std::string>{"form", "chat"});
    REQUIRE(when[7].tests.size() == 2);
    CHECK(when[7].tests[0].op == core::Op::matches);
    CHECK(when[7].tests[0].pattern == "@EXAMPLE\\.com$");
    REQUIRE(when[7].tests[0].regex);
    // Compiled ignoring case.
    CHECK(std::regex_search("ann@example.COM", *when[7].tests[0].regex));
    CHECK_FALSE(std::regex_search("ann@example.org", *when[7].tests[0].regex));
    CHECK(when[7].tests[1].op == core::Op::exists);
    CHECK(when[7].tests[1].exists);
    CHECK_FALSE(when[8].tests[0].exists);
  }

  TEST_CASE("pickup takes the same conditions") {
    TempConfig tmp("agents: [{ id: tom }]\n"
                   "pools: { sales: { members: [tom], pickup: { when: { status: new } } } }\n");
    const auto result = router::config::load(tmp.file());
    REQUIRE(result.config);
    REQUIRE(result.config->pools[0].pickup);
    CHECK(result.config->pools[0].pickup->when.at(0).field == "status");
  }

  TEST_CASE("malformed conditions are located errors") {
    CHECK(problems(std::string(k_head) + R"(      a: { matches: "(unclosed" }
      b: { gt: many }
      c: { exists: perhaps }
      d: { in: north }
      e: { betwen: 3 }
      f: []
      g:
      h: { }
      i: [x, [y]]
      j: { not: { x: 1 } }
)") == Lines{"7:21: error: '(unclosed' is not a valid regular expression (Mismatched '(' and "
             "')' in regular expression)",
             "8:16: error: 'gt' must be a number, not 'many'",
             "9:20: error: 'exists' must be true or false, not 'perhaps'",
             "10:16: error: 'in' must be a list; write in: [north]",
             "11:12: error: unknown key 'betwen' in the condition on 'e'",
             "12:10: error: 'f' must be a list of values",
             "13:7: error: 'g' must be a value, a list of values or operators (gt gte lt lte not "
             "in matches exists); it has no value",
             "14:10: error: 'h' must be a value, a list of values or operators (gt gte lt lte "
             "not in matches exists)",
             "15:14: error: each item of 'i' must be a single value",
             "16:17: error: 'not' must be a value or a list of values"});
  }

  TEST_CASE("a pattern searches a value of the longest length without recursing per character") {
    TempConfig tmp(std::string(k_head) + R"(      email: { matches: "^(a|b)*$" }
)");
    const auto result = router::config::load(tmp.file());
    REQUIRE(result.config);
    const auto& regex = result.config->rules.at(0).when.at(0).tests.at(0).regex;
    REQUIRE(regex);
    // Far past what the recursive matcher survives (about 30 000 characters).
    CHECK(std::regex_search(std::string(200000, 'a'), *regex));
  }

  TEST_CASE("a back-reference in a pattern is refused") {
    CHECK(problems(std::string(k_head) + R"(      a: { matches: "(x)\\1" }
)") == Lines{"7:21: error: '(x)\\1' is not a valid regular expression (back-references such "
             "as \\1 are not supported)"});
  }

  TEST_CASE("when must be a mapping") {
    CHECK(problems(std::string(k_head).substr(0, std::string(k_head).size() - 1) + " [source]\n") ==
          Lines{"6:11: error: 'when' must be a mapping of lead fields to conditions"});
  }
}
