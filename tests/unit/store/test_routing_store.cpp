#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "store/database.hpp"
#include "store/events.hpp"
#include "store/routing.hpp"
#include "store/sql.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

using router::store::Database;

namespace {

std::string json_object_of(Database& db, const std::string& source) {
  router::store::sql::Statement s(db.sql(),
                                  "SELECT json_object('reason', 'crm_insert', 'source', ?)");
  s.bind(1, source);
  s.executeStep();
  return s.getColumn(0).getString();
}

router::store::NewEvent event(const std::string& lead, const std::string& type) {
  return {lead,         router::util::Time{std::chrono::seconds{100}},
          type,         std::nullopt,
          std::nullopt, std::nullopt,
          "{}"};
}

}  // namespace

TEST_SUITE("store.routing") {
  TEST_CASE("a CRM row's received detail is what SQLite's json_object writes, byte for byte") {
    auto db = Database::in_memory();
    std::string every_byte;
    for (int c = 1; c < 256; ++c) {
      every_byte += static_cast<char>(c);
    }
    for (const std::string& source :
         {std::string("web"), std::string(""), std::string("q\"uote\\back"),
          std::string("tab\tnl\ncr\rff\fbs\b"), std::string("\x01\x1f\x7f"),
          std::string("caf\xc3\xa9 \xf0\x9f\x98\x80"), std::string("bad \xff\xfe utf-8"),
          every_byte}) {
      CAPTURE(source);
      CHECK(router::store::received_detail(source) == json_object_of(db, source));
    }
  }

  TEST_CASE("deferred events are written in order with consecutive seqs, many to a statement") {
    auto db = Database::in_memory();
    db.sql().exec("INSERT INTO leads(id, source) VALUES ('A', 'web')");
    router::store::EventStore events(db);
    CHECK(events.append(event("A", "received"), "web") == 1);
    events.defer();
    for (int i = 0; i < 150; ++i) {  // two statements of 64 rows, then 22 one by one
      CHECK(events.append(event("L" + std::to_string(i), "offered"), std::string("src")) == 0);
    }
    CHECK(events.append(event("A", "offered"), "web") == 0);
    CHECK(events.queued() == 151);
    CHECK(db.sql().execAndGet("SELECT count(*) FROM events").getInt() == 1);
    CHECK(events.flush() == 2);
    CHECK(events.queued() == 0);
    CHECK(db.sql()
              .execAndGet("SELECT count(*) FROM events WHERE seq = (SELECT count(*) FROM events "
                          "e2 WHERE e2.seq <= events.seq)")
              .getInt() == 152);
    CHECK(db.sql().execAndGet("SELECT lead_id FROM events WHERE seq = 2").getString() == "L0");
    CHECK(db.sql().execAndGet("SELECT lead_id FROM events WHERE seq = 151").getString() == "L149");
    CHECK(db.sql().execAndGet("SELECT lead_id || source FROM events WHERE seq = 152").getString() ==
          "Aweb");
    CHECK(db.sql().execAndGet("SELECT source FROM events WHERE seq = 100").getString() == "src");
    CHECK(events.flush() == 0);  // nothing queued
  }

  TEST_CASE("events queued in a transaction that rolled back are dropped, not written later") {
    auto db = Database::in_memory();
    router::store::EventStore events(db);
    events.defer();
    {
      router::store::WriteTransaction failed(db);
      events.append(event("GONE", "offered"), std::string("web"));
    }  // rolled back before its flush (an error on the way)
    {
      router::store::WriteTransaction tx(db);
      CHECK(events.flush() == 0);
      events.append(event("KEPT", "offered"), std::string("web"));
      CHECK(events.flush() == 1);
      tx.commit();
    }
    CHECK(db.sql().execAndGet("SELECT group_concat(lead_id) FROM events").getString() == "KEPT");
  }

  TEST_CASE("a bulk run's lead rows wait for the flush, which refuses a row moved meanwhile") {
    using router::util::Time;
    auto db = Database::in_memory();
    db.sql().exec("INSERT INTO leads(id, source, received_at) VALUES ('A', 'web', 50), "
                  "('B', 'web', 60)");
    const auto count = [&](const char* where) {
      return db.sql().execAndGet(std::string("SELECT count(*) FROM leads WHERE ") + where).getInt();
    };
    router::store::RoutingStore store(db);
    store.bulk_mode();
    const router::core::Config config;
    router::core::Decision d;
    d.outcome = router::core::Outcome::assign;
    d.chosen = {"tom"};
    d.pool = "sales";
    d.rule = "r";
    const Time now{std::chrono::seconds{100}};
    const Time first{std::chrono::seconds{INT64_MIN}};
    {
      router::store::WriteTransaction tx(db);
      const auto batch = store.pending_after(first, INT64_MIN, 10);
      REQUIRE(batch.size() == 2);
      d.lead_id = "A";
      CHECK(store.write_decision(d, batch[0].row, "pending", now, 0, "", config));
      store.remember_contacts({"email:a@example.com"}, "A", now);
      CHECK(count("state = 'pending'") == 2);  // queued, not written yet
      // Lead B's owner match looks for A's owner: it sees the update queued for A.
      CHECK(store.prior_owner({"email:a@example.com"}, "B", Time{}) == "tom");
      CHECK(count("id = 'A' AND state = 'assigned' AND agent = 'tom'") == 1);
      d.lead_id = "B";
      CHECK(store.write_decision(d, batch[1].row, "pending", now, 0, "", config));
      store.flush_deferred();
      CHECK(count("state = 'assigned' AND agent = 'tom' AND pool = 'sales' AND rule = 'r' AND "
                  "updated_at = 100") == 2);
      tx.commit();
    }
    db.sql().exec("INSERT INTO leads(id, source, received_at) VALUES ('C', 'web', 70)");
    {
      router::store::WriteTransaction tx(db);
      const auto batch = store.pending_after(first, INT64_MIN, 10);
      REQUIRE(batch.size() == 1);
      d.lead_id = "C";
      CHECK(store.write_decision(d, batch[0].row, "pending", now, 0, "", config));
      db.sql().exec("UPDATE leads SET state = 'closed' WHERE id = 'C'");
      CHECK_THROWS_AS(store.flush_deferred(), router::util::DbError);
    }  // rolled back
    CHECK(count("id = 'C' AND state = 'pending'") == 1);
    CHECK(db.sql().execAndGet("SELECT count(*) FROM events WHERE lead_id = 'C'").getInt() == 0);
  }
}

TEST_SUITE("store.routing") {
  TEST_CASE("a lead's round: each agent offered since it began once, in the order first offered") {
    auto db = Database::in_memory();
    db.sql().exec("INSERT INTO leads(id, source, received_at) VALUES ('A', 'web', 50)");
    db.sql().exec("INSERT INTO events(seq, lead_id, at, type, agent) VALUES "
                  "(1, 'A', 50, 'received', NULL), (2, 'A', 60, 'offered', 'ann'), "
                  "(3, 'A', 70, 'expired', 'ann'), (4, 'A', 70, 'offered', 'bob'), "
                  "(5, 'A', 80, 'expired', 'bob'), (6, 'A', 80, 'offered', 'ann'), "
                  "(7, 'A', 90, 'offered', 'cy'), (8, 'B', 90, 'offered', 'dee')");
    router::store::RoutingStore store(db);
    auto state = store.round_state("A");
    CHECK(state.round == 0);
    CHECK(state.offered == std::vector<std::string>{"ann", "bob", "cy"});
    // A new round from event 4 on: bob first, then ann (her offer of event 2 is before it).
    db.sql().exec("INSERT INTO rounds(lead_id, round, seq) VALUES ('A', 1, 4)");
    state = store.round_state("A");
    CHECK(state.round == 1);
    CHECK(state.offered == std::vector<std::string>{"bob", "ann", "cy"});
    // Offered to nobody yet in round 2.
    db.sql().exec("INSERT INTO rounds(lead_id, round, seq) VALUES ('A', 2, 9)");
    state = store.round_state("A");
    CHECK(state.round == 2);
    CHECK(state.offered.empty());
  }
}
