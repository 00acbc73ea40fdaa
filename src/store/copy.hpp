#pragma once
// `router migrate --to`: copies a whole router database into another, SQLite or PostgreSQL
// either way (SPEC §10).

#include <cstdint>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace router::store {

// The rows copied, table by table, in the order copied.
struct CopiedTable {
  std::string name;
  std::int64_t rows = 0;
};

// Copies every table of `from` (an open database at the current schema) into `to` (opened
// with Database::open_for_init: a new file, an empty PostgreSQL schema, or one `router init`
// created and nothing wrote since) in one write transaction on `to`, while reading `from` in
// one read transaction, so the copy is one consistent state of it. Creates the schema on
// `to` in the same transaction. Each table's rows are counted on both sides before the
// commit; any difference throws DbError and nothing is written. Identities (events.seq and
// the other generated ids) keep their values, and new rows continue after them.
// Throws util::Refused (1) when `to` already holds router data, DbError (74) or
// BusyError (75).
std::vector<CopiedTable> copy_database(Database& from, Database& to);

}  // namespace router::store
