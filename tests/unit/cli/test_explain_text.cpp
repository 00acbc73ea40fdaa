#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include <SQLiteCpp/Database.h>

#include "../core/fixtures.hpp"
#include "cli/explain_text.hpp"
#include "cli/table.hpp"
#include "engine/decision_json.hpp"
#include "engine/explain.hpp"
#include "store/database.hpp"
#include "store/sql.hpp"
#include "util/error.hpp"

using router::core::fixtures::at;
using router::store::Database;
namespace core = router::core;
namespace cli = router::cli;
namespace engine = router::engine;

namespace {

// A fresh decision: one rule missed, one matched; two members excluded; offered to tom.
core::Decision offered_decision() {
  core::Decision d;
  d.lead_id = "W-1";
  d.mode = core::RouteMode::fresh;
  d.rules_tried = {{"vip", false, "brand is 'Toyota', expected 'BMW'"}, {"all-web", true, ""}};
  d.owner_match = core::OwnerMatchInfo{"lewis", false, "status is away"};
  d.rule = "all-web";
  d.pool = "sales";
  d.strategy = core::Strategy::round_robin;
  d.excluded = {{.agent = "stephanie",
                 .code = core::Exclusion::status,
                 .status = core::AgentStatus::leave,
                 .until = at("2026-11-30T09:00:00Z")},
                {.agent = "lewis", .code = core::Exclusion::daily_limit, .used = 10, .limit = 10}};
  d.eligible = {"tom"};
  d.chosen = {"tom"};
  d.outcome = core::Outcome::offer;
  d.reason = core::Reason::rule;
  d.deadline = at("2026-11-23T13:25:00Z");
  d.note = "round_robin: next after lewis is tom";
  d.attempts = 1;
  return d;
}

}  // namespace

TEST_SUITE("cli.explain_text") {
  TEST_CASE("a decision reads as rules tried, exclusions, choice and outcome") {
    const auto text =
        cli::decision_text(engine::to_json(offered_decision()), 1, "2026-11-23T13:10:00Z");
    CHECK(text == "Decision 1 at 2026-11-23T13:10:00Z (new lead)\n"
                  "  owner match  earlier owner lewis not used: status is away\n"
                  "  rules        vip      no: brand is 'Toyota', expected 'BMW'\n"
                  "               all-web  matched\n"
                  "  pool         sales (round_robin)\n"
                  "  excluded     stephanie  on leave until 2026-11-30T09:00:00Z [status]\n"
                  "               lewis      daily limit reached (10 of 10 today) [daily_limit]\n"
                  "  eligible     tom\n"
                  "  choice       round_robin: next after lewis is tom\n"
                  "  outcome      offered to tom until 2026-11-23T13:25:00Z (attempt 1)\n"
                  "  reason       rule: a member of the matching rule's pool was chosen\n");
  }

  TEST_CASE("a lead no rule matched is sent to the manual queue") {
    core::Decision d;
    d.lead_id = "X-1";
    d.rules_tried = {{"vip", false, "source is 'phone', expected 'web'"}};
    d.outcome = core::Outcome::queue;
    d.reason = core::Reason::no_rule;
    const auto text = cli::decision_text(engine::to_json(d), 2, "2026-11-23T13:10:00Z");
    CHECK(text == "Decision 2 at 2026-11-23T13:10:00Z (new lead)\n"
                  "  rules        vip  no: source is 'phone', expected 'web'\n"
                  "  outcome      sent to the manual queue\n"
                  "  reason       no_rule: no rule matched\n");
  }

  TEST_CASE("a lead with bad attributes shows the parser's message and the reason") {
    core::Decision d;
    d.lead_id = "C-1";
    d.outcome = core::Outcome::queue;
    d.reason = core::Reason::bad_attributes;
    d.error = "a JSON array, not an object";
    const auto text = cli::decision_text(engine::to_json(d), 1, "2026-11-23T13:10:00Z");
    CHECK(text == "Decision 1 at 2026-11-23T13:10:00Z (new lead)\n"
                  "  error        a JSON array, not an object\n"
                  "  outcome      sent to the manual queue\n"
                  "  reason       bad_attributes: its attributes are not a JSON object, so a "
                  "person must look at it\n");
  }

  TEST_CASE("a broadcast re-offer names every agent and keeps the rule") {
    core::Decision d = offered_decision();
    d.mode = core::RouteMode::reoffer;
    d.rules_tried.clear();
    d.owner_match.reset();
    d.excluded = {{"stephanie", core::Exclusion::already_offered}};
    d.strategy = core::Strategy::broadcast;
    d.eligible = {"lewis", "tom"};
    d.chosen = {"lewis", "tom"};
    d.reason = core::Reason::expired;
    d.note.clear();
    d.attempts = 2;
    const auto text = cli::decision_text(engine::to_json(d), 2, "2026-11-23T13:25:00Z");
    CHECK(text == "Decision 2 at 2026-11-23T13:25:00Z (offered on)\n"
                  "  rule         all-web (kept from before)\n"
                  "  pool         sales (broadcast)\n"
                  "  excluded     stephanie  already offered this lead [already_offered]\n"
                  "  eligible     lewis, tom\n"
                  "  outcome      offered to all of lewis, tom (broadcast) until "
                  "2026-11-23T13:25:00Z (attempt 2)\n"
                  "  reason       expired: the previous offer expired unclaimed\n");
  }

  TEST_CASE("an unreadable decision record says so instead of failing") {
    const auto text = cli::decision_text(nlohmann::json::parse("[1]"), 1, "T");
    CHECK(text == "Decision 1 at T ()\n  (the decision record is unreadable)\n");
  }

  TEST_CASE("event details put the reason first and skip nulls") {
    CHECK(cli::event_detail_text(R"({"reason":"rule","deadline":"D","attempt":1})") ==
          "rule (attempt=1, deadline=D)");
    CHECK(cli::event_detail_text(R"({"source":"web"})") == "source=web");
    CHECK(cli::event_detail_text(R"({"previous":"away","until":null})") == "previous=away");
    CHECK(cli::event_detail_text("not json") == "not json");
    CHECK(cli::event_detail_text("{}").empty());
  }

  TEST_CASE("a table aligns columns and leaves no trailing spaces") {
    cli::Table t({"agent", "status", "until"});
    t.add({"stephanie", "leave", "2026-11-30"});
    t.add({"tom", "available", ""});
    CHECK(t.render("  ") == "  AGENT      STATUS     UNTIL\n"
                            "  stephanie  leave      2026-11-30\n"
                            "  tom        available\n");
  }

  TEST_CASE("explain reads the lead, its decisions, offers and events") {
    auto db = Database::in_memory();
    const auto decision = engine::to_json(offered_decision()).dump();
    db.sql().exec(
        "INSERT INTO leads(id, source, attributes, received_at, state, agent, pool, rule, "
        "deadline, attempts, updated_at) VALUES ('W-1', 'web', '{\"brand\":\"Toyota\",\"budget\":"
        "32000}', 1795438800, 'offered', 'tom', 'sales', 'all-web', 1795440300, 1, 1795439400);"
        "INSERT INTO events(lead_id, at, type, detail) VALUES "
        "('W-1', 1795438800, 'received', '{\"source\":\"web\"}');"
        "INSERT INTO events(lead_id, at, type, agent, pool, rule, detail) VALUES "
        "('W-1', 1795439400, 'offered', 'tom', 'sales', 'all-web', "
        "'{\"reason\":\"rule\",\"deadline\":\"2026-11-23T13:25:00Z\",\"attempt\":1}');");
    router::store::sql::Statement insert(
        db.sql(), "INSERT INTO decisions(lead_id, at, detail) VALUES (?, ?, ?)");
    insert.bind(1, "W-1");
    insert.bind(2, static_cast<std::int64_t>(1795439400));
    insert.bind(3, decision);
    insert.exec();

    const auto e = engine::explain(db, "W-1");
    CHECK(cli::summary_line(e) ==
          "W-1 is offered to tom, waiting for a claim until 2026-11-23T13:25:00Z (offer 1)");
    const auto text = cli::explain_text(e);
    CHECK(text.find("  attributes   brand=Toyota, budget=32000\n") != std::string::npos);
    CHECK(text.find("Decision 1 at 2026-11-23T13:10:00Z (new lead)\n") != std::string::npos);
    CHECK(text.find("  excluded     stephanie  on leave until") != std::string::npos);
    CHECK(text.find(
              "Offers\n  AGENT  POOL   OFFERED               DEADLINE              STATE  "
              "ENDED\n  tom    sales  2026-11-23T13:10:00Z  2026-11-23T13:25:00Z  open   -\n") !=
          std::string::npos);
    CHECK(text.find("Timeline\n  TIME                  EVENT     AGENT  DETAILS\n"
                    "  2026-11-23T13:00:00Z  received  -      source=web\n"
                    "  2026-11-23T13:10:00Z  offered   tom    rule (attempt=1, "
                    "deadline=2026-11-23T13:25:00Z)\n") != std::string::npos);

    const auto j = engine::explanation_json(e);
    CHECK(j["lead"]["attributes"]["budget"] == 32000);
    CHECK(j["lead"]["deadline"] == "2026-11-23T13:25:00Z");
    CHECK(j["lead"]["touched_at"].is_null());
    REQUIRE(j["decisions"].size() == 1);
    CHECK(j["decisions"][0]["at"] == "2026-11-23T13:10:00Z");
    CHECK(j["decisions"][0]["excluded"][0]["reason"] == "status");
    CHECK(j["offers"][0]["state"] == "open");
    CHECK(j["events"][1]["detail"]["attempt"] == 1);
    CHECK(j["outcome"].is_null());
  }

  TEST_CASE("a lead never routed says so") {
    auto db = Database::in_memory();
    db.sql().exec("INSERT INTO leads(id, source, received_at) VALUES ('C-9', 'crm', 1795438800)");
    const auto e = engine::explain(db, "C-9");
    CHECK(cli::summary_line(e) == "C-9 is not routed yet (pending)");
    CHECK(cli::explain_text(e).find("Decisions\n  not routed yet (pending)\n") !=
          std::string::npos);
    CHECK_THROWS_WITH_AS(engine::explain(db, "C-8"), "no lead 'C-8' (did you mean 'C-9'?)",
                         router::util::Refused);
  }
}
