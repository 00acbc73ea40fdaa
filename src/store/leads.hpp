#pragma once
// The `leads` table (SPEC §3): adding new leads one by one or as an all-or-nothing batch,
// and reading them back.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.hpp"
#include "store/events.hpp"
#include "util/clock.hpp"

namespace router::store::sql {
class Statement;
}

namespace router::store {

// A lead to add: it starts `pending` with no attempts. attributes is a JSON object as text.
struct NewLead {
  std::string id;
  std::string source;
  std::string attributes = "{}";
  util::Time received_at;
};

// A row of `leads`, every column.
struct LeadRow {
  std::string id;
  std::string source;
  std::string attributes;
  util::Time received_at;
  std::string state;
  std::optional<std::string> agent;
  std::optional<std::string> pool;
  std::optional<std::string> rule;
  std::optional<util::Time> deadline;
  std::int64_t attempts = 0;
  std::optional<util::Time> updated_at;
  std::optional<util::Time> touched_at;
  // Set when read in the current write transaction by a reader that holds the row there
  // (RoutingStore::pending_after, SweepStore::due_lead_offers: the transaction is exclusive
  // or the row locked FOR UPDATE): its next update may wait for flush_deferred. 0 = not so.
  std::int64_t rowid = 0;
  bool has_events = false;  // pending_after: the lead had an event (its `received`) when read
};

// Single-lead access with prepared statements reused across a batch.
class LeadStore {
public:
  explicit LeadStore(Database& db);
  LeadStore(const LeadStore&) = delete;
  LeadStore& operator=(const LeadStore&) = delete;
  ~LeadStore();

  // True when a lead with this id exists.
  bool exists(const std::string& id);
  // Inserts a pending lead and its `received` event (call inside a WriteTransaction).
  // False, and nothing written, when the id already exists.
  bool add(const NewLead& lead);
  // The lead with this id, if any.
  std::optional<LeadRow> find(const std::string& id);
  // Number of leads in a state, or in all states when `state` is empty.
  std::int64_t count(const std::string& state = "");

private:
  Database& m_db;
  EventStore m_events;
  std::unique_ptr<sql::Statement> m_exists;
  std::unique_ptr<sql::Statement> m_insert;
  std::unique_ptr<sql::Statement> m_find;
};

// An all-or-nothing import. Leads are first staged in a TEMP table, which takes no lock on
// the database, so a slow input never blocks other router processes; commit() then adds
// them in one short write transaction. Destroying an uncommitted import writes nothing.
class LeadImport {
public:
  // What commit() did: how many leads were added, and the ids skipped because they were
  // already in the database (in input order).
  struct Result {
    std::size_t added = 0;
    std::vector<std::string> skipped;
  };

  explicit LeadImport(Database& db);
  LeadImport(const LeadImport&) = delete;
  LeadImport& operator=(const LeadImport&) = delete;
  ~LeadImport();

  // Stages one lead read from input line `line`. When an earlier staged lead has the same
  // id, stages nothing and returns that lead's line.
  std::optional<std::size_t> stage(const NewLead& lead, std::size_t line);
  // Number of leads staged so far.
  std::size_t staged() const { return m_staged; }
  // Adds every staged lead not already present, each with its `received` event, in one
  // BEGIN IMMEDIATE transaction. Throws BusyError/DbError, and then nothing is written.
  Result commit();

private:
  Database& m_db;
  std::unique_ptr<sql::Statement> m_stage;
  std::unique_ptr<sql::Statement> m_line_of;
  std::size_t m_staged = 0;
  bool m_staging = false;
};

}  // namespace router::store
