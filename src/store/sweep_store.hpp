#pragma once
// What the sweep looks for: due offers, offers to unavailable agents or to agents outside
// their pool, stale assigned leads, leads queued in removed pools, ended leaves. Every
// query is an index seek, so a sweep with nothing due costs microseconds per step.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "store/leads.hpp"
#include "store/routing.hpp"

namespace router::store::sql {
class Statement;
}

namespace router::store {

class Query;

// An open offer together with its lead's row.
struct OfferWithLead {
  OfferRow offer;
  LeadRow lead;
};

// The offer a lead row holds itself (a single-agent offer), with the row's rowid for keyset
// batching.
struct HeldOffer {
  std::int64_t rowid = 0;
  OfferWithLead offer;
};

// An exclusive range of text keys; an absent bound is open.
struct Gap {
  std::optional<std::string> after;
  std::optional<std::string> before;
};

// An assigned lead with its keyset position for stale batching.
struct ActiveLead {
  std::int64_t rowid = 0;
  std::int64_t activity = 0;  // max(updated_at, touched_at), unix seconds
  LeadRow row;
};

// A leave that has run out.
struct EndedLeave {
  std::string agent;
  util::Time until;
};

// An agent's status and presence as stored.
struct AgentPresence {
  std::string agent;
  std::string status;
  std::optional<util::Time> until;
  bool online = false;
};

// The sweep's queries and writes, with prepared statements reused across a batch.
class SweepStore {
public:
  explicit SweepStore(Database& db);
  SweepStore(const SweepStore&) = delete;
  SweepStore& operator=(const SweepStore&) = delete;
  ~SweepStore();

  // Broadcasts' open offers with deadline <= now after keyset position (deadline, id), by
  // deadline.
  std::vector<OfferWithLead> due_offers(util::Time now, std::int64_t after_deadline,
                                        std::int64_t after_id, std::size_t limit);
  // Single-agent offers (held by their lead rows) with deadline <= now after keyset position
  // (deadline, rowid), by deadline. In a shared transaction (PostgreSQL) each lead row is
  // locked until the transaction ends, and rows another transaction holds are skipped.
  std::vector<HeldOffer> due_lead_offers(util::Time now, std::int64_t after_deadline,
                                         std::int64_t after_rowid, std::size_t limit);
  // Every single-agent offer after keyset position (received_at, rowid), oldest lead first.
  std::vector<HeldOffer> lead_offers_after(std::int64_t after_received, std::int64_t after_rowid,
                                           std::size_t limit);
  // True when the single-agent offers were last checked against configuration `config` (an
  // id in `configs`) and no offer was made since under another one: then no offer can name a
  // pool or member that `config` lacks, and the sweep need not look at them again. When
  // true, the offers made since are recorded as checked too (a write: call it in a write
  // transaction), so each decision's trail is looked at once, not by every later sweep.
  bool offers_checked_under(std::int64_t config);
  // Records that every single-agent offer has now been checked against `config`.
  void set_offers_checked(std::int64_t config);
  // Open offers to `agent` (the leads' own, then broadcasts'), in any pool (pool empty) or in
  // one pool.
  std::vector<OfferWithLead> open_offers_of(const std::string& agent, const std::string& pool,
                                            std::size_t limit);
  // Whether any broadcast has an open offer, and whether any lead is queued: when not, the
  // checks of every pool and member gap below have nothing to find (an idle sweep's cost).
  bool any_open_broadcast_offer();
  bool any_queued_lead();
  // Broadcasts' open offers whose pool lies in `pools` (pools the configuration does not
  // have).
  std::vector<OfferWithLead> open_offers_in_pools(const Gap& pools, std::size_t limit);
  // Broadcasts' open offers of `pool` whose agent lies in `agents` (not a member any more).
  std::vector<OfferWithLead> open_offers_outside(const std::string& pool, const Gap& agents,
                                                 std::size_t limit);

  // Leads queued in a pool within `pools` (pools the configuration does not have).
  std::vector<LeadRow> queued_in_pools(const Gap& pools, std::size_t limit);
  // Leads assigned through `pool` whose last activity is <= cutoff, after the keyset
  // position (activity, rowid), least recently active first.
  std::vector<ActiveLead> stale_leads(const std::string& pool, util::Time cutoff,
                                      std::int64_t after_activity, std::int64_t after_rowid,
                                      std::size_t limit);

  // Every agent with stored state; with `unavailable_only`, those whose status is not
  // `available` (the others only matter to pools that require being online).
  std::vector<AgentPresence> agents(bool unavailable_only);
  // Leaves whose `until` is <= now.
  std::vector<EndedLeave> ended_leaves(util::Time now, std::size_t limit);
  // Makes the agent available again and logs it; false when the leave changed meanwhile.
  bool end_leave(const EndedLeave& leave, util::Time now);

  // Sets the lead's touched_at; false when the lead does not exist.
  bool set_touched(const std::string& lead_id, util::Time now);

  // Leads in the manual queue.
  std::int64_t queue_depth();
  // When the oldest pending lead arrived; nullopt when none is pending.
  std::optional<util::Time> oldest_pending();

  // Adds each delta to its counter (kept in `meta` as "counter.NAME"), inside the caller's
  // transaction, so a counter grows exactly with the work that was committed.
  void add_counters(const std::map<std::string, std::int64_t>& deltas);
  // Every counter whose NAME starts with `prefix`, by NAME; counters never added are absent.
  std::map<std::string, std::int64_t> counters(const std::string& prefix);

private:
  std::vector<OfferWithLead> read_offers(sql::Statement& s);
  Query gap_statement(std::unique_ptr<sql::Statement> (&cache)[4], const std::string& head,
                      const char* column, const Gap& gap, int first_index, const std::string& tail);

  Database& m_db;
  std::unique_ptr<sql::Statement> m_due;
  std::unique_ptr<sql::Statement> m_of_agent;
  std::unique_ptr<sql::Statement> m_of_agent_pool;
  std::unique_ptr<sql::Statement> m_in_pools[4];
  std::unique_ptr<sql::Statement> m_outside[4];
  std::unique_ptr<sql::Statement> m_queued[4];
  std::unique_ptr<sql::Statement> m_due_leads;
  std::unique_ptr<sql::Statement> m_due_leads_claimed;
  std::unique_ptr<sql::Statement> m_lead_offers_after;
  std::unique_ptr<sql::Statement> m_stale;
  std::unique_ptr<sql::Statement> m_leaves;
  std::unique_ptr<sql::Statement> m_end_leave;
  std::unique_ptr<sql::Statement> m_log;
  std::unique_ptr<sql::Statement> m_touch;
};

}  // namespace router::store
