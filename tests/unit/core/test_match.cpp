#include <doctest/doctest.h>

#include "core/match.hpp"
#include "fixtures.hpp"

using namespace router::core;
using namespace router::core::fixtures;

namespace {

// One operator case: a test, the field's values (nullopt = absent) and the verdict.
struct OpCase {
  const char* name;
  Test test;
  std::optional<std::vector<std::string>> values;
  bool expected;
};

std::vector<std::string> one(std::string v) {
  return {std::move(v)};
}

}  // namespace

TEST_SUITE("core.match") {
  TEST_CASE("each operator passes and fails as documented") {
    const std::vector<OpCase> cases = {
        {"equals ignores case", eq("Toyota"), one("TOYOTA"), true},
        {"equals differs", eq("Toyota"), one("Ford"), false},
        {"equals absent", eq("Toyota"), std::nullopt, false},
        {"equals any array element", eq("toyota"), std::vector<std::string>{"Ford", "Toyota"},
         true},
        {"equals no array element", eq("toyota"), std::vector<std::string>{"Ford", "Kia"}, false},
        {"empty array is absent", eq("toyota"), std::vector<std::string>{}, false},
        {"in: one of", any_of({"Toyota", "Lexus"}), one("lexus"), true},
        {"in: none of", any_of({"Toyota", "Lexus"}), one("Ford"), false},
        {"in: absent", any_of({"Toyota"}), std::nullopt, false},
        {"not: other value", none_of({"Ford", "Kia"}), one("Toyota"), true},
        {"not: listed value ignoring case", none_of({"Ford", "Kia"}), one("ford"), false},
        {"not: absent passes", none_of({"Ford"}), std::nullopt, true},
        {"not: array with a listed element", none_of({"Ford"}),
         std::vector<std::string>{"Kia", "Ford"}, false},
        {"gt above", num(Op::gt, 20000), one("20001"), true},
        {"gt equal", num(Op::gt, 20000), one("20000"), false},
        {"gte equal", num(Op::gte, 20000), one("20000"), true},
        {"gte below", num(Op::gte, 20000), one("19999.5"), false},
        {"lt below", num(Op::lt, 10), one("9.99"), true},
        {"lt equal", num(Op::lt, 10), one("10"), false},
        {"lte equal", num(Op::lte, 10), one("10"), true},
        {"lte above", num(Op::lte, 10), one("10.01"), false},
        {"numeric with blanks and sign", num(Op::gte, 5), one(" +7 "), true},
        {"negative numbers", num(Op::lt, 0), one("-3"), true},
        {"non-numeric fails gt", num(Op::gt, 1), one("lots"), false},
        {"non-numeric fails lt", num(Op::lt, 1e9), one("12abc"), false},
        {"empty string is not a number", num(Op::lt, 1), one(""), false},
        {"numeric absent", num(Op::gt, 0), std::nullopt, false},
        {"numeric any array element", num(Op::gt, 100), std::vector<std::string>{"x", "150"}, true},
        {"matches searches", matches("@example\\.com$"), one("tom@example.com"), true},
        {"matches ignores case", matches("@example\\.com$"), one("TOM@EXAMPLE.COM"), true},
        {"matches fails", matches("@example\\.com$"), one("tom@example.org"), false},
        {"matches absent", matches(".*"), std::nullopt, false},
        {"matches without a compiled pattern", Test{Op::matches, {}, 0, nullptr, "x", true},
         one("x"), false},
        {"exists true present", exists(true), one("x"), true},
        {"exists true absent", exists(true), std::nullopt, false},
        {"exists false absent", exists(false), std::nullopt, true},
        {"exists false present", exists(false), one("x"), false},
    };
    for (const auto& c : cases) {
      CAPTURE(c.name);
      std::optional<FieldValues> values;
      if (c.values) {
        values = FieldValues{*c.values};
      }
      CHECK(passes(c.test, values) == c.expected);
    }
  }

  TEST_CASE("a failed condition says which field and why") {
    const Lead l = lead("L1", "web", {{"brand", "Ford"}, {"budget", "15000"}, {"city", "abc"}});
    struct Case {
      Condition condition;
      const char* why;
    };
    const std::vector<Case> cases = {
        {when("brand", {any_of({"Toyota", "Lexus"})}), "brand: 'Ford' is not one of Toyota, Lexus"},
        {when("brand", {eq("Toyota")}), "brand: 'Ford' is not 'Toyota'"},
        {when("brand", {none_of({"Ford", "Kia"})}), "brand: 'Ford' is one of Ford, Kia"},
        {when("budget", {num(Op::gte, 20000)}), "budget: '15000' is not >= 20000"},
        {when("city", {num(Op::lt, 3)}), "city: 'abc' is not a number"},
        {when("email", {exists(true)}), "email: missing"},
        {when("brand", {exists(false)}), "brand: is present ('Ford'), expected absent"},
        {when("brand", {matches("^to")}), "brand: 'Ford' does not match /^to/"},
        {when("region", {eq("north")}), "region: missing"},
    };
    for (const auto& c : cases) {
      const MatchResult r = match_condition(c.condition, l);
      CHECK_FALSE(r.matched);
      CHECK(r.why == c.why);
    }
    Lead multi = l;
    multi.attributes["interest"] = {"cars", "vans"};
    CHECK(match_condition(when("interest", {eq("trucks")}), multi).why ==
          "interest: ['cars', 'vans'] is not 'trucks'");
  }

  TEST_CASE("a lead value of 200 000 characters against a pattern does not crash the router") {
    // The search recursed once per character and overflowed the stack (found while fuzzing
    // `when`); a value longer than k_max_matched_bytes is not searched and never matches.
    const Lead l = lead(
        "L1", "web",
        {{"email", std::string(200000, 'a')}, {"name", std::string(k_max_matched_bytes, 'a')}});
    const auto r = match_condition(when("email", {matches("^(a|b)*$")}), l);
    CHECK_FALSE(r.matched);
    CHECK(r.why.ends_with("' does not match /^(a|b)*$/ (a value longer than 1024 bytes never "
                          "matches)"));
    CHECK(match_condition(when("name", {matches("^(a|b)*$")}), l).matched);
  }

  TEST_CASE("every test of a condition and every condition must hold") {
    const Lead l = lead("L1", "web", {{"budget", "25000"}, {"brand", "Toyota"}});
    CHECK(match_condition(when("budget", {num(Op::gte, 20000), num(Op::lt, 30000)}), l).matched);
    const auto r = match_condition(when("budget", {num(Op::gte, 20000), num(Op::lt, 25000)}), l);
    CHECK_FALSE(r.matched);
    CHECK(r.why == "budget: '25000' is not < 25000");
    CHECK(match_conditions({}, l).matched);
    const auto all =
        match_conditions({when("brand", {eq("toyota")}), when("source", {eq("phone")})}, l);
    CHECK(all.why == "source: 'web' is not 'phone'");
  }

  TEST_CASE("source is the lead's source and attribute names ignore case") {
    Lead l = lead("L1", "Web", {{"Brand", "Toyota"}});
    CHECK(match_condition(when("source", {eq("web")}), l).matched);
    CHECK(match_condition(when("brand", {eq("toyota")}), l).matched);
    l.attributes["source"] = {"ignored"};
    CHECK(match_condition(when("source", {eq("web")}), l).matched);
  }

  TEST_CASE("a rule holds when its when, requires and during all hold") {
    Pool sales = pool("sales", Strategy::round_robin, {"tom", "sue"});
    Rule toyota = rule("toyota", "sales", {when("brand", {eq("toyota")})});
    toyota.requires_tags = {"toyota"};
    Rule lexus = rule("lexus", "sales");
    lexus.requires_tags = {"lexus", "used"};
    Rule office_hours = rule("office-hours", "sales");
    office_hours.during = "office";
    const Config cfg = config({agent("tom", {"toyota", "used"}), agent("sue", {"lexus"})}, {sales},
                              {toyota, lexus, office_hours}, {office()});
    const Lead monday = lead("L1", "web", {{"brand", "Toyota"}}, at("2026-11-23T10:00:00Z"));
    CHECK(match_rule(cfg, cfg.rules[0], monday).matched);
    const auto no_tags = match_rule(cfg, cfg.rules[1], monday);
    CHECK_FALSE(no_tags.matched);
    CHECK(no_tags.why == "requires lexus, used: no member of pool 'sales' has every tag");
    CHECK(match_rule(cfg, cfg.rules[2], monday).matched);
    const Lead sunday = lead("L2", "web", {}, at("2026-11-22T10:00:00Z"));
    const auto closed = match_rule(cfg, cfg.rules[2], sunday);
    CHECK_FALSE(closed.matched);
    CHECK(closed.why == "during office: closed at 2026-11-22T10:00:00Z");
    const auto wrong_brand = match_rule(cfg, cfg.rules[0], sunday);
    CHECK(wrong_brand.why == "brand: missing");
  }
}
