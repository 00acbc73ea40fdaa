#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include <SQLiteCpp/Database.h>

#include "store/database.hpp"
#include "store/events.hpp"
#include "store/leads.hpp"
#include "store/routing.hpp"
#include "store/sql.hpp"

using namespace std::chrono_literals;
using router::store::Database;
using router::store::EventStore;
using router::store::LeadImport;
using router::store::LeadStore;
using router::store::WriteTransaction;
using router::util::Time;

TEST_SUITE("store.leads") {
  TEST_CASE("adding a lead writes a pending row and its received event") {
    auto db = Database::in_memory();
    LeadStore leads(db);
    {
      WriteTransaction tx(db);
      CHECK(leads.add({"L1", "web", R"({"brand":"Ford"})", Time{1000s}}));
      tx.commit();
    }
    const auto row = leads.find("L1");
    REQUIRE(row);
    CHECK(row->source == "web");
    CHECK(row->attributes == R"({"brand":"Ford"})");
    CHECK(row->received_at == Time{1000s});
    CHECK(row->state == "pending");
    CHECK(row->attempts == 0);
    CHECK_FALSE(row->agent);
    CHECK_FALSE(row->deadline);
    CHECK_FALSE(row->touched_at);

    const auto events = EventStore(db).for_lead("L1");
    REQUIRE(events.size() == 1);
    CHECK(events[0].type == "received");
    CHECK(events[0].at == Time{1000s});
    CHECK(events[0].detail == R"({"reason":"ingest","source":"web"})");
    CHECK_FALSE(events[0].agent);
  }

  TEST_CASE("adding an existing id changes nothing and writes no event") {
    auto db = Database::in_memory();
    LeadStore leads(db);
    WriteTransaction tx(db);
    CHECK(leads.add({"L1", "web", "{}", Time{1000s}}));
    CHECK_FALSE(leads.add({"L1", "phone", "{}", Time{2000s}}));
    tx.commit();
    CHECK(leads.find("L1")->source == "web");
    CHECK(leads.count() == 1);
    CHECK(leads.count("pending") == 1);
    CHECK(leads.count("assigned") == 0);
    CHECK(EventStore(db).list_after(0, 100).size() == 1);
    CHECK_FALSE(leads.find("nope"));
  }

  TEST_CASE("events are listed after a sequence number, in order, up to a limit") {
    auto db = Database::in_memory();
    EventStore events(db);
    WriteTransaction tx(db);
    for (int i = 1; i <= 5; ++i) {
      const router::store::NewEvent e{
          "L" + std::to_string(i), Time{std::chrono::seconds{i}}, "offered", "tom", "sales", "r1",
          R"({"reason":"rule"})"};
      CHECK(events.append(e, "web") == i);
    }
    tx.commit();
    const auto page = events.list_after(2, 2);
    REQUIRE(page.size() == 2);
    CHECK(page[0].seq == 3);
    CHECK(page[0].lead_id == "L3");
    CHECK(page[0].agent == "tom");
    CHECK(page[0].pool == "sales");
    CHECK(page[0].rule == "r1");
    CHECK(page[0].detail == R"({"reason":"rule"})");
    CHECK(page[1].seq == 4);
    CHECK(events.list_after(5, 10).empty());
  }

  TEST_CASE("an import adds new leads in input order and reports ids already present") {
    auto db = Database::in_memory();
    {
      LeadStore leads(db);
      WriteTransaction tx(db);
      leads.add({"B", "web", "{}", Time{1s}});
      tx.commit();
    }
    LeadImport import(db);
    CHECK_FALSE(import.stage({"C", "web", R"({"x":1})", Time{30s}}, 1));
    CHECK_FALSE(import.stage({"B", "phone", "{}", Time{20s}}, 2));
    CHECK_FALSE(import.stage({"A", "partner", "{}", Time{10s}}, 4));
    CHECK(import.staged() == 3);
    const auto result = import.commit();
    CHECK(result.added == 2);
    CHECK(result.skipped == std::vector<std::string>{"B"});

    const auto events = EventStore(db).list_after(0, 10);
    REQUIRE(events.size() == 3);
    CHECK(events[1].lead_id == "C");
    CHECK(events[1].at == Time{30s});
    CHECK(events[1].detail == R"({"reason":"ingest","source":"web"})");
    CHECK(events[2].lead_id == "A");
    CHECK(events[2].detail == R"({"reason":"ingest","source":"partner"})");
    LeadStore leads(db);
    CHECK(leads.find("B")->source == "web");
    CHECK(leads.find("C")->attributes == R"({"x":1})");
  }

  TEST_CASE("an import reports the line of an id staged twice") {
    auto db = Database::in_memory();
    LeadImport import(db);
    CHECK_FALSE(import.stage({"A", "web", "{}", Time{1s}}, 3));
    const auto earlier = import.stage({"A", "web", "{}", Time{1s}}, 9);
    REQUIRE(earlier);
    CHECK(*earlier == 3);
    CHECK(import.staged() == 1);
  }

  TEST_CASE("an import destroyed before commit writes nothing") {
    auto db = Database::in_memory();
    {
      LeadImport import(db);
      import.stage({"A", "web", "{}", Time { 1s }}, 1);
    }
    CHECK(LeadStore(db).count() == 0);
    CHECK(db.sql().execAndGet("SELECT count(*) FROM temp.sqlite_master").getInt() == 0);
    // A second import on the same connection starts clean.
    LeadImport again(db);
    CHECK_FALSE(again.stage({"A", "web", "{}", Time{1s}}, 1));
    CHECK(again.commit().added == 1);
  }

  TEST_CASE("a CRM row gets its received event once, an ingested lead no second one") {
    auto db = Database::in_memory();
    {
      WriteTransaction tx(db);
      LeadStore(db).add({"ING", "web", "{}", Time{5s}});
      db.sql().exec("INSERT INTO leads(id, source, attributes, received_at) "
                    "VALUES ('CRM', 'it''s \"crm\"', '[1]', 7)");
      tx.commit();
    }
    WriteTransaction tx(db);
    router::store::RoutingStore routing(db);
    for (const char* id : {"ING", "CRM", "CRM"}) {
      routing.ensure_received(*routing.find(id));
    }
    tx.commit();
    EventStore events(db);
    REQUIRE(events.for_lead("ING").size() == 1);
    const auto crm = events.for_lead("CRM");
    REQUIRE(crm.size() == 1);
    CHECK(crm[0].type == "received");
    CHECK(crm[0].at == Time{7s});
    CHECK(crm[0].detail == R"({"reason":"crm_insert","source":"it's \"crm\""})");
  }
}
