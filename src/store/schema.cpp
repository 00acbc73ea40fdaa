#include "store/schema.hpp"

#include <array>
#include <string>

#include "store/sql.hpp"

#include "store/sqlite_error.hpp"
#include "util/error.hpp"

namespace router::store {
namespace {

// Version 1. `leads` and `events` are the public interface (SPEC §3): their columns
// never change. Everything else is private to router and may be reshaped by later steps.
constexpr const char* k_v1 = R"sql(
CREATE TABLE leads(
  id          TEXT PRIMARY KEY,
  source      TEXT NOT NULL,
  attributes  TEXT NOT NULL DEFAULT '{}',
  received_at INTEGER NOT NULL DEFAULT (CAST(strftime('%s','now') AS INTEGER)),
  state       TEXT NOT NULL DEFAULT 'pending',
  agent       TEXT,
  pool        TEXT,
  rule        TEXT,
  deadline    INTEGER,
  attempts    INTEGER NOT NULL DEFAULT 0,
  updated_at  INTEGER,
  touched_at  INTEGER
);
-- Routing takes pending leads oldest first; reports and sweeps select by state.
CREATE INDEX leads_state_received ON leads(state, received_at);
-- least_active, reassign --from and agent listings count an agent's open leads.
CREATE INDEX leads_agent_state ON leads(agent, state) WHERE agent IS NOT NULL;
-- The sweep's stale_after check: assigned leads of a pool by last activity, so a sweep with
-- nothing stale is one index seek (queries repeat this exact expression).
CREATE INDEX leads_assigned_activity ON leads(pool, max(coalesce(updated_at, 0),
  coalesce(touched_at, 0))) WHERE state = 'assigned';
-- The manual queue (pool NULL) and leads queued in pools the configuration no longer has.
CREATE INDEX leads_queued_pool ON leads(pool) WHERE state = 'queued';

CREATE TABLE events(
  seq     INTEGER PRIMARY KEY AUTOINCREMENT,
  lead_id TEXT NOT NULL,
  at      INTEGER NOT NULL,
  type    TEXT NOT NULL,
  agent   TEXT,
  pool    TEXT,
  rule    TEXT,
  detail  TEXT
);
CREATE INDEX events_lead ON events(lead_id);
CREATE INDEX events_at ON events(at);

-- One row per offer of a lead to an agent. state: open | claimed | declined | expired |
-- withdrawn; ended_at is set when it leaves `open`.
CREATE TABLE offers(
  id         INTEGER PRIMARY KEY,
  lead_id    TEXT NOT NULL,
  agent      TEXT NOT NULL,
  pool       TEXT,
  offered_at INTEGER NOT NULL,
  deadline   INTEGER,
  state      TEXT NOT NULL DEFAULT 'open',
  ended_at   INTEGER,
  round      INTEGER NOT NULL DEFAULT 0  -- a reassignment starts a new round
);
CREATE INDEX offers_lead ON offers(lead_id);
CREATE INDEX offers_state_deadline ON offers(state, deadline);
CREATE INDEX offers_agent_state ON offers(agent, state);
-- The sweep finds open offers to agents no longer in their pool by seeking the gaps
-- between configured members.
CREATE INDEX offers_open_pool_agent ON offers(pool, agent) WHERE state = 'open';

-- Round-robin position per pool: the last agent chosen and the member order (JSON array)
-- at that moment, so adding or removing members never resets the rotation.
CREATE TABLE rotation(
  pool         TEXT PRIMARY KEY,
  last_agent   TEXT,
  member_order TEXT NOT NULL DEFAULT '[]'
) WITHOUT ROWID;

-- Leads counted against limits: period is 'D2026-11-23' (daily) or 'M2026-11' (monthly)
-- in the pool's time zone.
CREATE TABLE usage(
  pool   TEXT NOT NULL,
  agent  TEXT NOT NULL,
  period TEXT NOT NULL,
  count  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY(pool, agent, period)
) WITHOUT ROWID;

-- status: available | away | leave | offline; until ends a leave by itself.
CREATE TABLE agent_state(
  agent            TEXT PRIMARY KEY,
  status           TEXT NOT NULL DEFAULT 'available',
  until            INTEGER,
  online           INTEGER NOT NULL DEFAULT 0,
  last_assigned_at INTEGER,
  updated_at       INTEGER
) WITHOUT ROWID;

-- History for `agent history`. kind: status | login | logout.
CREATE TABLE agent_log(
  seq    INTEGER PRIMARY KEY AUTOINCREMENT,
  agent  TEXT NOT NULL,
  at     INTEGER NOT NULL,
  kind   TEXT NOT NULL,
  value  TEXT,
  detail TEXT
);
CREATE INDEX agent_log_agent ON agent_log(agent, seq);

CREATE TABLE agent_metrics(
  agent      TEXT NOT NULL,
  key        TEXT NOT NULL,
  value      REAL NOT NULL,
  updated_at INTEGER,
  PRIMARY KEY(agent, key)
) WITHOUT ROWID;

-- outcome: won | lost.
CREATE TABLE outcomes(
  lead_id TEXT PRIMARY KEY,
  agent   TEXT,
  outcome TEXT NOT NULL,
  at      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX outcomes_agent_at ON outcomes(agent, at);

-- Reassignments requested and not yet carried out.
CREATE TABLE reassignments(
  lead_id        TEXT PRIMARY KEY,
  pool           TEXT,
  requested_at   INTEGER NOT NULL,
  previous_agent TEXT
) WITHOUT ROWID;

-- Routing decisions kept for `explain` (detail: JSON object).
CREATE TABLE decisions(
  id      INTEGER PRIMARY KEY,
  lead_id TEXT NOT NULL,
  at      INTEGER NOT NULL,
  detail  TEXT NOT NULL
);
CREATE INDEX decisions_lead ON decisions(lead_id, at);

-- Contact keys (normalised email, phone digits) of routed leads, for owner_match.
CREATE TABLE contacts(
  key     TEXT NOT NULL,
  at      INTEGER NOT NULL,
  lead_id TEXT NOT NULL,
  PRIMARY KEY(key, at, lead_id)
) WITHOUT ROWID;

CREATE TABLE meta(
  key   TEXT PRIMARY KEY,
  value TEXT
) WITHOUT ROWID;
)sql";

// Version 2: notifications (SPEC §12). One row per event and notification rule that
// matched it. state: pending (due at next_at) | sending (claimed; the claim lapses at
// next_at, so a run killed mid-delivery is retried) | done | failed. Deliveries to one
// (channel, target) go out in id order, which is event order. delivery_payloads holds the
// message as sent (the email, or the webhook's JSON body) until it is delivered, apart from
// the row, so a delivered one leaves a small row and its payload's pages free for reuse.
constexpr const char* k_v2 = R"sql(
CREATE TABLE deliveries(
  id         INTEGER PRIMARY KEY,
  event_seq  INTEGER NOT NULL,
  rule       INTEGER NOT NULL,
  channel    TEXT NOT NULL,
  target     TEXT NOT NULL,
  key        TEXT NOT NULL UNIQUE,
  state      TEXT NOT NULL DEFAULT 'pending',
  attempts   INTEGER NOT NULL DEFAULT 0,
  next_at    INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  ended_at   INTEGER,
  last_error TEXT
);
CREATE TABLE delivery_payloads(
  delivery INTEGER PRIMARY KEY,
  payload  TEXT NOT NULL
);
CREATE INDEX deliveries_open ON deliveries(channel, target, id)
  WHERE state IN ('pending', 'sending');
CREATE INDEX deliveries_queue ON deliveries(id) WHERE state IN ('pending', 'sending');
CREATE INDEX deliveries_failed ON deliveries(id) WHERE state = 'failed';
CREATE INDEX deliveries_sent ON deliveries(ended_at) WHERE state = 'done';
)sql";

// Version 3: the decision trail (engine/trail.hpp). Each distinct configuration text once
// (hash: config::hash64 of the text, as a signed integer), and per routing decision a trail
// of a few dozen bytes that refers to it; `explain` rebuilds the decision from the trail,
// the lead and that configuration. seq is the events.seq of the decision's first event, so
// a lead's trails sort in the order they were written. The `decisions` written before stay
// where they are and `explain` reads both.
constexpr const char* k_v3 = R"sql(
CREATE TABLE configs(
  id   INTEGER PRIMARY KEY,
  hash INTEGER NOT NULL,
  text TEXT NOT NULL
);
CREATE INDEX configs_hash ON configs(hash);
CREATE TABLE trails(
  lead_id TEXT NOT NULL,
  seq     INTEGER NOT NULL,
  at      INTEGER NOT NULL,
  config  INTEGER NOT NULL,
  data    BLOB NOT NULL,
  PRIMARY KEY(lead_id, seq)
) WITHOUT ROWID;
)sql";

// Version 4: every event carries its lead's source (SPEC §3 lets `events` gain columns,
// never lose them), so `report --by source` reads it from the event row instead of looking
// up the lead of each of millions of events. Events already stored get their lead's
// source now; those whose lead is gone keep NULL, which is what the lookup found.
constexpr const char* k_v4 = R"sql(
ALTER TABLE events ADD COLUMN source TEXT;
UPDATE events SET source = leads.source FROM leads WHERE leads.id = events.lead_id;
)sql";

// Version 5: fewer bytes per lead. A single-agent offer is held by its lead row alone
// (state 'offered', agent, deadline, updated_at = when offered) and its story by the events;
// only broadcasts, whose members' offers end one by one, keep a row per member, in
// `broadcast_offers`. `offers` becomes a view that rebuilds every offer from the events, as
// `explain` and SQL users read it: `offered` opens an offer, the member's next `claimed`,
// `declined`, `expired` or `withdrawn` ends it. `rounds` marks where each routing round after
// the first began (a reassignment starts one), so "offered already" counts this round only.
// A trail is keyed by its event's seq alone (its lead and time are the event's), and each
// configuration's size is kept so finding it never reads the text.
constexpr const char* k_v5 = R"sql(
CREATE TABLE rounds(
  lead_id TEXT NOT NULL,
  round   INTEGER NOT NULL,
  seq     INTEGER NOT NULL,
  PRIMARY KEY(lead_id, round)
) WITHOUT ROWID;
INSERT INTO rounds(lead_id, round, seq)
  SELECT o.lead_id, o.round, min(e.seq) FROM offers o JOIN events e ON e.lead_id = o.lead_id
  AND e.type = 'offered' AND e.agent = o.agent AND e.at = o.offered_at
  WHERE o.round > 0 GROUP BY o.lead_id, o.round;
ALTER TABLE offers RENAME TO broadcast_offers;
DELETE FROM broadcast_offers WHERE id IN (SELECT min(id) FROM broadcast_offers
  GROUP BY lead_id, offered_at, round HAVING count(*) = 1);
CREATE INDEX leads_offered_deadline ON leads(deadline)
  WHERE state = 'offered' AND agent IS NOT NULL;
CREATE VIEW offers(id, lead_id, agent, pool, offered_at, deadline, state, ended_at, round) AS
  SELECT e.seq, e.lead_id, e.agent, e.pool, e.at,
    CAST(strftime('%s', json_extract(e.detail, '$.deadline')) AS INTEGER),
    coalesce(x.type, 'open'), x.at,
    coalesce((SELECT max(r.round) FROM rounds r WHERE r.lead_id = e.lead_id AND r.seq <= e.seq), 0)
  FROM events e LEFT JOIN events x ON x.seq = (SELECT min(y.seq) FROM events y
    WHERE y.lead_id = e.lead_id AND y.seq > e.seq AND y.agent = e.agent
    AND y.type IN ('claimed', 'declined', 'expired', 'withdrawn'))
  WHERE e.type = 'offered';
CREATE TABLE trails_by_seq(
  seq    INTEGER PRIMARY KEY,
  config INTEGER NOT NULL,
  data   BLOB NOT NULL
);
INSERT INTO trails_by_seq(seq, config, data) SELECT seq, config, data FROM trails;
DROP TABLE trails;
ALTER TABLE trails_by_seq RENAME TO trails;
ALTER TABLE configs ADD COLUMN size INTEGER;
UPDATE configs SET size = length(CAST(text AS BLOB));
)sql";

// Version 6: finding a configuration by (hash, size) reads the index alone. With the index on
// hash only, each lookup read the row, and with it every overflow page of the text stored
// before `size` (about 100 pages for a 400 KB configuration): a third of the page faults of
// routing one lead on a large configuration.
constexpr const char* k_v6 = R"sql(
CREATE INDEX configs_hash_size ON configs(hash, size);
DROP INDEX configs_hash;
)sql";

// Version 7: a pool's queue is read oldest first from its own index. With the index on pool
// only, finding a pool's oldest queued lead walked every pool's queued leads, oldest first,
// until one was the pool's.
constexpr const char* k_v7 = R"sql(
DROP INDEX leads_queued_pool;
CREATE INDEX leads_queued_pool ON leads(pool, received_at) WHERE state = 'queued';
)sql";

// A new PostgreSQL database gets the schema of the current version in one step; one made by an
// earlier router (PostgreSQL came at version 6) goes through k_pg_steps. The tables, columns,
// indexes and the `offers` view are SQLite's, in PostgreSQL's types: integers are bigint
// (times stay unix seconds), blobs bytea, SQLite's max(a, b) greatest(a, b). `leads` has no
// rowid there, so it gets a `rowid` column that numbers rows in insertion order as SQLite's
// does, for the same keyset batching. A SQLite index ends in the rowid without saying so; here
// each index a keyset read walks (ORDER BY ..., rowid or id) names it, else the read sorts
// every row that ties on the other columns, which is every row when a batch shares a deadline.
// The version record, PRAGMA user_version and application_id in SQLite, is the `meta` rows
// 'schema.version' and 'schema.application'.
constexpr const char* k_pg_schema = R"sql(
CREATE TABLE leads(
  id          TEXT PRIMARY KEY,
  source      TEXT NOT NULL,
  attributes  TEXT NOT NULL DEFAULT '{}',
  received_at BIGINT NOT NULL DEFAULT (extract(epoch FROM now())::bigint),
  state       TEXT NOT NULL DEFAULT 'pending',
  agent       TEXT,
  pool        TEXT,
  rule        TEXT,
  deadline    BIGINT,
  attempts    BIGINT NOT NULL DEFAULT 0,
  updated_at  BIGINT,
  touched_at  BIGINT,
  rowid       BIGINT GENERATED BY DEFAULT AS IDENTITY UNIQUE
);
CREATE INDEX leads_state_received ON leads(state, received_at, rowid);
CREATE INDEX leads_agent_state ON leads(agent, state) WHERE agent IS NOT NULL;
CREATE INDEX leads_assigned_activity ON leads(pool, greatest(coalesce(updated_at, 0),
  coalesce(touched_at, 0)), rowid) WHERE state = 'assigned';
CREATE INDEX leads_queued_pool ON leads(pool, received_at, rowid) WHERE state = 'queued';
CREATE INDEX leads_offered_deadline ON leads(deadline, rowid)
  WHERE state = 'offered' AND agent IS NOT NULL;

CREATE TABLE events(
  seq     BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  lead_id TEXT NOT NULL,
  at      BIGINT NOT NULL,
  type    TEXT NOT NULL,
  agent   TEXT,
  pool    TEXT,
  rule    TEXT,
  detail  TEXT,
  source  TEXT
);
CREATE INDEX events_lead ON events(lead_id);
CREATE INDEX events_at ON events(at);

CREATE TABLE broadcast_offers(
  id         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  lead_id    TEXT NOT NULL,
  agent      TEXT NOT NULL,
  pool       TEXT,
  offered_at BIGINT NOT NULL,
  deadline   BIGINT,
  state      TEXT NOT NULL DEFAULT 'open',
  ended_at   BIGINT,
  round      BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX offers_lead ON broadcast_offers(lead_id);
CREATE INDEX offers_state_deadline ON broadcast_offers(state, deadline, id);
CREATE INDEX offers_agent_state ON broadcast_offers(agent, state);
CREATE INDEX offers_open_pool_agent ON broadcast_offers(pool, agent) WHERE state = 'open';

CREATE TABLE rotation(
  pool         TEXT PRIMARY KEY,
  last_agent   TEXT,
  member_order TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE usage(
  pool   TEXT NOT NULL,
  agent  TEXT NOT NULL,
  period TEXT NOT NULL,
  count  BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY(pool, agent, period)
);
CREATE TABLE agent_state(
  agent            TEXT PRIMARY KEY,
  status           TEXT NOT NULL DEFAULT 'available',
  until            BIGINT,
  online           BIGINT NOT NULL DEFAULT 0,
  last_assigned_at BIGINT,
  updated_at       BIGINT
);
CREATE TABLE agent_log(
  seq    BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  agent  TEXT NOT NULL,
  at     BIGINT NOT NULL,
  kind   TEXT NOT NULL,
  value  TEXT,
  detail TEXT
);
CREATE INDEX agent_log_agent ON agent_log(agent, seq);
CREATE TABLE agent_metrics(
  agent      TEXT NOT NULL,
  key        TEXT NOT NULL,
  value      DOUBLE PRECISION NOT NULL,
  updated_at BIGINT,
  PRIMARY KEY(agent, key)
);
CREATE TABLE outcomes(
  lead_id TEXT PRIMARY KEY,
  agent   TEXT,
  outcome TEXT NOT NULL,
  at      BIGINT NOT NULL
);
CREATE INDEX outcomes_agent_at ON outcomes(agent, at);
CREATE TABLE reassignments(
  lead_id        TEXT PRIMARY KEY,
  pool           TEXT,
  requested_at   BIGINT NOT NULL,
  previous_agent TEXT
);
CREATE TABLE decisions(
  id      BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  lead_id TEXT NOT NULL,
  at      BIGINT NOT NULL,
  detail  TEXT NOT NULL
);
CREATE INDEX decisions_lead ON decisions(lead_id, at);
CREATE TABLE contacts(
  key     TEXT NOT NULL,
  at      BIGINT NOT NULL,
  lead_id TEXT NOT NULL,
  PRIMARY KEY(key, at, lead_id)
);
CREATE TABLE meta(
  key   TEXT PRIMARY KEY,
  value TEXT
);

CREATE TABLE deliveries(
  id         BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  event_seq  BIGINT NOT NULL,
  rule       BIGINT NOT NULL,
  channel    TEXT NOT NULL,
  target     TEXT NOT NULL,
  key        TEXT NOT NULL UNIQUE,
  state      TEXT NOT NULL DEFAULT 'pending',
  attempts   BIGINT NOT NULL DEFAULT 0,
  next_at    BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  ended_at   BIGINT,
  last_error TEXT
);
CREATE TABLE delivery_payloads(
  delivery BIGINT PRIMARY KEY,
  payload  TEXT NOT NULL
);
CREATE INDEX deliveries_open ON deliveries(channel, target, id)
  WHERE state IN ('pending', 'sending');
CREATE INDEX deliveries_queue ON deliveries(id) WHERE state IN ('pending', 'sending');
CREATE INDEX deliveries_failed ON deliveries(id) WHERE state = 'failed';
CREATE INDEX deliveries_sent ON deliveries(ended_at) WHERE state = 'done';

CREATE TABLE configs(
  id   BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  hash BIGINT NOT NULL,
  text TEXT NOT NULL,
  size BIGINT
);
CREATE INDEX configs_hash_size ON configs(hash, size);
CREATE TABLE rounds(
  lead_id TEXT NOT NULL,
  round   BIGINT NOT NULL,
  seq     BIGINT NOT NULL,
  PRIMARY KEY(lead_id, round)
);
CREATE TABLE trails(
  seq    BIGINT PRIMARY KEY,
  config BIGINT NOT NULL,
  data   BYTEA NOT NULL
);
CREATE VIEW offers(id, lead_id, agent, pool, offered_at, deadline, state, ended_at, round) AS
  SELECT e.seq, e.lead_id, e.agent, e.pool, e.at,
    extract(epoch FROM ((e.detail::json) ->> 'deadline')::timestamptz)::bigint,
    coalesce(x.type, 'open'), x.at,
    coalesce((SELECT max(r.round) FROM rounds r WHERE r.lead_id = e.lead_id AND r.seq <= e.seq), 0)
  FROM events e LEFT JOIN events x ON x.seq = (SELECT min(y.seq) FROM events y
    WHERE y.lead_id = e.lead_id AND y.seq > e.seq AND y.agent = e.agent
    AND y.type IN ('claimed', 'declined', 'expired', 'withdrawn'))
  WHERE e.type = 'offered';
)sql";

// Step i takes the schema from version i to i + 1. Append only; never edit a shipped step.
constexpr std::array<const char*, k_schema_version> k_steps = {k_v1, k_v2, k_v3, k_v4,
                                                               k_v5, k_v6, k_v7};

// PostgreSQL, version 7: the keyset indexes end in the row's id (see k_pg_schema). A sweep of
// 1,000,000 offers that shared one deadline spent two thirds of its time sorting them again for
// each batch. The queue index also gets its order, as SQLite's does from version 7.
constexpr const char* k_pg_v7 = R"sql(
DROP INDEX leads_assigned_activity;
CREATE INDEX leads_assigned_activity ON leads(pool, greatest(coalesce(updated_at, 0),
  coalesce(touched_at, 0)), rowid) WHERE state = 'assigned';
DROP INDEX leads_queued_pool;
CREATE INDEX leads_queued_pool ON leads(pool, received_at, rowid) WHERE state = 'queued';
DROP INDEX leads_offered_deadline;
CREATE INDEX leads_offered_deadline ON leads(deadline, rowid)
  WHERE state = 'offered' AND agent IS NOT NULL;
DROP INDEX offers_state_deadline;
CREATE INDEX offers_state_deadline ON broadcast_offers(state, deadline, id);
)sql";

// The version PostgreSQL's one-step schema was first written at, and its steps from there:
// step i takes it from version k_pg_first + i to k_pg_first + i + 1.
constexpr int k_pg_first = 6;
constexpr std::array<const char*, k_schema_version - k_pg_first> k_pg_steps = {k_pg_v7};

}  // namespace

Migration migrate(Database& db) {
  WriteTransaction tx(db);
  // Read inside the transaction: a concurrent `router init` may have migrated meanwhile.
  Migration result;
  result.from = db.schema_version();
  if (result.from > k_schema_version) {
    throw util::DbError(db.path().string() + " has schema version " + std::to_string(result.from) +
                        ", newer than this router (" + std::to_string(k_schema_version) +
                        "); upgrade router");
  }
  guarded(db, [&] {
    if (db.postgres()) {
      if (result.from == 0) {
        db.sql().exec(k_pg_schema);
        db.sql().exec("INSERT INTO meta(key, value) VALUES ('schema.application', '" +
                      std::to_string(k_application_id) + "'), ('schema.version', '" +
                      std::to_string(k_schema_version) + "')");
        return;
      }
      if (result.from < k_pg_first) {
        throw util::DbError(db.path().string() + " has schema version " +
                            std::to_string(result.from) +
                            ", which no router wrote on PostgreSQL; it cannot be migrated");
      }
      for (int v = result.from; v < k_schema_version; ++v) {
        db.sql().exec(k_pg_steps[static_cast<std::size_t>(v - k_pg_first)]);
      }
      if (result.from < k_schema_version) {
        db.sql().exec("UPDATE meta SET value = '" + std::to_string(k_schema_version) +
                      "' WHERE key = 'schema.version'");
      }
      return;
    }
    for (int v = result.from; v < k_schema_version; ++v) {
      db.sql().exec(k_steps[static_cast<std::size_t>(v)]);
    }
    if (result.from < k_schema_version) {
      db.sql().exec("PRAGMA application_id = " + std::to_string(k_application_id));
      db.sql().exec("PRAGMA user_version = " + std::to_string(k_schema_version));
    }
  });
  tx.commit();
  result.to = k_schema_version;
  return result;
}

}  // namespace router::store
