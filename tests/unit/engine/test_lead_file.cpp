#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/lead_file.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

using router::engine::LeadFormat;
using router::engine::parse_leads;
using router::engine::valid_utf8;

namespace {

const router::core::Time k_now = *router::util::parse_rfc3339("2026-11-23T13:10:00Z");

// The InputError message parsing `text` produces ("" when it parses).
std::string error_of(const std::string& text, LeadFormat format, const std::string& name) {
  try {
    parse_leads(text, format, name, k_now);
  } catch (const router::util::InputError& e) {
    return e.what();
  }
  return "";
}

std::string jsonl_error(const std::string& text) {
  return error_of(text, LeadFormat::json_lines, "leads.jsonl");
}

std::string csv_error(const std::string& text) {
  return error_of(text, LeadFormat::csv, "leads.csv");
}

}  // namespace

TEST_SUITE("engine.lead_file") {
  TEST_CASE("JSON Lines: id and source are taken out, every other key is an attribute") {
    const auto leads = parse_leads(
        R"({"id":"L1","source":"web","brand":"Toyota","budget":25000,"used":false,"tags":["a"]})"
        "\n",
        LeadFormat::json_lines, "f", k_now);
    REQUIRE(leads.size() == 1);
    CHECK(leads[0].id == "L1");
    CHECK(leads[0].source == "web");
    CHECK(leads[0].line == 1);
    CHECK(leads[0].received_at == k_now);
    // Value types survive and the input's key order is kept.
    CHECK(leads[0].attributes == R"({"brand":"Toyota","budget":25000,"used":false,"tags":["a"]})");
  }

  TEST_CASE("JSON Lines: received_at is parsed as RFC 3339 and removed from the attributes") {
    const auto leads =
        parse_leads(R"({"id":"L1","source":"web","received_at":"2026-11-23T14:00:00+01:00"})",
                    LeadFormat::json_lines, "f", k_now);
    REQUIRE(leads.size() == 1);
    CHECK(router::util::format_rfc3339(leads[0].received_at) == "2026-11-23T13:00:00Z");
    CHECK(leads[0].attributes == "{}");
  }

  TEST_CASE("JSON Lines: a null received_at means now") {
    const auto leads = parse_leads(R"({"id":"L1","source":"web","received_at":null})",
                                   LeadFormat::json_lines, "f", k_now);
    REQUIRE(leads.size() == 1);
    CHECK(leads[0].received_at == k_now);
  }

  TEST_CASE("JSON Lines: an integer id is kept as its decimal text") {
    const auto leads =
        parse_leads(R"({"id":12345,"source":"phone"})", LeadFormat::json_lines, "f", k_now);
    REQUIRE(leads.size() == 1);
    CHECK(leads[0].id == "12345");
  }

  TEST_CASE("JSON Lines: a numeric source and whole-number floats are kept as decimal text") {
    const auto leads = parse_leads("{\"id\":1001.0,\"source\":7}\n{\"id\":-5,\"source\":2e3}\n",
                                   LeadFormat::json_lines, "f", k_now);
    REQUIRE(leads.size() == 2);
    CHECK(leads[0].id == "1001");
    CHECK(leads[0].source == "7");
    CHECK(leads[1].id == "-5");
    CHECK(leads[1].source == "2000");
    CHECK(leads[1].attributes == "{}");
  }

  TEST_CASE("JSON Lines: id and source are trimmed of surrounding white space") {
    const auto leads = parse_leads(R"({"id":"  L1\t","source":" web ","note":" kept "})",
                                   LeadFormat::json_lines, "f", k_now);
    REQUIRE(leads.size() == 1);
    CHECK(leads[0].id == "L1");
    CHECK(leads[0].source == "web");
    CHECK(leads[0].attributes == R"({"note":" kept "})");
  }

  TEST_CASE("JSON Lines: the same key in different objects is not a repeat") {
    const auto leads =
        parse_leads(R"({"id":"L1","source":"web","a":{"id":1},"b":[{"k":1},{"k":2}]})",
                    LeadFormat::json_lines, "f", k_now);
    REQUIRE(leads.size() == 1);
    CHECK(leads[0].attributes == R"({"a":{"id":1},"b":[{"k":1},{"k":2}]})");
  }

  TEST_CASE("JSON Lines: blank lines, CRLF ends, a BOM and a missing final newline are fine") {
    const auto leads = parse_leads("\xEF\xBB\xBF{\"id\":\"a\",\"source\":\"web\"}\r\n\r\n   \n"
                                   "{\"id\":\"b\",\"source\":\"web\"}",
                                   LeadFormat::json_lines, "f", k_now);
    REQUIRE(leads.size() == 2);
    CHECK(leads[0].id == "a");
    CHECK(leads[1].id == "b");
    CHECK(leads[1].line == 4);
  }

  TEST_CASE("JSON Lines: each bad line is refused with its line number") {
    const std::string ok = "{\"id\":\"a\",\"source\":\"web\"}\n";
    struct Case {
      std::string line;
      std::string message;
    };
    const Case cases[] = {
        {"{\"id\":\"b\"}", "leads.jsonl:2: no 'source'"},
        {"{\"source\":\"web\"}", "leads.jsonl:2: no 'id'"},
        {"{\"id\":null,\"source\":\"web\"}", "leads.jsonl:2: no 'id'"},
        {"{\"id\":\"\",\"source\":\"web\"}", "leads.jsonl:2: 'id' is empty"},
        {"{\"id\":\"b\",\"source\":\"\"}", "leads.jsonl:2: 'source' is empty"},
        {"{\"id\":\" \\t\",\"source\":\"web\"}", "leads.jsonl:2: 'id' is empty"},
        {"{\"id\":\"b\",\"source\":\"  \"}", "leads.jsonl:2: 'source' is empty"},
        {"{\"id\":1.5,\"source\":\"web\"}",
         "leads.jsonl:2: 'id' must be a string or a whole number, not 1.5"},
        {"{\"id\":\"b\",\"source\":1e300}",
         "leads.jsonl:2: 'source' must be a string or a whole number, not 1e+300"},
        {"{\"id\":true,\"source\":\"web\"}",
         "leads.jsonl:2: 'id' must be a string or a number, not boolean"},
        {"{\"id\":\"b\",\"source\":\"web\",\"id\":\"c\"}", "leads.jsonl:2: key 'id' appears twice"},
        {"{\"id\":\"b\",\"source\":\"web\",\"x\":{\"k\":1,\"k\":2}}",
         "leads.jsonl:2: key 'k' appears twice"},
        {"{\"id\":\"b\",\"source\":\"web\",\"a\\nb\\u0001\":1,\"a\\nb\\u0001\":2}",
         "leads.jsonl:2: key 'a\\nb\\x01' appears twice"},
        {"[1,2]", "leads.jsonl:2: expected a JSON object, found array"},
        {"\"text\"", "leads.jsonl:2: expected a JSON object, found string"},
        {"{\"id\":\"b\",", "leads.jsonl:2: not valid JSON (at column"},
        {"id,source", "leads.jsonl:2: not valid JSON (at column 1)"},
        {"{\"id\":\"b\",\"source\":\"web\",\"received_at\":\"yesterday\"}",
         "leads.jsonl:2: 'received_at' is not an RFC 3339 time: \"yesterday\""},
        // Found by fuzzing: nlohmann throws out_of_range, not parse_error, for these.
        {"{\"id\":\"b\",\"source\":\"web\",\"budget\":1e400}",
         "leads.jsonl:2: a number is out of range (it must fit a double, at most about 1.8e308)"},
        {"{\"id\":\"b\",\"source\":\"web\",\"received_at\":-1e400}",
         "leads.jsonl:2: a number is out of range"},
        {"{\"id\":\"b\",\"source\":\"web\",\"received_at\":\"9999-12-31T23:30:00-01:00\"}",
         "leads.jsonl:2: 'received_at' is outside the years 0000 to 9999 in UTC: "
         "\"9999-12-31T23:30:00-01:00\""},
        {"{\"id\":\"b\",\"source\":\"web\",\"received_at\":1700000000}",
         "leads.jsonl:2: 'received_at' must be an RFC 3339 string, not number"},
        {std::string("{\"id\":\"b\",\"source\":\"w\0b\"}", 23),
         "leads.jsonl:2: contains a NUL byte"},
        {"{\"id\":\"b\",\"source\":\"w\xff\"}", "leads.jsonl:2: is not valid UTF-8"},
    };
    for (const auto& c : cases) {
      CAPTURE(c.line);
      const auto message = jsonl_error(ok + c.line + "\n" + ok);
      CHECK(message.starts_with(c.message));
    }
  }

  TEST_CASE("JSON Lines: an empty input has no leads") {
    CHECK(parse_leads("", LeadFormat::json_lines, "f", k_now).empty());
    CHECK(parse_leads("\n\n", LeadFormat::json_lines, "f", k_now).empty());
  }

  TEST_CASE("CSV: header names the fields; values are strings; empty cells are absent") {
    const auto leads = parse_leads("id,source,brand,budget,region\n"
                                   "L1,web,Toyota,25000,\n"
                                   "L2,phone,,,north\n",
                                   LeadFormat::csv, "f", k_now);
    REQUIRE(leads.size() == 2);
    CHECK(leads[0].id == "L1");
    CHECK(leads[0].attributes == R"({"brand":"Toyota","budget":"25000"})");
    CHECK(leads[0].line == 2);
    CHECK(leads[1].source == "phone");
    CHECK(leads[1].attributes == R"({"region":"north"})");
    CHECK(leads[1].line == 3);
  }

  TEST_CASE("CSV: quoted fields hold commas, doubled quotes and line breaks") {
    const auto leads = parse_leads("source,id,note,received_at\r\n"
                                   "web,L1,\"Smith, John \"\"JJ\"\"\",2026-11-23T09:00:00Z\r\n"
                                   "web,L2,\"line one\nline two\",\r\n"
                                   "\"web\",\"L3\",\"\",\r\n",
                                   LeadFormat::csv, "f", k_now);
    REQUIRE(leads.size() == 3);
    CHECK(nlohmann::json::parse(leads[0].attributes)["note"] == "Smith, John \"JJ\"");
    CHECK(router::util::format_rfc3339(leads[0].received_at) == "2026-11-23T09:00:00Z");
    CHECK(nlohmann::json::parse(leads[1].attributes)["note"] == "line one\nline two");
    CHECK(leads[1].received_at == k_now);
    CHECK(leads[2].id == "L3");
    CHECK(leads[2].attributes == "{}");
    // The record after a multi-line field starts on the right line.
    CHECK(leads[2].line == 5);
  }

  TEST_CASE("CSV: a BOM, spaces around header names and blank lines are tolerated") {
    const auto leads =
        parse_leads("\xEF\xBB\xBFid , source,brand\n\nL1,web,VW\n\n", LeadFormat::csv, "f", k_now);
    REQUIRE(leads.size() == 1);
    CHECK(leads[0].attributes == R"({"brand":"VW"})");
    CHECK(leads[0].line == 3);
  }

  TEST_CASE("CSV: header names match ignoring case and spaces; id and source are trimmed") {
    const auto leads = parse_leads("ID, Source ,Received_At,Brand\n"
                                   " L1 ,\" web\t\",2026-11-23T09:00:00Z,VW\n",
                                   LeadFormat::csv, "f", k_now);
    REQUIRE(leads.size() == 1);
    CHECK(leads[0].id == "L1");
    CHECK(leads[0].source == "web");
    CHECK(router::util::format_rfc3339(leads[0].received_at) == "2026-11-23T09:00:00Z");
    // Attribute names keep their spelling; rules match them ignoring case.
    CHECK(leads[0].attributes == R"({"Brand":"VW"})");
  }

  TEST_CASE("CSV: bad rows and headers are refused naming the line and row") {
    struct Case {
      std::string text;
      std::string message;
    };
    const Case cases[] = {
        {"id,source\nL1,web\nL2\n", "leads.csv:3: row 3 has 1 fields, the header has 2"},
        {"id,source\nL1,web,extra\n", "leads.csv:2: row 2 has 3 fields, the header has 2"},
        {"id,source\nL1,\n", "leads.csv:2: no 'source'"},
        {"id,source\n,web\n", "leads.csv:2: no 'id'"},
        {"id,brand\nL1,VW\n", "leads.csv:1: header has no 'source' column"},
        {"source,brand\nweb,VW\n", "leads.csv:1: header has no 'id' column"},
        {"id,source,id\n", "leads.csv:1: header names column 'id' twice"},
        {"id,source,Id\n", "leads.csv:1: header names column 'Id' twice"},
        {"id,source,brand,BRAND\n", "leads.csv:1: header names column 'BRAND' twice"},
        {"id,source\n  ,web\n", "leads.csv:2: 'id' is empty"},
        {"id,source\nL1,\" \"\n", "leads.csv:2: 'source' is empty"},
        {"id,,source\n", "leads.csv:1: header column 2 has no name"},
        {"id,source,received_at\nL1,web,soon\n", "leads.csv:2: 'received_at' is not an RFC 3339"},
        {"id,source\nL1,web\nL2,\"open\nstill open\n", "leads.csv:3: quoted field is never closed"},
        {"id,source\nL1,\"web\"x\n", "leads.csv:2: unexpected character after a closing quote"},
        {"id,source\nL1,w\xc3\n", "leads.csv:2: is not valid UTF-8"},
        {"", "leads.csv:1: no header row"},
        // Quoted user text keeps the message on one line: line breaks and controls are escaped.
        {"id,source,received_at\nL1,web,\"soon\r\nor\tlater\"\n",
         "leads.csv:2: 'received_at' is not an RFC 3339 time: \"soon\\r\\nor\\tlater\" (e.g."},
        {"id,source,\"a\nb\",\"A\nB\"\n", "leads.csv:1: header names column 'A\\nB' twice"},
    };
    for (const auto& c : cases) {
      CAPTURE(c.text);
      CHECK(csv_error(c.text).starts_with(c.message));
    }
  }

  TEST_CASE("the first bad line is reported even after many good ones") {
    std::string text;
    for (int i = 1; i <= 1000; ++i) {
      text += "{\"id\":\"L" + std::to_string(i) + "\",\"source\":\"web\"}\n";
    }
    text += "{\"id\":\"bad\"}\n";
    CHECK(jsonl_error(text) == "leads.jsonl:1001: no 'source'");
  }

  TEST_CASE("UTF-8 validation rejects overlongs, surrogates and truncated sequences") {
    CHECK(valid_utf8("plain ascii"));
    CHECK(valid_utf8("Ünïcødé € 😀"));
    CHECK_FALSE(valid_utf8("\xc0\xaf"));          // overlong '/'
    CHECK_FALSE(valid_utf8("\xed\xa0\x80"));      // surrogate D800
    CHECK_FALSE(valid_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
    CHECK_FALSE(valid_utf8("\xe2\x82"));          // truncated
    CHECK_FALSE(valid_utf8("\x80"));              // lone continuation
  }
}
