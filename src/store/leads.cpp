#include "store/leads.hpp"

#include "store/sql.hpp"
#include <nlohmann/json.hpp>

#include "store/row_readers.hpp"
#include "store/sqlite_error.hpp"
#include "store/statement_util.hpp"

namespace router::store {
namespace {

// The staging table lives in the connection's temp database; it vanishes on close. Unix
// seconds are BIGINT: PostgreSQL's INTEGER has 32 bits (SQLite gives both the same affinity).
constexpr const char* k_create_staging = R"sql(
PRAGMA temp.cache_size = -32768;
DROP TABLE IF EXISTS temp.lead_import;
CREATE TEMP TABLE lead_import(
  line        INTEGER PRIMARY KEY,
  id          TEXT NOT NULL UNIQUE,
  source      TEXT NOT NULL,
  attributes  TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  present     INTEGER NOT NULL DEFAULT 0
);
)sql";

}  // namespace

LeadStore::LeadStore(Database& db) : m_db(db), m_events(db) {}
LeadStore::~LeadStore() = default;

bool LeadStore::exists(const std::string& id) {
  return guarded(m_db, [&] {
    auto s = prepared(m_db, m_exists, "SELECT 1 FROM leads WHERE id = ?");
    s.bind(1, id);
    return s.executeStep();
  });
}

bool LeadStore::add(const NewLead& lead) {
  const bool inserted = guarded(m_db, [&] {
    auto s = prepared(m_db, m_insert,
                      "INSERT INTO leads(id, source, attributes, received_at) "
                      "VALUES (?, ?, ?, ?) ON CONFLICT(id) DO NOTHING");
    s.bind(1, lead.id);
    s.bind(2, lead.source);
    s.bind(3, lead.attributes);
    s.bind(4, seconds(lead.received_at));
    return s.exec() == 1;
  });
  if (inserted) {
    NewEvent event{lead.id, lead.received_at, "received", {}, {}, {}, {}};
    event.detail = nlohmann::json{{"reason", "ingest"}, {"source", lead.source}}.dump();
    m_events.append(event, lead.source);
  }
  return inserted;
}

std::optional<LeadRow> LeadStore::find(const std::string& id) {
  return guarded(m_db, [&]() -> std::optional<LeadRow> {
    static const std::string sql =
        std::string("SELECT ") + k_lead_columns + " FROM leads WHERE id = ?";
    auto s = prepared(m_db, m_find, sql.c_str());
    s.bind(1, id);
    std::optional<LeadRow> row;
    if (s.executeStep()) {
      row = read_lead_row(s);
    }
    return row;
  });
}

std::int64_t LeadStore::count(const std::string& state) {
  return guarded(m_db, [&] {
    sql::Statement s(m_db.sql(), state.empty() ? "SELECT count(*) FROM leads"
                                               : "SELECT count(*) FROM leads WHERE state = ?");
    if (!state.empty()) {
      s.bind(1, state);
    }
    s.executeStep();
    return s.getColumn(0).getInt64();
  });
}

LeadImport::LeadImport(Database& db) : m_db(db) {
  guarded(m_db, [&] {
    m_db.sql().exec(k_create_staging);
    // One transaction for all staging inserts (speed); it only touches the temp database.
    m_db.sql().exec("BEGIN");
    m_staging = true;
  });
}

LeadImport::~LeadImport() {
  m_stage.reset();
  m_line_of.reset();
  try {
    if (m_staging) {
      m_db.sql().exec("ROLLBACK");
    }
    m_db.sql().exec("DROP TABLE IF EXISTS temp.lead_import");
  } catch (...) {  // NOLINT(bugprone-empty-catch): the table dies with the connection anyway
  }
}

std::optional<std::size_t> LeadImport::stage(const NewLead& lead, std::size_t line) {
  return guarded(m_db, [&]() -> std::optional<std::size_t> {
    auto s = prepared(m_db, m_stage,
                      "INSERT INTO temp.lead_import(line, id, source, attributes, received_at) "
                      "VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING");
    s.bind(1, static_cast<std::int64_t>(line));
    s.bind(2, lead.id);
    s.bind(3, lead.source);
    s.bind(4, lead.attributes);
    s.bind(5, seconds(lead.received_at));
    if (s.exec() == 1) {
      ++m_staged;
      return std::nullopt;
    }
    auto q = prepared(m_db, m_line_of, "SELECT line FROM temp.lead_import WHERE id = ?");
    q.bind(1, lead.id);
    q.executeStep();
    return static_cast<std::size_t>(q.getColumn(0).getInt64());
  });
}

LeadImport::Result LeadImport::commit() {
  guarded(m_db, [&] {
    m_stage.reset();
    m_line_of.reset();
    m_db.sql().exec("COMMIT");
    m_staging = false;
  });
  Result result;
  WriteTransaction tx(m_db);
  guarded(m_db, [&] {
    auto& db = m_db.sql();
    // A big batch inserts into three b-trees of leads and three of events; a larger page
    // cache for this connection keeps that from thrashing (memory stays well bounded).
    db.exec("PRAGMA main.cache_size = -32768");
    db.exec("UPDATE temp.lead_import SET present = 1 WHERE EXISTS "
            "(SELECT 1 FROM main.leads l WHERE l.id = temp.lead_import.id)");
    result.added = static_cast<std::size_t>(
        db.exec("INSERT INTO main.leads(id, source, attributes, received_at) "
                "SELECT id, source, attributes, received_at FROM temp.lead_import "
                "WHERE present = 0 ORDER BY line"));
    // The detail as SQLite's json_object writes it; PostgreSQL's to_json escapes a string the
    // same way (its json_build_object would space the text differently).
    db.exec(std::string("INSERT INTO main.events(lead_id, at, type, detail, source) "
                        "SELECT id, received_at, 'received', ") +
            (m_db.postgres() ? R"('{"reason":"ingest","source":' || to_json(source)::text || '}')"
                             : "json_object('reason', 'ingest', 'source', source)") +
            ", source FROM temp.lead_import WHERE present = 0 ORDER BY line");
    m_db.events_written();
    sql::Statement skipped(db, "SELECT id FROM temp.lead_import WHERE present = 1 ORDER BY line");
    while (skipped.executeStep()) {
      result.skipped.push_back(skipped.getColumn(0).getString());
    }
  });
  tx.commit();
  return result;
}

}  // namespace router::store
