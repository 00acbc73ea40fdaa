#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <SQLiteCpp/Database.h>

#include "engine/outbox.hpp"
#include "store/database.hpp"
#include "store/events.hpp"
#include "store/sql.hpp"

using namespace std::chrono_literals;
using router::store::Database;
namespace engine = router::engine;
namespace store = router::store;

namespace {

// Appends a `touched` event for `lead`, as another writer would.
void append(Database& db, const std::string& lead) {
  store::WriteTransaction tx(db);
  store::EventStore events(db);
  events.append({lead, router::util::Time{}, "touched", {}, {}, {}, "{}"}, "web");
  tx.commit();
}

// What follow_events passed on: the leads of the events, in the order they came.
struct Seen {
  std::vector<std::string> leads;
  std::vector<std::int64_t> seqs;
  engine::EventSink sink() {
    return [this](const store::EventRow& e) {
      leads.push_back(e.lead_id);
      seqs.push_back(e.seq);
    };
  }
};

}  // namespace

TEST_SUITE("engine.outbox") {
  TEST_CASE("follow passes the backlog after --after, then each event written later, once") {
    auto db = Database::in_memory();
    append(db, "A");
    append(db, "B");
    append(db, "C");
    Seen seen;
    int polls = 0;
    std::atomic<bool> stop{false};
    engine::FollowOptions options;
    options.poll = 1ms;
    options.stop = &stop;
    // Before each read: another process writes now and then; the sixth read is the last.
    options.wanted = [&] {
      ++polls;
      if (polls == 2) {
        append(db, "D");
      } else if (polls == 4) {
        append(db, "E");
        append(db, "F");
      } else if (polls == 6) {
        stop = true;
      }
      return true;
    };
    int batches = 0;
    options.batch_done = [&] {
      ++batches;
      return true;
    };
    const auto n = engine::follow_events(db, 1, 0, seen.sink(), options);
    CHECK(n == 5);
    CHECK(seen.leads == std::vector<std::string>{"B", "C", "D", "E", "F"});
    CHECK(seen.seqs == std::vector<std::int64_t>{2, 3, 4, 5, 6});
    CHECK(batches == 3);
  }

  TEST_CASE("follow with a limit stops after that many events in all, the backlog included") {
    auto db = Database::in_memory();
    append(db, "A");
    Seen seen;
    engine::FollowOptions options;
    options.poll = 1ms;
    options.wanted = [&] {
      append(db, "more");
      append(db, "more");
      return true;
    };
    CHECK(engine::follow_events(db, 0, 4, seen.sink(), options) == 4);
    CHECK(seen.seqs == std::vector<std::int64_t>{1, 2, 3, 4});

    Seen within;
    CHECK(engine::follow_events(db, 0, 1, within.sink(), engine::FollowOptions{}) == 1);
    CHECK(within.seqs == std::vector<std::int64_t>{1});
  }

  TEST_CASE("follow returns when the reader is gone, or a batch says so") {
    auto db = Database::in_memory();
    append(db, "A");
    Seen gone;
    engine::FollowOptions options;
    options.wanted = [] { return false; };
    CHECK(engine::follow_events(db, 0, 0, gone.sink(), options) == 0);
    CHECK(gone.seqs.empty());

    Seen once;
    options.wanted = nullptr;
    options.batch_done = [] { return false; };
    CHECK(engine::follow_events(db, 0, 0, once.sink(), options) == 1);
    CHECK(once.seqs == std::vector<std::int64_t>{1});
  }

  TEST_CASE("a stop during a long backlog ends the follow at the end of a page") {
    auto db = Database::in_memory();
    db.sql().exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500) "
                  "INSERT INTO events(lead_id, at, type, detail) SELECT 'X', i, 'touched', '{}' "
                  "FROM n");
    std::atomic<bool> stop{false};
    engine::FollowOptions options;
    options.stop = &stop;
    std::size_t seen = 0;
    const auto n = engine::follow_events(
        db, 0, 0,
        [&](const store::EventRow&) {
          ++seen;
          stop = true;
        },
        options);
    CHECK(n == 1000);
    CHECK(seen == 1000);
  }

  TEST_CASE("follow returns at once when stop is already set") {
    auto db = Database::in_memory();
    append(db, "A");
    Seen seen;
    std::atomic<bool> stop{true};
    engine::FollowOptions options;
    options.stop = &stop;
    CHECK(engine::follow_events(db, 0, 0, seen.sink(), options) == 0);
  }
}
