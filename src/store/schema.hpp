#pragma once
// The schema and its migrations. PRAGMA user_version counts the migration steps applied;
// PRAGMA application_id marks the file as a router database.

#include "store/database.hpp"

namespace router::store {

// The schema version this binary creates and understands.
constexpr int k_schema_version = 7;
// PRAGMA application_id of a router database: 'ROUT'.
constexpr int k_application_id = 0x524F5554;

// What migrate() did.
struct Migration {
  int from = 0;  // version found (0: a new, empty database)
  int to = 0;    // version now
};

// Brings the schema up to k_schema_version in one write transaction; idempotent and safe
// against a concurrent `router init`. Throws DbError for a newer schema, BusyError.
Migration migrate(Database& db);

}  // namespace router::store
