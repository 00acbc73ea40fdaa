#include <doctest/doctest.h>

#include <string>

#include "store/pg_connection.hpp"

using router::store::sql::is_postgres_uri;
using router::store::sql::postgres_sql;
using router::store::sql::redact_uri;

TEST_CASE("a database value is PostgreSQL only with a postgresql:// or postgres:// URI") {
  CHECK(is_postgres_uri("postgresql://router@db.example.com/router"));
  CHECK(is_postgres_uri("postgres://router@/router?host=/run/postgresql"));
  CHECK_FALSE(is_postgres_uri("router.db"));
  CHECK_FALSE(is_postgres_uri("/var/lib/router/postgresql://x"));
  CHECK_FALSE(is_postgres_uri("postgresql:/x"));
  CHECK_FALSE(is_postgres_uri("PostgreSQL://x"));
}

TEST_CASE("messages show a URI without its password") {
  CHECK(redact_uri("postgresql://router:s3cret@db.example.com:5432/router") ==
        "postgresql://router@db.example.com:5432/router");
  CHECK(redact_uri("postgresql://router:p@ss@db/router") == "postgresql://router@db/router");
  CHECK(redact_uri("postgresql://router@db/router?password=s3cret") ==
        "postgresql://router@db/router");
  CHECK(redact_uri("postgresql://router@db/router?sslmode=require&password=s3cret&port=5") ==
        "postgresql://router@db/router?sslmode=require&port=5");
  CHECK(redact_uri("postgresql://router@db/router?password=s3cret&sslmode=require") ==
        "postgresql://router@db/router?sslmode=require");
  CHECK(redact_uri("postgresql://router@/router?host=/tmp/pg&port=5432") ==
        "postgresql://router@/router?host=/tmp/pg&port=5432");
  CHECK(redact_uri("postgres://db:5432/router") == "postgres://db:5432/router");
  CHECK(redact_uri("postgresql://router@db/router?application_name=old_password=x") ==
        "postgresql://router@db/router?application_name=old_password=x");
}

TEST_CASE("parameters are numbered, quotes left alone") {
  CHECK(postgres_sql("SELECT a FROM t WHERE b = ? AND c = ?") ==
        "SELECT a FROM t WHERE b = $1 AND c = $2");
  CHECK(postgres_sql("SELECT '?', \"?\" FROM t WHERE b = ?") ==
        "SELECT '?', \"?\" FROM t WHERE b = $1");
  CHECK(postgres_sql("UPDATE t SET a = ?2 WHERE b = ?1 AND c = ?") ==
        "UPDATE t SET a = $2 WHERE b = $1 AND c = $3");
  CHECK(postgres_sql("SELECT 'it''s ?' WHERE x = ?") == "SELECT 'it''s ?' WHERE x = $1");
}

TEST_CASE("SQLite's spellings become PostgreSQL's") {
  CHECK(postgres_sql("INSERT OR IGNORE INTO rounds(a, b) VALUES (?, ?)") ==
        "INSERT INTO rounds(a, b) VALUES ($1, $2) ON CONFLICT DO NOTHING");
  CHECK(postgres_sql("SELECT x FROM leads INDEXED BY leads_queued_pool WHERE y") ==
        "SELECT x FROM leads WHERE y");
  CHECK(postgres_sql("SELECT x FROM leads NOT INDEXED WHERE y") == "SELECT x FROM leads WHERE y");
  CHECK(postgres_sql("INSERT INTO main.leads SELECT * FROM temp.lead_import") ==
        "INSERT INTO leads SELECT * FROM pg_temp.lead_import");
  CHECK(postgres_sql("SELECT max(coalesce(a, 0), coalesce(b, 0)), max(c), min(d, 1), min(e)") ==
        "SELECT greatest(coalesce(a, 0), coalesce(b, 0)), max(c), least(d, 1), min(e)");
  CHECK(postgres_sql("SELECT max((a), f(b, c))") == "SELECT greatest((a), f(b, c))");
  CHECK(postgres_sql("SELECT CAST(value AS INTEGER) FROM meta") ==
        "SELECT CAST(value AS BIGINT) FROM meta");
  // Words are matched whole: a column named like a keyword's start is left alone.
  CHECK(postgres_sql("SELECT domain.x, maxima(a, b), temperature FROM domain") ==
        "SELECT domain.x, maxima(a, b), temperature FROM domain");
}

TEST_CASE("PRAGMA statements are dropped, the others kept in order") {
  CHECK(postgres_sql("PRAGMA main.cache_size = -32768") == "");
  CHECK(postgres_sql("PRAGMA temp.cache_size = -1;\nDROP TABLE IF EXISTS temp.x;\n"
                     "CREATE TEMP TABLE x(a INTEGER);\n") ==
        "\nDROP TABLE IF EXISTS pg_temp.x;\nCREATE TEMP TABLE x(a INTEGER)");
  CHECK(postgres_sql("SELECT ';', ?; SELECT ?") == "SELECT ';', $1; SELECT $2");
}
