#pragma once
// `router events`: the outbox read in pages, so a million events use flat memory.

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

// The public shape of an event: seq, lead, at (RFC 3339), type, agent, pool, rule, detail
// (the stored JSON object; a malformed one is kept as its text).
nlohmann::ordered_json event_json(const store::EventRow& event);

}  // namespace router::engine
