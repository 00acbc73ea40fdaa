// YAML merge keys (`<<: *anchor`, `<<: [*a, *b]`), resolved by the walk for every mapping.
#include <chrono>

#include <doctest/doctest.h>

#include "config/loader.hpp"
#include "load_text.hpp"

using router::test::problems;
using router::test::TempConfig;
using Lines = std::vector<std::string>;
namespace core = router::core;
namespace config = router::config;
using std::chrono::minutes;

namespace {

// Loads `text`, which must be valid, and returns its model.
core::Config model_of(const std::string& text) {
  TempConfig tmp(text);
  auto result = config::load(tmp.file());
  INFO(router::test::lines_of(result));
  REQUIRE(result.config);
  return std::move(*result.config);
}

const core::Pool& pool(const core::Config& c, const std::string& name) {
  for (const auto& p : c.pools) {
    if (p.name == name) {
      return p;
    }
  }
  FAIL("no pool " << name);
  return c.pools.front();
}

}  // namespace

TEST_SUITE("config.merge") {
  TEST_CASE("keys written in the mapping win over merged ones, without a duplicate-key error") {
    const auto c = model_of(R"(version: 1
x-pool-defaults: &defaults
  strategy: least_active
  claim_timeout: 15m
  max_offers: 2
agents: [{ id: tom }, { id: ann }]
pools:
  sales:
    <<: *defaults
    members: [tom]
    max_offers: 5
  support:
    members: [ann]
    <<: *defaults
rules:
  - { name: all, pool: sales }
  - { name: rest, pool: support, when: { source: x } }
)");
    CHECK(pool(c, "sales").strategy == core::Strategy::least_active);
    CHECK(pool(c, "sales").claim_timeout == minutes{15});
    CHECK(pool(c, "sales").max_offers == 5);
    CHECK(pool(c, "support").max_offers == 2);
    CHECK(pool(c, "support").claim_timeout == minutes{15});
    CHECK(pool(c, "support").members.size() == 1);
  }

  TEST_CASE("with a list, earlier maps win over later ones") {
    const auto c = model_of(R"(version: 1
x-a: &a { claim_timeout: 10m }
x-b: &b { claim_timeout: 20m, max_offers: 3, strategy: random }
agents: [{ id: tom }]
pools:
  sales:
    <<: [*a, *b]
    strategy: broadcast
    members: [tom]
rules:
  - { name: all, pool: sales }
)");
    const auto& p = pool(c, "sales");
    CHECK(p.claim_timeout == minutes{10});
    CHECK(p.max_offers == 3);
    CHECK(p.strategy == core::Strategy::broadcast);
  }

  TEST_CASE("a merged map may merge another, and merges work in lists of mappings too") {
    const auto c = model_of(R"(version: 1
x-base: &base { claim_timeout: 5m, on_exhausted: queue }
x-sales: &sales { <<: *base, max_offers: 4 }
x-agent: &agent { tags: [toyota], weight: 2 }
agents:
  - { <<: *agent, id: tom }
  - { <<: *agent, id: ann, weight: 3 }
pools:
  sales:
    <<: *sales
    claim_timeout: 7m
    members: [tom, ann]
rules:
  - { name: all, pool: sales, requires: [toyota] }
)");
    const auto& p = pool(c, "sales");
    CHECK(p.claim_timeout == minutes{7});
    CHECK(p.max_offers == 4);
    CHECK(p.on_exhausted == core::OnExhausted::queue);
    REQUIRE(c.agents.size() == 2);
    CHECK(c.agents[0].tags == std::vector<std::string>{"toyota"});
    CHECK(c.agents[0].weight == 2);
    CHECK(c.agents[1].weight == 3);
  }

  TEST_CASE("an error inside merged content points at the anchor's line, once") {
    CHECK(problems(R"(version: 1
x-defaults: &defaults
  claim_timeout: 15x
  stratgy: random
agents: [{ id: tom }]
pools:
  sales: { <<: *defaults, members: [tom] }
  support: { <<: *defaults, members: [tom] }
)") == Lines{"3:18: error: 'claim_timeout': '15x' is not a duration; expected e.g. 90s, 15m, 2h, "
             "1d, 1h30m",
             "4:3: error: unknown key 'stratgy' in pool 'sales' (did you mean 'strategy'?)",
             "4:3: error: unknown key 'stratgy' in pool 'support' (did you mean 'strategy'?)"});
  }

  TEST_CASE("a '<<' that is not a mapping or a list of mappings is an error at its line") {
    const std::string base = "agents: [{ id: tom }]\npools:\n  sales:\n    members: [tom]\n";
    const Lines expected{"5:5: error: '<<' must name a mapping to merge: write <<: *name (the "
                         "name of an anchored mapping, &name) or <<: [*a, *b]"};
    CHECK(problems(base + "    <<: defaults\n") == expected);
    CHECK(problems(base + "    <<: [{ strategy: random }, plain]\n") == expected);
    CHECK(problems(base + "    <<:\n") == expected);
  }

  TEST_CASE("a quoted \"<<\" is an ordinary key") {
    CHECK(problems("agents: [{ id: tom }]\npools:\n  sales:\n    members: [tom]\n"
                   "    \"<<\": { strategy: random }\n") ==
          Lines{"5:5: error: unknown key '<<' in pool 'sales'"});
  }

  TEST_CASE("two '<<' keys are duplicates; a mapping merged into itself is reported") {
    CHECK(problems(R"(x-a: &a { strategy: random }
agents: [{ id: tom }]
pools:
  sales:
    <<: *a
    <<: *a
    members: [tom]
)") == Lines{"6:5: error: duplicate key '<<' in pool 'sales' (first at line 5, column 5)"});
    CHECK(problems(R"(agents: [{ id: tom }]
pools:
  sales: &s
    members: [tom]
    <<: *s
)") == Lines{"5:5: error: '<<' merges a mapping into itself in pool 'sales'"});
  }

  TEST_CASE("top-level keys starting with x- are ignored; other unknown keys are not") {
    CHECK(problems(R"(agents: [{ id: tom }]
x-anything: { whatever: [1, 2] }
pools:
  sales: { members: [tom], x-note: hi }
)") == Lines{"4:28: error: unknown key 'x-note' in pool 'sales'"});
  }
}
