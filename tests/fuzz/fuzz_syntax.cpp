// libFuzzer harness: the small languages inside values. The first byte picks the parser:
// durations, day sets, hours, dates, yearly dates, RFC 3339 instants, or a `when` mapping
// (YAML, then after a NUL byte the lead's attributes as JSON) matched against a lead.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "config/conditions.hpp"
#include "config/yaml_documents.hpp"
#include "core/match.hpp"
#include "core/syntax.hpp"
#include "engine/lead_convert.hpp"
#include "fuzz_common.hpp"
#include "util/time.hpp"

namespace {

namespace core = router::core;
namespace util = router::util;
using router::fuzz::require;

void duration(std::string_view text) {
  const auto d = core::parse_duration(text);
  require(d.value.has_value() == d.error.empty(),
          "a duration with both or neither value and error");
  if (d) {
    require(d.value->count() > 0, "a duration of zero or less");
    const auto printed = util::format_duration(d.value->count());
    const auto again = core::parse_duration(printed);
    require(again && *again.value == *d.value, "a duration does not round-trip: " + printed);
  }
}

void hours(std::string_view text) {
  const auto h = core::parse_hours(text);
  require(h.value.has_value() == h.error.empty(), "hours with both or neither value and error");
  if (h) {
    for (const auto& r : *h.value) {
      require(r.start >= 0 && r.start < 1440 && r.end > 0 && r.end <= 1440 && r.start != r.end,
              "an hour range out of bounds");
    }
  }
}

void instant(std::string_view text) {
  const auto t = util::parse_rfc3339(text);
  if (t) {
    const auto printed = util::format_rfc3339(*t);
    require(printed.size() == 20, "an instant prints outside RFC 3339: " + printed);
    const auto again = util::parse_rfc3339(printed);
    require(again && *again == *t, "an instant does not round-trip: " + printed);
  }
}

// A `when` mapping in YAML, then (after a NUL byte) the lead's attributes as JSON.
void when(std::string_view input) {
  const auto nul = input.find('\0');
  const std::string yaml(input.substr(0, nul));
  router::store::LeadRow row;
  row.id = "L-1";
  row.source = "web";
  row.attributes = nul == std::string_view::npos ? "{}" : std::string(input.substr(nul + 1));
  YAML::Node node;
  try {
    const auto scan = router::config::scan_documents(yaml);
    if (scan.stuck || scan.count > 1) {
      return;
    }
    node = YAML::Load(yaml);
  } catch (const YAML::Exception&) {
    return;  // the loader reports these as syntax errors
  }
  router::config::Sink sink("fuzz.yaml");
  const router::config::Field field{"when", node, core::Location{1, 1}};
  const auto conditions = router::config::read_conditions(field, sink);
  // A refusal is always explained. (Conditions may still come back beside an error the mapping
  // walk reported, such as a key that is not a name: the configuration is refused all the same.)
  require(conditions.has_value() || sink.has_errors(), "conditions refused without an error");
  if (conditions) {
    const auto lead = router::engine::to_core_lead(row);
    (void)core::match_conditions(*conditions, lead);
  }
}

void check(std::uint8_t which, std::string_view text) {
  switch (which % 7) {
  case 0: duration(text); break;
  case 1: (void)core::parse_days(text); break;
  case 2: hours(text); break;
  case 3: (void)core::parse_date(text); break;
  case 4: (void)core::parse_month_day(text); break;
  case 5: instant(text); break;
  default: when(text); break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  router::fuzz::expect_clean([&] { check(data[0], text); });
  return 0;
}
