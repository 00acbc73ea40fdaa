#pragma once
// Several reads that must agree with each other while other processes write.

#include "store/database.hpp"

namespace router::store {

// A read transaction (BEGIN DEFERRED): every read inside sees one consistent state of the
// database. Takes no write lock; ends on destruction.
class ReadTransaction {
public:
  explicit ReadTransaction(Database& db);
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;
  ~ReadTransaction();

private:
  Database& m_db;
};

}  // namespace router::store
