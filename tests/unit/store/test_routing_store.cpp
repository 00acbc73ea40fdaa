#include <doctest/doctest.h>

#include <string>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "store/database.hpp"
#include "store/events.hpp"
#include "store/routing.hpp"
#include "util/time.hpp"

using router::store::Database;

namespace {

std::string json_object_of(Database& db, const std::string& source) {
  SQLite::Statement s(db.sql(), "SELECT json_object('reason', 'crm_insert', 'source', ?)");
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
    CHECK(events.append(event("A", "received")) == 1);
    events.defer();
    for (int i = 0; i < 150; ++i) {  // two statements of 64 rows, then 22 one by one
      CHECK(events.append(event("L" + std::to_string(i), "offered"), std::string("src")) == 0);
    }
    CHECK(events.append(event("A", "offered")) == 0);  // its source looked up
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
}
