#pragma once
// What routing reads and writes: pending leads in arrival order, the snapshot of agents'
// and pools' state, a lead's offer history, and the rows a decision changes.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/decision.hpp"
#include "core/model.hpp"
#include "core/snapshot.hpp"
#include "store/database.hpp"
#include "store/events.hpp"
#include "store/leads.hpp"

namespace router::store::sql {
class Statement;
}

namespace router::store {

// A lead row with its rowid, the keyset position for batching.
struct QueuedLead {
  std::int64_t rowid = 0;
  LeadRow row;
};

// Which parts of the snapshot the configuration needs (the costly ones are optional).
struct SnapshotNeeds {
  bool active = false;  // least_active: open offers and assignments per agent
  bool close = false;   // best_close_rate: outcomes per agent within each pool's window
  // The pools (one flag per pool of the configuration) the snapshot is for; nullopt = every
  // pool. Only their members are bound (core::Snapshot::bind: binding 2,000 members costs
  // more than routing one lead), only their rotation cursors and usage are read and, with
  // `active`, only their least_active pools' members' open leads are counted: a decision in
  // any other pool would read wrong state, so the caller must route only in these.
  std::optional<std::vector<bool>> bind;

  // Whether the snapshot is for pool `p` (an index into the configuration's pools), or for
  // the pool named `pool` of `config` (not one of its pools: no, when bound).
  bool for_pool(std::size_t p) const { return !bind || (p < bind->size() && (*bind)[p]); }
  bool for_pool(const core::Config& config, const std::string& pool) const {
    const core::Pool* found = config.find_pool(pool);
    return found ? for_pool(static_cast<std::size_t>(found - config.pools.data())) : !bind;
  }
};

// Usage periods of one pool: "D2026-11-23" and "M2026-11" in the pool's zone.
struct Periods {
  std::string day;
  std::string month;
};

// The id of the offer a lead row holds itself: a single-agent offer has no row of its own.
inline constexpr std::int64_t k_lead_offer = 0;

// An open offer: a broadcast member's row, or (id k_lead_offer) the lead row's own offer.
struct OfferRow {
  std::int64_t id = 0;
  std::string lead_id;
  std::string agent;
  std::optional<std::string> pool;
  util::Time offered_at;
  std::optional<util::Time> deadline;
};

// New values for a lead row; `expected_state` guards against a concurrent change.
struct LeadUpdate {
  std::string state;
  std::optional<std::string> agent;
  std::optional<std::string> pool;
  std::optional<std::string> rule;
  std::optional<util::Time> deadline;
  std::int64_t attempts = 0;
};

// The detail of a CRM row's `received` event: {"reason":"crm_insert","source":SOURCE}.
std::string received_detail(std::string_view source);

// Reads and writes routing state with prepared statements reused across a batch.
class RoutingStore {
public:
  explicit RoutingStore(Database& db);
  RoutingStore(const RoutingStore&) = delete;
  RoutingStore& operator=(const RoutingStore&) = delete;
  ~RoutingStore();

  // The database this store works on.
  Database& db() { return m_db; }
  // Up to `limit` pending leads after keyset position (received_at, rowid), oldest first. In
  // a shared transaction (PostgreSQL) each is locked until the transaction ends, and leads
  // another transaction holds are skipped: concurrent runs take different leads.
  std::vector<QueuedLead> pending_after(util::Time received_at, std::int64_t rowid,
                                        std::size_t limit);
  // The lead with this id, if any.
  std::optional<LeadRow> find(const std::string& id);
  // Existing ids near `id` in sort order, for "did you mean" on unknown leads.
  std::vector<std::string> ids_near(const std::string& id);

  // Agents' status, presence, metrics and last lead; pools' rotation, usage in `periods`
  // (one entry per pool name) and, when needed, activity and close rates.
  core::Snapshot load_snapshot(const core::Config& config, util::Time now,
                               const std::vector<std::pair<std::string, Periods>>& periods,
                               const SnapshotNeeds& needs);
  // The lead's current routing round and the agents already offered it in that round, first
  // offered first.
  struct RoundState {
    int round = 0;
    std::vector<std::string> offered;
  };
  RoundState round_state(const std::string& lead_id);
  // PostgreSQL: reads the round states of these leads in two statements, for the next
  // round_state() of each (one each; a round trip per lead was a third of a sweep's). Call it
  // after the last write that could change them; nothing on SQLite, which has no round trips.
  void prefetch_round_states(const std::vector<std::string>& lead_ids);
  // Drops what prefetch_round_states read and round_state() did not take, so that nothing
  // read in one batch's state answers a later batch.
  void forget_round_states();
  // The owner of the newest other lead sharing a contact key received since `since`.
  std::optional<std::string> prior_owner(const std::vector<std::string>& keys,
                                         const std::string& lead_id, util::Time since);
  // Remembers the lead's contact keys for later owner matching.
  void remember_contacts(const std::vector<std::string>& keys, const std::string& lead_id,
                         util::Time at);

  // Writes a decision: the lead row (which alone holds a single-agent offer), a broadcast's
  // offer rows, the round it starts, events (detail with the reason), its trail for
  // `explain` (`trail`, made under `config`, which is stored once by its text), agents'
  // last lead; for a pending lead first its `received` event
  // when the CRM inserted the row (ensure_received). Returns false when the lead was no longer
  // in `expected_state` (another process got there first) and writes nothing.
  bool write_decision(const core::Decision& d, const LeadRow& lead,
                      const std::string& expected_state, util::Time now, int round,
                      const std::string& trail, const core::Config& config);
  // The id of `config`'s text in `configs`, inserted when new (inside a transaction).
  std::int64_t config_id(const core::Config& config);
  // Appends the `received` event (at its received_at, reason crm_insert) of a lead that has
  // no event at all: a row the CRM inserted directly. Call when it first leaves `pending`.
  void ensure_received(const LeadRow& lead);
  // The lead's current routing round (0 before any offer): offers of earlier rounds (before
  // a reassignment) do not exclude anyone.
  int current_round(const std::string& lead_id);
  // The lead's offers still open: the lead row's own, or a broadcast's open member rows.
  std::vector<OfferRow> open_offers(const std::string& lead_id);
  // Ends an open offer: claimed | declined | expired | withdrawn. The lead row's own offer
  // (k_lead_offer) ends with the caller's next update of the lead; the event that records
  // the end is the caller's too.
  void end_offer(std::int64_t offer_id, const std::string& state, util::Time now);
  // Rewrites a lead row when it is still in `expected_state`; false (nothing written) if not.
  bool update_lead(const std::string& id, const std::string& expected_state,
                   const LeadUpdate& update, util::Time now);
  // True while `reassign --pool` is routing the lead.
  bool reassign_in_progress(const std::string& lead_id);
  // Appends an event (inside the transaction that made the change), with its lead's source.
  void append_event(const NewEvent& event, std::string_view source) {
    m_events.append(event, source);
  }
  // The events, to read a lead's trail inside the same transaction.
  EventStore& events() { return m_events; }
  // Marks the lead's reassignment through `pool` as in progress (until claimed or settled).
  void begin_reassignment(const std::string& lead_id, const std::string& pool, util::Time now,
                          const std::optional<std::string>& previous_agent);
  // Ends the lead's reassignment, if one was in progress.
  void end_reassignment(const std::string& lead_id);
  // Ids of the leads offered to (open offers, broadcast included) or assigned to `agent`.
  std::vector<std::string> open_leads_of(const std::string& agent);
  // Adds to a member's usage in a pool for a period.
  void add_usage(const std::string& pool, const std::string& agent, const std::string& period,
                 int delta);
  // Stores a pool's rotation cursor.
  void save_rotation(const std::string& pool, const core::RotationCursor& cursor);
  // For a run over many leads: a larger page cache for this connection (the indexes of
  // leads and events all take inserts), fewer WAL checkpoints (each syncs the disk), and
  // from now on the events, trails and rounds written here wait in memory until
  // flush_deferred() writes them in order, a few dozen rows per statement, and agents' last
  // lead is written once per agent and batch instead of once per lead. So are the updates of
  // lead rows read as pending by pending_after in the same write transaction: no other
  // writer can have moved them since, and the flush checks that each was still pending.
  void bulk_mode();
  // Writes what was deferred; call inside the transaction, before committing and before
  // anything reads the events written since.
  void flush_deferred();

private:
  // bulk_mode()'s connection settings (PRAGMAs).
  void bulk_settings();
  // A decision's trail waiting for flush_deferred, with the queue index of its first event.
  struct QueuedTrail {
    std::size_t first_event = 0;
    std::int64_t config = 0;
    std::string data;
    std::string lead_id;  // with `round` > 0: the round this decision's offers start
    int round = 0;
  };

  // A lead row's new values waiting for flush_deferred, and the state it was read in.
  struct QueuedLeadUpdate {
    std::int64_t rowid = 0;
    std::string expected;
    const char* state = nullptr;
    std::optional<std::string> agent;
    std::optional<std::string> pool;
    std::optional<std::string> rule;
    std::optional<std::int64_t> deadline;
    std::int64_t attempts = 0;
    std::int64_t updated_at = 0;
  };

  // Writes the queued lead updates, a few dozen rows per statement; throws DbError when one
  // of those rows is no longer in the state it was read in (the transaction is then rolled
  // back). The readers that set LeadRow::rowid hold their rows, so that is a bug.
  void flush_lead_updates();
  // Records an agent's last lead now (or at flush_deferred when deferring).
  void agent_last(const std::string& agent, util::Time now);
  // Writes a decision's trail keyed by its first event's seq, and the round its offers start.
  void write_trail(std::int64_t seq, std::int64_t config, const std::string& trail,
                   const std::string& lead_id, int round);
  // PostgreSQL: the deferred trails, many to an INSERT; `first` is the seq of the first
  // deferred event.
  void write_trails_many(std::int64_t first);

  Database& m_db;
  bool m_defer = false;
  std::map<std::string, util::Time> m_agent_last;  // deferred last_assigned_at by agent
  std::vector<QueuedTrail> m_trails;               // deferred trails, in order
  std::uint64_t m_trails_rollbacks = 0;            // the connection's rollbacks when m_trails began
  std::vector<QueuedLeadUpdate> m_lead_updates;    // deferred lead rows, in order
  std::uint64_t m_lead_updates_rollbacks = 0;      // the rollbacks when m_lead_updates began
  std::unique_ptr<sql::Statement> m_update_leads_many;
  std::unique_ptr<sql::Statement> m_update_lead_one;
  std::unique_ptr<sql::Statement> m_insert_trails_many;
  std::unordered_map<std::string, RoundState> m_round_states;  // prefetched, each read once
  EventStore m_events;
  std::unique_ptr<sql::Statement> m_pending;
  std::unique_ptr<sql::Statement> m_pending_claimed;
  std::unique_ptr<sql::Statement> m_find;
  std::unique_ptr<sql::Statement> m_offered;
  std::unique_ptr<sql::Statement> m_round;
  std::unique_ptr<sql::Statement> m_open_offers;
  std::unique_ptr<sql::Statement> m_end_offer;
  std::unique_ptr<sql::Statement> m_set_lead;
  std::unique_ptr<sql::Statement> m_reassigning;
  std::unique_ptr<sql::Statement> m_prior;
  std::unique_ptr<sql::Statement> m_contact;
  std::unique_ptr<sql::Statement> m_update_lead;
  std::unique_ptr<sql::Statement> m_insert_offer;
  std::unique_ptr<sql::Statement> m_insert_round;
  std::unique_ptr<sql::Statement> m_insert_decision;
  std::unique_ptr<sql::Statement> m_find_config;
  std::unique_ptr<sql::Statement> m_insert_config;
  // config_id() of the configuration last asked for; valid while no transaction of this
  // connection rolled back since (the row may have gone with it).
  const core::Config* m_config = nullptr;
  std::int64_t m_config_id = 0;
  std::uint64_t m_config_rollbacks = 0;
  std::unique_ptr<sql::Statement> m_has_event;
  std::unique_ptr<sql::Statement> m_agent_last_stmt;
  std::unique_ptr<sql::Statement> m_usage;
  std::unique_ptr<sql::Statement> m_rotation;
};

}  // namespace router::store
