#include <doctest/doctest.h>

#include "config/loader.hpp"
#include "load_text.hpp"

using router::test::k_base;
using router::test::problems;
using router::test::TempConfig;
using Lines = std::vector<std::string>;
namespace core = router::core;
namespace config = router::config;

TEST_SUITE("config.loader") {
  TEST_CASE("a full configuration becomes the model with locations and defaults") {
    TempConfig tmp(R"(version: 1
timezone: Europe/Paris
database: var/r.db
agents:
  - id: tom
    name: Tom Baker
    email: tom@example.com
    tags: [Toyota, USED]
    weight: 2.5
  - id: jane
calendars:
  fr:
    - 2026-12-25
    - { every_year: 05-01, name: Labour Day }
    - { date: 2026-12-24, hours: "09:00-12:00" }
schedules:
  office:
    hours:
      mon-fri: "09:00-12:30, 13:30-17:30"
      sat: "22:00-02:00"
    holidays: [fr]
  london:
    timezone: Europe/London
    hours: { daily: "00:00-24:00" }
pools:
  sales:
    members:
      - tom
      - { agent: jane, daily_limit: 10, monthly_limit: 150, shifts: { mon-wed: "09:00-13:00" } }
    claim_timeout: 1h30m
    schedule: office
  night:
    strategy: broadcast
    members: [jane]
    default: tom
    max_offers: 4
    on_exhausted: queue
    require_online: yes
    stale_after: 2d
    window: 14d
    pickup: { when: { status: [new, no_answer] } }
rules:
  - name: web
    when: { source: web }
    requires: [TOYOTA]
    during: london
    pool: sales
    claim_timeout: 10m
    max_offers: 2
    on_exhausted: queue
    default: jane
  - name: rest
    pool: night
owner_match:
  keys: [email, phone]
)");
    const auto result = config::load(tmp.file());
    REQUIRE(result.diagnostics.empty());
    REQUIRE(result.config);
    const core::Config& c = *result.config;
    CHECK(c.version == 1);
    CHECK(c.timezone == "Europe/Paris");
    REQUIRE(c.zone);
    CHECK(c.zone->name() == "Europe/Paris");
    CHECK(c.database == (tmp.dir() / "var/r.db").string());

    REQUIRE(c.agents.size() == 2);
    CHECK(c.agents[0].tags == std::vector<std::string>{"toyota", "used"});
    CHECK(c.agents[0].weight == 2.5);
    CHECK(c.agents[0].name == "Tom Baker");
    CHECK(c.agents[0].email == "tom@example.com");
    CHECK(c.agents[0].where.line == 5);
    CHECK(c.agents[0].where.column == 5);
    CHECK(c.agents[1].weight == 1.0);

    const core::Schedule* office = c.find_schedule("office");
    REQUIRE(office);
    CHECK(office->zone == c.zone);
    CHECK(office->timezone == "Europe/Paris");
    CHECK(office->hours.days[0] == std::vector<core::TimeRange>{{540, 750}, {810, 1050}});
    CHECK(office->hours.days[5] == std::vector<core::TimeRange>{{1320, 120}});
    CHECK(office->hours.days[6].empty());
    REQUIRE(office->holidays.size() == 3);
    CHECK(office->holidays[0].date == date::year{2026} / 12 / 25);
    CHECK_FALSE(office->holidays[0].hours);
    CHECK(office->holidays[1].every_year == date::month{5} / 1);
    CHECK(office->holidays[1].name == "Labour Day");
    CHECK(*office->holidays[2].hours == std::vector<core::TimeRange>{{540, 720}});
    CHECK(office->where.line == 17);
    CHECK(c.find_schedule("london")->zone->name() == "Europe/London");
    CHECK(c.find_schedule("london")->hours.days[3] == std::vector<core::TimeRange>{{0, 1440}});

    const core::Pool* sales = c.find_pool("sales");
    REQUIRE(sales);
    CHECK(sales->strategy == core::Strategy::round_robin);
    CHECK(sales->on_exhausted == core::OnExhausted::default_agent);
    CHECK(sales->claim_timeout == std::chrono::seconds{5400});
    CHECK_FALSE(sales->max_offers);
    CHECK_FALSE(sales->default_agent);
    CHECK(sales->window == std::chrono::hours{24 * 7});
    CHECK_FALSE(sales->require_online);
    REQUIRE(sales->members.size() == 2);
    CHECK_FALSE(sales->members[0].shifts);
    CHECK(sales->members[1].daily_limit == 10);
    CHECK(sales->members[1].monthly_limit == 150);
    REQUIRE(sales->members[1].shifts);
    CHECK(sales->members[1].shifts->days[2] == std::vector<core::TimeRange>{{540, 780}});
    CHECK(sales->members[1].shifts->days[3].empty());
    CHECK(c.pool_zone(*sales) == c.zone);

    const core::Pool* night = c.find_pool("night");
    REQUIRE(night);
    CHECK(night->strategy == core::Strategy::broadcast);
    CHECK(night->default_agent == "tom");
    CHECK(night->max_offers == 4);
    CHECK(night->on_exhausted == core::OnExhausted::queue);
    CHECK(night->require_online);
    CHECK(night->stale_after == std::chrono::hours{48});
    CHECK(night->window == std::chrono::hours{24 * 14});
    REQUIRE(night->pickup);
    REQUIRE(night->pickup->when.size() == 1);
    CHECK(night->pickup->when[0].tests[0].op == core::Op::any_of);

    const core::Rule* web = c.find_rule("web");
    REQUIRE(web);
    CHECK(web->requires_tags == std::vector<std::string>{"toyota"});
    CHECK(web->during == "london");
    CHECK(web->claim_timeout == std::chrono::minutes{10});
    CHECK(web->max_offers == 2);
    CHECK(web->on_exhausted == core::OnExhausted::queue);
    CHECK(web->default_agent == "jane");
    const core::Rule* rest = c.find_rule("rest");
    REQUIRE(rest);
    CHECK_FALSE(rest->claim_timeout);
    CHECK_FALSE(rest->max_offers);
    CHECK_FALSE(rest->on_exhausted);
    CHECK_FALSE(rest->default_agent);
    CHECK(rest->where.line == 52);

    REQUIRE(c.owner_match);
    CHECK(c.owner_match->keys == std::vector<std::string>{"email", "phone"});
    CHECK(c.owner_match->within == std::chrono::hours{24 * 180});
  }

  TEST_CASE("defaults: UTC, router.db beside the file, no owner_match") {
    TempConfig tmp(k_base);
    const auto result = config::load(tmp.file());
    REQUIRE(result.config);
    CHECK(result.config->timezone == "UTC");
    REQUIRE(result.config->zone);
    CHECK(result.config->database == (tmp.dir() / "router.db").string());
    CHECK_FALSE(result.config->owner_match);
  }

  TEST_CASE("the shipped example validates with no error and no warning") {
    const auto result =
        config::load(std::filesystem::path(ROUTER_TEST_DATA) / "../../config.example.yaml");
    CHECK(router::test::lines_of(result) == Lines{});
    CHECK(result.config);
  }

  TEST_CASE("ten mistakes give exactly ten located errors") {
    const auto result = config::load(std::filesystem::path(ROUTER_TEST_DATA) / "ten_mistakes.yaml");
    CHECK_FALSE(result.config);
    const Lines expected = {
        "4:11: error: unknown time zone 'Europe/Lndon' (did you mean 'Europe/London'?); use an "
        "IANA name such as Europe/London",
        "7:13: error: 'weight' must be a number greater than 0, not '0'",
        "9:9: error: duplicate agent id 'tom' (first at line 6, column 9)",
        "12:7: error: '2026-02-30' is not a real date",
        "17:7: error: fri is given twice in 'hours' in schedule 'office' (first at line 16, "
        "column 7)",
        "21:15: error: unknown strategy 'round_robn' (did you mean 'round_robin'?)",
        "22:27: error: unknown agent 'stephanei' in the members of pool 'sales'",
        "24:5: error: unknown key 'daily_limit' in pool 'sales'",
        "29:25: error: '([a-z' is not a valid regular expression (Unexpected character within "
        "'[...]' in regular expression)",
        "32:11: error: unknown pool 'sale' in rule 'rest' (did you mean 'sales'?)",
    };
    CHECK(router::test::lines_of(result) == expected);
    CHECK(result.count(config::Diagnostic::Severity::error) == 10);
    CHECK(result.count(config::Diagnostic::Severity::warning) == 0);
  }

  TEST_CASE("a YAML syntax error carries its line and column") {
    CHECK(problems("version: 1\nagents: [tom\npools: {}\n") ==
          Lines{"3:6: error: YAML syntax: end of sequence flow not found"});
    CHECK(problems("version: 1\n  agents: []\n") ==
          Lines{"2:9: error: YAML syntax: illegal map value"});
  }

  TEST_CASE("a missing file is one error naming the file") {
    const auto result = config::load("/nonexistent/router.yaml");
    REQUIRE(result.diagnostics.size() == 1);
    CHECK(config::format_text(result.diagnostics[0]) ==
          "/nonexistent/router.yaml: error: cannot read the configuration file: it does not "
          "exist (give one with --config or $ROUTER_CONFIG)");
    CHECK_FALSE(result.config);
  }

  TEST_CASE("an empty file, a list and two documents are refused") {
    CHECK(problems("") ==
          Lines{"0:0: error: the configuration file is empty; it needs at least 'version: 1'"});
    CHECK(problems("- a\n") == Lines{"1:1: error: the configuration must be a mapping with keys "
                                     "such as version, agents, pools and rules"});
    CHECK(problems("version: 1\n---\nversion: 1\n") ==
          Lines{"3:1: error: a second YAML document: the configuration must be a single "
                "document"});
  }

  TEST_CASE("a stray comma where a document starts is a syntax error, not a hang") {
    // Found by fuzzing: yaml-cpp's LoadAll returned an empty document for it forever.
    CHECK(problems(",\n") == Lines{"1:1: error: YAML syntax: unexpected ',' (a comma separates "
                                    "items only inside [ ] or { })"});
    CHECK(problems("# comment\n  , version: 1\n") ==
          Lines{"2:3: error: YAML syntax: unexpected ',' (a comma separates items only inside "
                "[ ] or { })"});
    CHECK(problems("version: 1\n--- ,\n") ==
          Lines{"2:5: error: a second YAML document: the configuration must be a single "
                "document"});
    CHECK(problems("--- ,\n") == Lines{"1:5: error: YAML syntax: unexpected ',' (a comma "
                                       "separates items only inside [ ] or { })"});
  }

  TEST_CASE("format_text and format_github") {
    const config::Diagnostic d{config::Diagnostic::Severity::error, "a.yaml", 3, 7, "bad: 50%"};
    CHECK(config::format_text(d) == "a.yaml:3:7: error: bad: 50%");
    CHECK(config::format_github(d) == "::error file=a.yaml,line=3,col=7::bad: 50%25");
    const config::Diagnostic w{config::Diagnostic::Severity::warning, "a,b.yaml", 0, 0, "x\ny"};
    CHECK(config::format_text(w) == "a,b.yaml: warning: x\ny");
    CHECK(config::format_github(w) == "::warning file=a%2Cb.yaml::x%0Ay");
  }
}
