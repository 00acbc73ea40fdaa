#pragma once
// The `deliveries` table: notifications queued from the outbox, claimed one at a time in a
// write transaction (so concurrent `notify` runs never send the same one), and finished as
// sent, due again, or failed. See the schema (version 2) for the states.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "util/clock.hpp"

namespace router::store::sql {
class Statement;
}

namespace router::store {

// A delivery to queue: one event for one notification rule.
struct NewDelivery {
  std::int64_t event_seq = 0;
  int rule = 0;         // 1-based position in notifications.rules
  std::string channel;  // email | webhook
  std::string target;   // the address, or the webhook's name
  std::string key;      // idempotency key, unique
  util::Time next_at;   // due from
  std::string payload;  // the message, or the webhook's body
};

// A delivery as stored, with its event's lead and type.
struct DeliveryRow {
  std::int64_t id = 0;
  std::int64_t event_seq = 0;
  int rule = 0;
  std::string channel;
  std::string target;
  std::string key;
  std::string state;
  int attempts = 0;
  util::Time next_at;
  util::Time created_at;
  std::optional<util::Time> ended_at;
  std::optional<std::string> last_error;
  std::string payload;
  std::string lead_id;  // from the event; empty when the event is gone
  std::string type;
};

// Queue, claim and finish deliveries with prepared statements reused across a run.
class DeliveryStore {
public:
  explicit DeliveryStore(Database& db);
  DeliveryStore(const DeliveryStore&) = delete;
  DeliveryStore& operator=(const DeliveryStore&) = delete;
  ~DeliveryStore();

  // A value of the `meta` table; nullopt when unset.
  std::optional<std::string> meta(const std::string& key);
  // Sets a value of the `meta` table (inside the caller's transaction).
  void set_meta(const std::string& key, const std::string& value);

  // Queues one delivery; false when its key is already queued.
  bool add(const NewDelivery& d);

  // Inside a write transaction: the oldest delivery that is due at `now` (pending with
  // next_at <= now, or sending with a lapsed claim) and first in line for its target (no
  // older unfinished one, none other being sent), marked sending with attempts + 1 and
  // its claim lapsing at `lease_until`. nullopt when nothing is due.
  std::optional<DeliveryRow> claim(util::Time now, util::Time lease_until);
  // Finishes a claimed delivery; each is false when the claim `attempts` is no longer the
  // delivery's (it lapsed and another run took it over).
  bool mark_sent(std::int64_t id, int attempts, util::Time now);
  bool mark_due(std::int64_t id, int attempts, util::Time next_at, const std::string& error);
  bool mark_failed(std::int64_t id, int attempts, util::Time now, const std::string& error);

  // Failed deliveries, oldest first.
  std::vector<DeliveryRow> failed(std::size_t limit);
  // Makes every failed delivery due again at `now` with its attempts reset; how many.
  std::int64_t requeue_failed(util::Time now);

  // Deliveries by state (pending, sending, done, failed); states with none are absent.
  // Reads every row: for tests and small tables.
  std::map<std::string, std::int64_t> count_by_state();
  // The unfinished and failed deliveries: pending, sending and failed, each present (from
  // the partial indexes, so the sweep's metrics do not read the done ones).
  std::map<std::string, std::int64_t> open_counts();
  // Whether any delivery was ever queued.
  bool any();
  // Deliveries sent in [since, until) — or [since, until] when `inclusive`.
  std::int64_t sent_between(util::Time since, util::Time until, bool inclusive);
  // When the next unfinished delivery is due (or its claim lapses); nullopt when none.
  std::optional<util::Time> next_due();
  // The highest event sequence number; 0 when there are no events.
  std::int64_t last_event_seq();

private:
  std::optional<DeliveryRow> read_one(std::int64_t id);

  Database& m_db;
  std::unique_ptr<sql::Statement> m_get_meta;
  std::unique_ptr<sql::Statement> m_set_meta;
  std::unique_ptr<sql::Statement> m_add;
  std::unique_ptr<sql::Statement> m_add_payload;
  std::unique_ptr<sql::Statement> m_drop_payload;
  std::unique_ptr<sql::Statement> m_pick;
  std::unique_ptr<sql::Statement> m_take;
  std::unique_ptr<sql::Statement> m_read;
  std::unique_ptr<sql::Statement> m_sent;
  std::unique_ptr<sql::Statement> m_due;
  std::unique_ptr<sql::Statement> m_failed;
  std::unique_ptr<sql::Statement> m_next;
  std::unique_ptr<sql::Statement> m_last_seq;
};

}  // namespace router::store
