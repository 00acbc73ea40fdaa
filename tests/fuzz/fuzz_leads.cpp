// libFuzzer harness: the lead readers of `router ingest` (JSON Lines and CSV, chosen by the
// first byte), then every lead read through the conversion routing uses.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/lead_convert.hpp"
#include "engine/lead_file.hpp"
#include "fuzz_common.hpp"
#include "util/time.hpp"

namespace {

namespace engine = router::engine;
using router::fuzz::require;

// A fixed --now: 2026-11-23T13:10:00Z.
constexpr router::core::Time k_now{std::chrono::seconds{1795439400}};

void check_record(engine::LeadRecord&& record) {
  require(!record.id.empty() && !record.source.empty(), "a lead without id or source");
  require(record.line > 0, "a lead without a line number");
  const auto attributes = nlohmann::json::parse(record.attributes, nullptr, false);
  require(attributes.is_object(), "attributes are not a JSON object: " + record.attributes);
  // What ingest stores must print back as RFC 3339 and read again as the same instant.
  const auto text = router::util::format_rfc3339(record.received_at);
  const auto again = router::util::parse_rfc3339(text);
  require(again && *again == record.received_at, "received_at does not round-trip: " + text);
  router::store::LeadRow row;
  row.id = record.id;
  row.source = record.source;
  row.attributes = record.attributes;
  row.received_at = record.received_at;
  const auto lead = engine::to_core_lead(row);
  require(!lead.attributes_error,
          "stored attributes do not read back: " + lead.attributes_error.value_or(""));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const auto format = (data[0] & 1) != 0 ? engine::LeadFormat::csv : engine::LeadFormat::json_lines;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  router::fuzz::expect_clean([&] {
    const auto records = engine::parse_leads(text, format, "fuzz", k_now);
    for (auto record : records) {
      check_record(std::move(record));
    }
  });
  return 0;
}
