#pragma once
// The `events` table: the append-only audit trail and outbox (SPEC §3).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.hpp"
#include "util/clock.hpp"

namespace router::store::sql {
class Statement;
}

namespace router::store {

// An event to append. detail is a JSON object as text.
struct NewEvent {
  std::string lead_id;
  util::Time at;
  std::string type;
  std::optional<std::string> agent;
  std::optional<std::string> pool;
  std::optional<std::string> rule;
  std::string detail = "{}";
};

// An event as stored, with its sequence number.
struct EventRow : NewEvent {
  std::int64_t seq = 0;
};

// Appends and reads events with prepared statements reused across a batch.
class EventStore {
public:
  explicit EventStore(Database& db);
  EventStore(const EventStore&) = delete;
  EventStore& operator=(const EventStore&) = delete;
  ~EventStore();

  // Appends one event (call inside the transaction that made the change); returns its seq,
  // or 0 while deferring. `source` is the lead's (leads.source, which never changes): every
  // caller has the lead's row in hand, so the row is not looked up again.
  std::int64_t append(const NewEvent& event, std::string_view source);
  // From now on append() queues the events, in order, until flush() writes them (a bulk run:
  // a few multi-row INSERTs per batch instead of a statement per event).
  void defer() { m_defer = true; }
  // The number of events queued so far: the index the next one will have in the queue.
  std::size_t queued() const { return m_queue.size(); }
  // Writes the queued events in order (inside the transaction that queued them) and returns
  // the seq of the first; the one queued at index i gets that seq + i. 0 when none, and
  // when a transaction of this connection rolled back since the first was queued: those
  // events went with it (discarded).
  std::int64_t flush();
  // Up to `limit` events with seq > `after`, in seq order.
  std::vector<EventRow> list_after(std::int64_t after, std::size_t limit);
  // Every event of one lead, in seq order.
  std::vector<EventRow> for_lead(const std::string& lead_id);

private:
  struct Queued {
    NewEvent event;
    std::string source;
  };
  Database& m_db;
  bool m_defer = false;
  std::vector<Queued> m_queue;
  std::uint64_t m_queue_rollbacks = 0;  // the connection's rollbacks when m_queue began
  std::unique_ptr<sql::Statement> m_append;
  std::unique_ptr<sql::Statement> m_append_many;
  std::unique_ptr<sql::Statement> m_after;
  std::unique_ptr<sql::Statement> m_for_lead;
};

}  // namespace router::store
