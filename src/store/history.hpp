#pragma once
// What happened to one lead, for `explain` and `outcome`: its routing decisions, every
// offer (open or ended) and its recorded outcome.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "util/clock.hpp"

namespace router::store {

// A row of `decisions`: the Decision JSON written when the lead was routed.
struct DecisionRecord {
  std::int64_t id = 0;
  util::Time at;
  std::string detail;
};

// A row of `trails`: a decision in compact form (engine/trail.hpp), made under the
// configuration `config` (an id in `configs`).
struct TrailRecord {
  std::int64_t seq = 0;
  util::Time at;
  std::int64_t config = 0;
  std::string data;
};

// A row of `configs`.
struct ConfigText {
  std::uint64_t hash = 0;
  std::string text;
};

// An offer with how it ended. state: open | claimed | declined | expired | withdrawn.
struct OfferRecord {
  std::int64_t id = 0;
  std::string agent;
  std::optional<std::string> pool;
  util::Time offered_at;
  std::optional<util::Time> deadline;
  std::string state;
  std::optional<util::Time> ended_at;
  int round = 0;
};

// A row of `outcomes`. outcome: won | lost.
struct OutcomeRecord {
  std::string lead_id;
  std::optional<std::string> agent;
  std::string outcome;
  util::Time at;
};

// Reads a lead's history; records outcomes (inside a WriteTransaction).
class HistoryStore {
public:
  explicit HistoryStore(Database& db) : m_db(db) {}

  // The lead's decisions written before schema 3 (as JSON), oldest first.
  std::vector<DecisionRecord> decisions(const std::string& lead_id);
  // The lead's decision trails, oldest first.
  std::vector<TrailRecord> trails(const std::string& lead_id);
  // A configuration the trails refer to; nullopt when there is no such row.
  std::optional<ConfigText> config_text(std::int64_t id);
  // Every offer of the lead, oldest first.
  std::vector<OfferRecord> offers(const std::string& lead_id);
  // The lead's outcome, if one was recorded.
  std::optional<OutcomeRecord> outcome(const std::string& lead_id);
  // Records an outcome, replacing one left from an earlier closing.
  void add_outcome(const OutcomeRecord& outcome);

private:
  Database& m_db;
};

}  // namespace router::store
