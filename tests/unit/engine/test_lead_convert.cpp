#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include <date/date.h>
#include <date/tz.h>
#include <nlohmann/json.hpp>

#include "engine/lead_convert.hpp"

using router::engine::to_core_lead;
using Attributes = std::map<std::string, std::vector<std::string>>;

namespace {

// The conversion as specified (core/lead.hpp), written with nlohmann only: the reference the
// fast path must agree with.
Attributes reference(const std::string& text) {
  Attributes out;
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) {
    return out;
  }
  const auto scalar = [](const nlohmann::json& v) -> std::optional<std::string> {
    if (v.is_string()) {
      return v.get<std::string>();
    }
    if (v.is_boolean()) {
      return v.get<bool>() ? "true" : "false";
    }
    if (v.is_number_integer()) {
      return std::to_string(v.get<long long>());
    }
    if (v.is_number()) {
      return v.dump();
    }
    return std::nullopt;
  };
  for (const auto& [key, value] : j.items()) {
    std::vector<std::string> values;
    if (value.is_array()) {
      for (const auto& item : value) {
        if (auto t = scalar(item)) {
          values.push_back(*t);
        }
      }
    } else if (auto t = scalar(value)) {
      values.push_back(*t);
    }
    if (!values.empty()) {
      out.emplace(key, values);
    }
  }
  return out;
}

Attributes convert(const std::string& text) {
  router::store::LeadRow row;
  row.id = "l1";
  row.source = "web";
  row.attributes = text;
  return to_core_lead(row).attributes;
}

}  // namespace

TEST_SUITE("engine.lead_convert") {
  TEST_CASE("a flat CRM object becomes text values") {
    const auto a = convert(R"({"brand":"Toyota","budget":25000,"new":true,"gone":null,)"
                           R"("email":"a@example.com","neg":-42})");
    CHECK(a == Attributes{{"brand", {"Toyota"}},
                          {"budget", {"25000"}},
                          {"new", {"true"}},
                          {"email", {"a@example.com"}},
                          {"neg", {"-42"}}});
  }

  TEST_CASE("every kind of attribute text converts as nlohmann reads it") {
    const char* samples[] = {"{}",
                             " { } ",
                             "{\"a\":\"b\"}",
                             "\t{\n\"a\" : \"b\" ,\r\"c\":1 }\n",
                             "{\"a\":0}",
                             "{\"a\":-0}",
                             "{\"a\":007}",
                             "{\"a\":1.5}",
                             "{\"a\":1e3}",
                             "{\"a\":-2E-2}",
                             "{\"a\":123456789012345678}",
                             "{\"a\":1234567890123456789}",
                             "{\"a\":12345678901234567890}",
                             "{\"a\":-9223372036854775808}",
                             "{\"a\":1e400}",
                             "{\"a\":\"q\\\"uote\"}",
                             "{\"a\":\"\\u00e9\"}",
                             "{\"a\":\"\xc3\xa9\"}",
                             "{\"a\":\"\xff\"}",
                             "{\"a\":\"tab\there\"}",
                             "{\"a\":[1,\"x\",null,true,[2]]}",
                             "{\"a\":{\"b\":1}}",
                             "{\"a\":1,\"a\":2}",
                             "{\"a\":null,\"a\":2}",
                             "{\"a\":2,\"a\":null}",
                             "{\"a\":null}",
                             "{\"\":\"empty key\"}",
                             "{\"A\":\"x\",\"a\":\"y\"}",
                             "{\"a\":true,\"b\":false}",
                             "{\"a\":tru}",
                             "{\"a\":1,}",
                             "{\"a\":1",
                             "{\"a\" 1}",
                             "{a:1}",
                             "[1,2]",
                             "\"s\"",
                             "",
                             "not json",
                             "{\"a\":1} x",
                             "{\"a\":1}{}",
                             "{\"a\":+1}",
                             "{\"a\":-}",
                             "{\"a\":1.}",
                             "{\"a\":\"x\x7fy\"}",
                             "{\"a\":\"ctl\x01\"}",
                             "{\"a\":nul}",
                             "{\"a\":null }"};
    for (const char* text : samples) {
      CAPTURE(text);
      CHECK(convert(text) == reference(text));
    }
  }

  TEST_CASE("attributes that are not a JSON object carry the parser's message") {
    struct Case {
      const char* text;
      const char* error;  // empty: an object, no error
    };
    const Case cases[] = {
        {"{}", ""},
        {"{\"a\":[1,2]}", ""},
        {"{\"a\":\"\xc3\xa9\"}", ""},
        {"[1,2]", "a JSON array, not an object"},
        {"\"str\"", "a JSON string, not an object"},
        {"12", "a JSON number, not an object"},
        {"null", "a JSON null, not an object"},
        {"not json", "parse error at line 1, column 2: syntax error while parsing value - "
                     "invalid literal; last read: 'no'"},
        {"", "parse error at line 1, column 1: syntax error while parsing value - unexpected "
             "end of input; expected '[', '{', or a literal"},
        {"{\"a\":1e400}", "number overflow parsing '1e400'"},
        {"{\"a\":1", "parse error at line 1, column 7: syntax error while parsing object - "
                     "unexpected end of input; expected '}'"},
    };
    for (const auto& c : cases) {
      CAPTURE(c.text);
      router::store::LeadRow row;
      row.id = "l1";
      row.attributes = c.text;
      const auto lead = to_core_lead(row);
      CHECK(lead.attributes_error.value_or("") == c.error);
      if (lead.attributes_error) {
        CHECK(lead.attributes.empty());
      }
    }
    // Invalid UTF-8 is a parse error; the message stays printable ASCII.
    router::store::LeadRow row;
    row.attributes = "{\"a\":\"\xff\"}";
    const auto error = to_core_lead(row).attributes_error;
    REQUIRE(error);
    CHECK(error->find("ill-formed UTF-8") != std::string::npos);
    CHECK(
        std::all_of(error->begin(), error->end(), [](char ch) { return ch >= 0x20 && ch < 0x7f; }));
  }

  TEST_CASE("source, id and arrival time are kept") {
    router::store::LeadRow row;
    row.id = "crm-7";
    row.source = "partner";
    row.attributes = "{\"brand\":\"Kia\"}";
    row.received_at = router::util::Time{std::chrono::seconds{1795439400}};
    const auto lead = to_core_lead(row);
    CHECK(lead.id == "crm-7");
    CHECK(lead.source == "partner");
    CHECK(lead.received_at == row.received_at);
    CHECK(lead.values("Brand"));
  }

  TEST_CASE("usage periods are the pool's local day and month, as date::format writes them") {
    using namespace std::chrono;
    const std::vector<const router::util::Zone*> zones = {
        nullptr, router::util::zone_by_name("UTC"), router::util::zone_by_name("Europe/London"),
        router::util::zone_by_name("Pacific/Kiritimati"),
        router::util::zone_by_name("America/Adak")};
    std::vector<router::core::Time> instants;
    for (std::int64_t s = -62167219200; s < 253402300800; s += 86400 * 997 + 3607) {
      instants.push_back(router::core::Time{seconds{s}});  // years 0 to 9999
    }
    instants.push_back(router::core::Time{seconds{1795439400}});  // 2026-11-23T13:10:00Z
    instants.push_back(router::core::Time{seconds{-62167219200 - 86400 * 400}});  // year -2
    instants.push_back(router::core::Time{seconds{253402300800 + 86400 * 40}});   // 10000
    for (const auto* zone : zones) {
      for (const auto t : instants) {
        const auto local = zone ? zone->to_local(t) : date::local_seconds{t.time_since_epoch()};
        const date::year_month_day ymd{date::floor<date::days>(local)};
        const auto [day, month] = router::engine::usage_periods(zone, t);
        CAPTURE(t.time_since_epoch().count());
        CHECK(day == date::format("D%Y-%m-%d", ymd));
        CHECK(month == date::format("M%Y-%m", ymd));
      }
    }
    CHECK(router::engine::usage_periods(router::util::zone_by_name("Pacific/Kiritimati"),
                                        router::core::Time{seconds{1795439400}})
              .first == "D2026-11-24");
  }
}
