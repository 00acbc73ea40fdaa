#pragma once
// `router events`: the outbox read in pages, so a million events use flat memory.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>

#include <nlohmann/json.hpp>

#include "store/database.hpp"
#include "store/events.hpp"

namespace router::engine {

// Called once per event, oldest first.
using EventSink = std::function<void(const store::EventRow&)>;

// Streams events with seq > `after`, at most `limit` of them (0 = all), `page` at a time.
// Returns how many were passed to `sink`.
std::size_t read_events(store::Database& db, std::int64_t after, std::size_t limit,
                        const EventSink& sink, std::size_t page = 1000);

// How follow_events waits for new events and when it stops.
struct FollowOptions {
  std::chrono::milliseconds poll{250};      // between two reads when nothing was new
  const std::atomic<bool>* stop = nullptr;  // set (by a signal): return before the next read
  std::function<bool()> batch_done;         // after each batch passed to the sink; false: return
  std::function<bool()> wanted;             // before each read; false (the reader is gone): return
};

// Streams events with seq > `after` as read_events does, then keeps reading every `poll`
// and passes each new event once, in seq order, until `limit` events in all (0 = no
// limit), `stop`, or a callback says no. Nothing is skipped: writers take turns (SQLite's
// BEGIN IMMEDIATE, PostgreSQL's advisory lock) and each takes its seq inside its
// transaction, so events become visible in seq order and a read after the highest seq seen
// never misses a lower one. On PostgreSQL the wait between reads ends early at each NOTIFY
// router_events (and lasts at most 5 s); on SQLite it is `poll`. Throws
// DbError when the file is removed or replaced meanwhile; a BusyError is retried at the next
// poll. An immutable snapshot (see Database::snapshot) is opened again before each read; an
// open that fails (a writer is creating the -wal and -shm) is tried again at the next poll
// until it has failed for longer than the busy timeout, then its DbError is thrown.
// Returns how many events were passed to `sink`.
std::size_t follow_events(store::Database& db, std::int64_t after, std::size_t limit,
                          const EventSink& sink, const FollowOptions& options);

// The public shape of an event: seq, lead, at (RFC 3339), type, agent, pool, rule, detail
// (the stored JSON object; a malformed one is kept as its text).
nlohmann::ordered_json event_json(const store::EventRow& event);

}  // namespace router::engine
