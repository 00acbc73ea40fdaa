#pragma once
// Ending offers and offering the lead on: the shared path of `decline` and the sweep's
// expiry, take-backs and stale re-routing. One OfferMover lives for one write
// transaction (a batch): it loads the snapshot once and mirrors every decision into it.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "core/decision.hpp"
#include "core/model.hpp"
#include "core/snapshot.hpp"
#include "store/database.hpp"
#include "store/routing.hpp"
#include "store/sweep_store.hpp"
#include "util/clock.hpp"
#include "util/random.hpp"

namespace router::engine {

// An offer that ended without a claim.
struct EndedOffer {
  std::string lead;
  std::string agent;
  std::optional<std::string> pool;
  std::optional<std::string> rule;
  std::string state;   // expired | declined | withdrawn
  std::string reason;  // event detail.reason: deadline | declined | agent_unavailable | ...
};

// Ends offers and routes their leads on inside the caller's write transaction.
class OfferMover {
public:
  OfferMover(store::Database& db, const core::Config& config, util::Time now, util::Random& random);
  OfferMover(const OfferMover&) = delete;
  OfferMover& operator=(const OfferMover&) = delete;
  ~OfferMover();

  // Starts a transaction's work: the snapshot is loaded when first needed, so a batch
  // with nothing to do reads nothing. Call at the start of every transaction.
  void begin();
  // Narrows this transaction's snapshot to the pools named (others unknown to the
  // configuration are ignored): a batch that ends offers in a few of many pools binds only
  // their members. Call after begin() and before anything else; routing a lead into any
  // other pool of the configuration is then a bug, and throws std::logic_error.
  void only_pools(const std::vector<std::string>& pools);
  // Ends one open offer of `lead` (state: expired | declined | withdrawn), gives its usage
  // back and appends the event with detail.reason `reason`.
  EndedOffer end(const store::OfferRow& offer, const store::LeadRow& lead, const std::string& state,
                 const std::string& reason);
  // Offers `lead` (still `offered`) on through its pool when none of its offers is open
  // any more; nullopt when some still are (a broadcast) or the lead changed meanwhile.
  std::optional<core::Decision> offer_on(const store::LeadRow& lead, core::Reason why);
  // Routes an assigned lead again through `pool`, excluding its owner, in a new round.
  std::optional<core::Decision> reroute(const store::LeadRow& lead, const std::string& pool,
                                        core::Reason why);
  // Moves a queued lead whose pool is gone to the manual queue.
  std::optional<core::Decision> to_manual_queue(const store::LeadRow& lead);
  // Writes the usage and rotation changes; call before committing.
  void finish();

  store::RoutingStore& routing() { return m_routing; }
  store::SweepStore& sweep() { return m_sweep; }

private:
  bool write(const core::Decision& d, const store::LeadRow& lead, const std::string& expected,
             int round);
  void mirror(const core::Decision& d);
  void load();
  const store::Periods& periods(const std::string& pool, util::Time at);
  void count_usage(const std::string& pool, const std::string& agent, util::Time at, int delta);

  store::RoutingStore m_routing;
  store::SweepStore m_sweep;
  const core::Config& m_config;
  util::Time m_now;
  util::Random& m_random;
  core::Snapshot m_snapshot;
  bool m_loaded = false;
  std::optional<std::vector<bool>> m_bind;  // only_pools(); nullopt: every pool
  store::SnapshotNeeds m_loaded_for;        // what m_snapshot was loaded for
  std::map<std::tuple<std::string, std::string, std::string>, int> m_usage;
  std::set<std::string> m_rotated;  // pools whose cursor (in m_snapshot) moved this batch
  std::map<std::pair<const util::Zone*, util::Time>, store::Periods> m_periods;
};

// The result of `router decline`.
struct DeclineResult {
  EndedOffer declined;
  std::optional<core::Decision> next;  // where the lead went; nullopt: others still hold it
};

// `router decline LEAD --agent A`: the same refusals as claim (unknown lead or agent, not
// A's offer, expired, already claimed); the offer ends `declined` and the lead is offered
// on at once, all in one transaction.
DeclineResult decline(store::Database& db, const core::Config& config, util::Time now,
                      util::Random& random, const std::string& lead_id, const std::string& agent);

}  // namespace router::engine
