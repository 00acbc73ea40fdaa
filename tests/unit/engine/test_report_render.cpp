#include <doctest/doctest.h>

#include <string>

#include "engine/report_render.hpp"
#include "util/strings.hpp"
#include "util/time.hpp"

using router::engine::GroupBy;
using router::engine::Report;
using router::engine::ReportRow;

namespace {

// tom: busy, with a daily limit; sue: nothing yet; a manual queue of two.
Report sample() {
  Report r;
  r.since = *router::util::parse_rfc3339("2026-11-01T00:00:00Z");
  r.until = *router::util::parse_rfc3339("2026-11-23T13:10:00Z");
  ReportRow tom;
  tom.key = "tom";
  tom.figures.offered = 12;
  tom.figures.claimed = 10;
  tom.figures.assigned = 11;
  tom.figures.open = 3;
  tom.figures.won = 2;
  tom.figures.lost = 1;
  tom.figures.close_rate = 2.0 / 3.0;
  tom.figures.median_claim_seconds = 270;
  tom.limits = {{"sales", 10, 4, 150, 40}, {"night", 0, 1, 0, 2}};
  ReportRow sue;
  sue.key = "sue";
  r.agents = {tom, sue};
  ReportRow sales;
  sales.key = "sales, north";
  sales.figures.offered = 12;
  r.pools = {sales};
  r.total = tom;
  r.total.key.reset();
  r.queue.depth = 2;
  r.queue.oldest_seconds = 8100;
  r.queue.pools = {{"floor", 1}};
  return r;
}

}  // namespace

TEST_SUITE("engine.report_render") {
  TEST_CASE("today over limit shows each pool with a daily limit") {
    ReportRow row;
    CHECK(router::engine::today_over_limit(row) == "-");
    row.limits = {{"sales", 10, 4, 0, 0}};
    CHECK(router::engine::today_over_limit(row) == "4/10");
    row.limits.push_back({"vip", 5, 1, 0, 0});
    row.limits.push_back({"night", 0, 9, 0, 0});
    CHECK(router::engine::today_over_limit(row) == "sales 4/10, vip 1/5");
  }

  TEST_CASE("the text report is an aligned table with a total and the queue") {
    const std::string text = router::engine::report_text(sample());
    CHECK(text == "report 2026-11-01T00:00:00Z .. 2026-11-23T13:10:00Z, by agent\n"
                  "AGENT  OFFERED  CLAIMED  EXPIRED  DECLINED  ASSIGNED  PICKED UP  OPEN  WON  LOST"
                  "  CLOSE %  MEDIAN CLAIM  TODAY/LIMIT\n"
                  "tom         12       10        0         0        11          0     3    2     1"
                  "      67%         4m30s         4/10\n"
                  "sue          0        0        0         0         0          0     0    0     0"
                  "        -             -            -\n"
                  "total       12       10        0         0        11          0     3    2     1"
                  "      67%         4m30s\n"
                  "manual queue: 2 leads, oldest 2h15m\n"
                  "pool queue floor: 1 lead\n");
  }

  TEST_CASE("the text report by pool has no limit column and an empty queue says so") {
    Report r = sample();
    r.by = GroupBy::pool;
    r.queue = {};
    const std::string text = router::engine::report_text(r);
    CHECK(text.find("POOL          OFFERED") != std::string::npos);
    CHECK(text.find("sales, north") != std::string::npos);
    CHECK(text.find("today/limit") == std::string::npos);
    CHECK(text.find("manual queue: empty\n") != std::string::npos);
  }

  TEST_CASE("CSV has a header and one quoted-when-needed row per group") {
    CHECK(router::engine::report_csv(sample()) ==
          "agent,offered,claimed,expired,declined,assigned,picked_up,open,won,lost,defaulted,"
          "queued,close_rate,median_claim_seconds\n"
          "tom,12,10,0,0,11,0,3,2,1,0,0,0.6667,270\n"
          "sue,0,0,0,0,0,0,0,0,0,0,0,,\n");
    Report r = sample();
    r.by = GroupBy::pool;
    const std::string csv = router::engine::report_csv(r);
    CHECK(csv.find("\n\"sales, north\",12,") != std::string::npos);
    CHECK(router::util::csv_field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  }

  TEST_CASE("the JSON document has the period, every row and the queue") {
    const auto j = router::engine::report_json(sample());
    CHECK(j["period"]["since"] == "2026-11-01T00:00:00Z");
    CHECK(j["by"] == "agent");
    REQUIRE(j["agents"].size() == 2);
    CHECK(j["agents"][0]["agent"] == "tom");
    CHECK(j["agents"][0]["close_rate"] == 0.6667);
    CHECK(j["agents"][0]["median_claim_seconds"] == 270.0);
    CHECK(j["agents"][0]["limits"][0]["today"] == 4);
    CHECK(j["agents"][0]["limits"][1]["pool"] == "night");
    CHECK(j["agents"][1]["close_rate"].is_null());
    CHECK(j["pools"][0]["pool"] == "sales, north");
    CHECK_FALSE(j["pools"][0].contains("limits"));
    CHECK_FALSE(j.contains("rules"));
    CHECK(j["total"]["offered"] == 12);
    CHECK(j["queue"]["depth"] == 2);
    CHECK(j["queue"]["oldest_seconds"] == 8100);
    CHECK(j["queue"]["pools"]["floor"] == 1);
    Report empty = sample();
    empty.queue = {};
    CHECK(router::engine::report_json(empty)["queue"]["oldest_seconds"].is_null());
  }

  TEST_CASE("metrics are Prometheus gauges labelled by the grouping") {
    const std::string m = router::engine::report_metrics(sample());
    CHECK(m.find("# TYPE router_report_leads gauge\n") != std::string::npos);
    CHECK(m.find("router_report_leads{agent=\"tom\",figure=\"offered\"} 12\n") !=
          std::string::npos);
    CHECK(m.find("router_report_leads{agent=\"sue\",figure=\"open\"} 0\n") != std::string::npos);
    CHECK(m.find("router_report_close_rate{agent=\"tom\"} 0.6667\n") != std::string::npos);
    CHECK(m.find("router_report_close_rate{agent=\"sue\"}") == std::string::npos);
    CHECK(m.find("router_report_median_claim_seconds{agent=\"tom\"} 270\n") != std::string::npos);
    CHECK(m.find("router_report_limit_usage{agent=\"tom\",pool=\"sales\",period=\"day\"} 4\n") !=
          std::string::npos);
    CHECK(m.find("router_report_limit{agent=\"tom\",pool=\"sales\",period=\"day\"} 10\n") !=
          std::string::npos);
    CHECK(m.find("router_report_queue_depth 2\n") != std::string::npos);
    CHECK(m.find("router_report_queue_oldest_seconds 8100\n") != std::string::npos);
    CHECK(m.find("router_report_pool_queue_depth{pool=\"floor\"} 1\n") != std::string::npos);
    Report r = sample();
    r.by = GroupBy::pool;
    CHECK(router::engine::report_metrics(r).find(
              "router_report_leads{pool=\"sales, north\",figure=\"offered\"} 12\n") !=
          std::string::npos);
  }
}
