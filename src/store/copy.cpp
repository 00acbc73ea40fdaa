#include "store/copy.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/read_transaction.hpp"
#include "store/schema.hpp"
#include "store/sql.hpp"
#include "store/sqlite_error.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace router::store {
namespace {

// How a column's values travel: read from the source and bound on the target as one of these.
enum class Kind { integer, real, text, blob };

struct ColumnInfo {
  std::string name;
  Kind kind = Kind::text;
};

struct TableInfo {
  std::string name;
  std::vector<ColumnInfo> columns;
};

// SQLite's declared types (its affinity rules) and PostgreSQL's data_type, as kinds.
Kind kind_of(std::string type) {
  type = util::to_lower(type);
  if (type.find("int") != std::string::npos) {
    return Kind::integer;
  }
  if (type.find("real") != std::string::npos || type.find("doub") != std::string::npos ||
      type.find("floa") != std::string::npos) {
    return Kind::real;
  }
  if (type.find("blob") != std::string::npos || type == "bytea") {
    return Kind::blob;
  }
  return Kind::text;
}

std::string quoted(const std::string& name) {
  return '"' + name + '"';
}

// The router's tables of `db` (never SQLite's own, never views), by name, with their
// columns in declared order.
std::vector<TableInfo> tables_of(Database& db) {
  const bool pg = db.postgres();
  std::vector<TableInfo> tables;
  {
    sql::Statement names(db.sql(),
                         pg ? "SELECT table_name FROM information_schema.tables WHERE "
                              "table_schema = current_schema() AND table_type = 'BASE TABLE' "
                              "ORDER BY table_name"
                            : "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT "
                              "LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name");
    while (names.executeStep()) {
      tables.push_back({names.getColumn(0).getString(), {}});
    }
  }
  sql::Statement columns(db.sql(), pg ? "SELECT column_name, data_type FROM "
                                        "information_schema.columns WHERE table_schema = "
                                        "current_schema() AND table_name = ? ORDER BY "
                                        "ordinal_position"
                                      : "SELECT name, type FROM pragma_table_info(?) ORDER BY cid");
  for (auto& table : tables) {
    columns.bind(1, table.name);
    while (columns.executeStep()) {
      table.columns.push_back(
          {columns.getColumn(0).getString(), kind_of(columns.getColumn(1).getString())});
    }
    columns.reset();
  }
  return tables;
}

const ColumnInfo* find_column(const TableInfo& table, const std::string& name) {
  for (const auto& c : table.columns) {
    if (c.name == name) {
      return &c;
    }
  }
  return nullptr;
}

// PostgreSQL's `leads` numbers its rows in a `rowid` column; SQLite's has the implicit rowid.
// Each side's table gets the other's `rowid` so that the order of arrival survives the copy.
void add_implicit_rowids(Database& db, std::vector<TableInfo>& tables,
                         const std::vector<TableInfo>& other) {
  if (db.postgres()) {
    return;
  }
  for (auto& table : tables) {
    for (const auto& o : other) {
      if (o.name == table.name && find_column(o, "rowid") != nullptr &&
          find_column(table, "rowid") == nullptr) {
        table.columns.push_back({"rowid", Kind::integer});
      }
    }
  }
}

std::string column_list(const TableInfo& table) {
  std::string out;
  for (const auto& c : table.columns) {
    out += (out.empty() ? "" : ", ") + quoted(c.name);
  }
  return out;
}

std::int64_t count_rows(Database& db, const std::string& table, const std::string& where = "") {
  return db.sql()
      .execAndGet("SELECT count(*) FROM " + quoted(table) + (where.empty() ? "" : " WHERE ") +
                  where)
      .getInt64();
}

// Refuses a SQLite source whose column holds a value of another type than the column's (a
// CRM may write text into `received_at`): PostgreSQL's typed columns would refuse it, or a
// conversion would change it without a word.
void check_types(Database& from, const TableInfo& table) {
  if (from.postgres()) {
    return;
  }
  std::string cases;
  std::string any;
  for (const auto& c : table.columns) {
    const char* allowed = c.kind == Kind::integer ? "('integer', 'null')"
                          : c.kind == Kind::real  ? "('real', 'integer', 'null')"
                                                  : nullptr;
    if (allowed == nullptr || c.name == "rowid") {
      continue;
    }
    const std::string test = "typeof(" + quoted(c.name) + ") NOT IN " + allowed;
    cases += " WHEN " + test + " THEN '" + c.name + "'";
    any += (any.empty() ? "" : " OR ") + test;
  }
  if (any.empty()) {
    return;
  }
  const sql::Value bad = from.sql().execAndGet("SELECT CASE" + cases + " END FROM " +
                                               quoted(table.name) + " WHERE " + any + " LIMIT 1");
  if (!bad.isNull()) {
    throw util::DbError(
        from.path().string() + ": table " + table.name + ", column " + bad.getString() +
        " holds a value that is not " +
        (find_column(table, bad.getString())->kind == Kind::integer ? "an integer" : "a number") +
        "; correct or delete that row before migrating");
  }
}

// The rows of `meta` that `router init` writes on PostgreSQL (its schema version): the
// target's own, never copied.
const std::string k_own_meta = "key NOT LIKE 'schema.%'";

// One value read from the source, held until its batch is written.
struct Cell {
  bool null = true;
  std::int64_t integer = 0;
  double real = 0;
  std::string bytes;
};

// Writes rows into one table of the target, many per INSERT (one round trip to a server
// for each).
class Inserter {
public:
  Inserter(Database& to, const TableInfo& table)
      : m_to(to), m_table(table), m_width(table.columns.size()),
        m_rows_per_insert(std::max<std::size_t>(1, 1000 / std::max<std::size_t>(1, m_width))) {
    m_cells.resize(m_rows_per_insert * m_width);
  }

  Cell* next_row() {
    if (m_filled == m_rows_per_insert) {
      flush();
    }
    return &m_cells[m_filled++ * m_width];
  }

  // Writes the rows held. Errors are the target's (DbError, BusyError), even while the
  // source is being read.
  void flush() {
    if (m_filled == 0) {
      return;
    }
    guarded(m_to, [&] { write(); });
  }

  std::int64_t written() const { return m_written; }

private:
  void write() {
    sql::Statement& insert = statement(m_filled);
    int index = 1;
    for (std::size_t i = 0; i < m_filled * m_width; ++i) {
      const Cell& cell = m_cells[i];
      const Kind kind = m_table.columns[i % m_width].kind;
      if (cell.null) {
        insert.bind(index);
      } else if (kind == Kind::integer) {
        insert.bind(index, static_cast<long long>(cell.integer));
      } else if (kind == Kind::real) {
        insert.bind(index, cell.real);
      } else if (kind == Kind::blob) {
        insert.bindNoCopy(index, cell.bytes.data(), static_cast<int>(cell.bytes.size()));
      } else {
        insert.bindNoCopy(index, cell.bytes);
      }
      ++index;
    }
    insert.exec();
    insert.reset();
    m_written += static_cast<std::int64_t>(m_filled);
    m_filled = 0;
  }

  sql::Statement& statement(std::size_t rows) {
    if (rows == m_rows_per_insert) {
      if (!m_full) {
        m_full.emplace(m_to.sql(), insert_text(rows));
      }
      return *m_full;
    }
    m_partial.emplace(m_to.sql(), insert_text(rows));  // a table's last, shorter batch
    return *m_partial;
  }

  std::string insert_text(std::size_t rows) const {
    std::string row = "(";
    for (std::size_t c = 0; c < m_width; ++c) {
      row += c == 0 ? "?" : ", ?";
    }
    row += ')';
    std::string text =
        "INSERT INTO " + quoted(m_table.name) + "(" + column_list(m_table) + ") VALUES ";
    for (std::size_t r = 0; r < rows; ++r) {
      text += (r == 0 ? "" : ", ") + row;
    }
    return text;
  }

  Database& m_to;
  const TableInfo& m_table;
  std::size_t m_width;
  std::size_t m_rows_per_insert;
  std::vector<Cell> m_cells;
  std::size_t m_filled = 0;
  std::int64_t m_written = 0;
  std::optional<sql::Statement> m_full;
  std::optional<sql::Statement> m_partial;
};

void read_cell(sql::Statement& select, int column, Kind kind, Cell& cell) {
  const sql::Column value = select.getColumn(column);
  cell.null = value.isNull();
  if (cell.null) {
    return;
  }
  switch (kind) {
  case Kind::integer: cell.integer = value.getInt64(); break;
  case Kind::real: cell.real = value.getDouble(); break;
  case Kind::blob: cell.bytes = value.getBlob(); break;
  case Kind::text: cell.bytes.assign(value.getView()); break;
  }
}

// Reads every row of `table` from the source into the inserter: SQLite steps through one
// statement; PostgreSQL reads through a cursor, 5,000 rows at a time, so a table of any
// size fits in memory.
void copy_rows(Database& from, const TableInfo& table, Inserter& inserter) {
  const std::string select_text = "SELECT " + column_list(table) + " FROM " + quoted(table.name) +
                                  (table.name == "meta" ? " WHERE " + k_own_meta : "");
  const auto width = static_cast<int>(table.columns.size());
  const auto read_all = [&](sql::Statement& select) {
    std::size_t rows = 0;
    while (select.executeStep()) {
      Cell* row = inserter.next_row();
      for (int c = 0; c < width; ++c) {
        read_cell(select, c, table.columns[static_cast<std::size_t>(c)].kind, row[c]);
      }
      ++rows;
    }
    select.reset();
    return rows;
  };
  if (!from.postgres()) {
    sql::Statement select(from.sql(), select_text);
    read_all(select);
    return;
  }
  constexpr std::size_t k_fetch = 5000;
  from.sql().exec("DECLARE router_copy NO SCROLL CURSOR FOR " + select_text);
  sql::Statement fetch(from.sql(),
                       "FETCH FORWARD " + std::to_string(k_fetch) + " FROM router_copy");
  while (read_all(fetch) == k_fetch) {
  }
  from.sql().exec("CLOSE router_copy");
}

// SQLite's AUTOINCREMENT counters (events.seq, agent_log.seq): a seq once given is never
// given again, even when its row was deleted since.
std::vector<std::pair<std::string, std::int64_t>> autoincrements(Database& db) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  if (db.postgres() ||
      db.sql().execAndGet("SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_sequence'")
              .getInt64() == 0) {
    return out;
  }
  sql::Statement list(db.sql(), "SELECT name, seq FROM sqlite_sequence");
  while (list.executeStep()) {
    out.emplace_back(list.getColumn(0).getString(), list.getColumn(1).getInt64());
  }
  return out;
}

// The target's generated ids go on after the highest value copied, or after the source's
// AUTOINCREMENT counter when that is higher. SQLite's rowids and AUTOINCREMENT keys follow
// the rows inserted by themselves; only the counters are raised.
void continue_identities(Database& to,
                         const std::vector<std::pair<std::string, std::int64_t>>& counters) {
  const auto counter_of = [&](const std::string& table) {
    for (const auto& [name, value] : counters) {
      if (name == table) {
        return value;
      }
    }
    return std::int64_t{0};
  };
  if (!to.postgres()) {
    sql::Statement raise(to.sql(), "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?");
    for (const auto& [name, value] : counters) {
      raise.bind(1, static_cast<long long>(value));
      raise.bind(2, name);
      raise.exec();
      raise.reset();
    }
    return;
  }
  std::vector<std::pair<std::string, std::string>> identities;
  {
    sql::Statement list(to.sql(), "SELECT table_name, column_name FROM information_schema.columns "
                                  "WHERE table_schema = current_schema() AND is_identity = 'YES'");
    while (list.executeStep()) {
      identities.emplace_back(list.getColumn(0).getString(), list.getColumn(1).getString());
    }
  }
  for (const auto& [table, column] : identities) {
    to.sql().execAndGet("SELECT setval(pg_get_serial_sequence('" + quoted(table) + "', '" + column +
                        "'), greatest(max(" + quoted(column) + "), " +
                        std::to_string(counter_of(table)) + ")) FROM " + quoted(table) +
                        " HAVING count(*) > 0 OR " + std::to_string(counter_of(table)) + " > 0");
  }
}

// The rows a table holds that a fresh `router init` does not write itself.
std::int64_t data_rows(Database& db, const std::string& table) {
  return table == "meta" ? count_rows(db, table, k_own_meta) : count_rows(db, table);
}

}  // namespace

std::vector<CopiedTable> copy_database(Database& from, Database& to) {
  ReadTransaction snapshot(from);
  auto source = guarded(from, [&] { return tables_of(from); });
  WriteTransaction tx(to);
  migrate(to);  // creates the schema, inside this transaction
  std::vector<CopiedTable> copied;
  guarded(to, [&] {
    auto target = tables_of(to);
    add_implicit_rowids(from, source, target);
    add_implicit_rowids(to, target, source);
    for (const auto& table : target) {
      const std::int64_t rows = data_rows(to, table.name);
      if (rows > 0) {
        throw util::Refused(to.path().string() + " already holds router data (table " + table.name +
                            ": " + std::to_string(rows) + (rows == 1 ? " row" : " rows") +
                            "); migrate copies into an empty database only");
      }
    }
    for (const auto& table : source) {
      const auto match = std::find_if(target.begin(), target.end(),
                                      [&](const TableInfo& t) { return t.name == table.name; });
      bool same = match != target.end() && match->columns.size() == table.columns.size();
      for (std::size_t c = 0; same && c < table.columns.size(); ++c) {
        const ColumnInfo* other = find_column(*match, table.columns[c].name);
        same = other != nullptr && other->kind == table.columns[c].kind;
      }
      if (!same) {
        throw util::DbError("table " + table.name + " differs between " + from.path().string() +
                            " and " + to.path().string() + "; run `router init` on both first");
      }
    }
    if (target.size() != source.size()) {
      throw util::DbError(to.path().string() + " has tables " + from.path().string() +
                          " has not; run `router init` on both first");
    }
  });
  for (const auto& table : source) {
    const std::int64_t expected = guarded(from, [&] {
      check_types(from, table);
      return data_rows(from, table.name);
    });
    Inserter inserter(to, table);
    guarded(from, [&] { copy_rows(from, table, inserter); });
    inserter.flush();
    const std::int64_t written = guarded(to, [&] { return data_rows(to, table.name); });
    if (written != expected || inserter.written() != expected) {
      throw util::DbError("copying " + table.name + " wrote " + std::to_string(written) +
                          " rows for the " + std::to_string(expected) + " of " +
                          from.path().string() + "; nothing was written");
    }
    copied.push_back({table.name, written});
  }
  const auto counters = guarded(from, [&] { return autoincrements(from); });
  guarded(to, [&] { continue_identities(to, counters); });
  tx.commit();
  return copied;
}

}  // namespace router::store
