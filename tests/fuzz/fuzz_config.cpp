// libFuzzer harness: the configuration loader (YAML parsing, the model walk, validation) on
// arbitrary bytes, then the configuration cache's binary form of whatever loaded.

#include <cstddef>
#include <cstdint>
#include <string>

#include "config/byte_io.hpp"
#include "config/loader.hpp"
#include "config/model_codec.hpp"
#include "fuzz_common.hpp"

namespace {

using router::config::Diagnostic;

void check(const std::string& text) {
  const auto result = router::config::load_text(text, "fuzz.yaml");
  const auto errors = result.count(Diagnostic::Severity::error);
  router::fuzz::require(result.config.has_value() == (errors == 0),
                        "a model was returned with errors, or none without");
  for (const auto& d : result.diagnostics) {
    (void)router::config::format_text(d);
    (void)router::config::format_github(d);
  }
  if (!result.config) {
    return;
  }
  // The cache stores the model and must give back the same one.
  router::config::ByteWriter first;
  router::config::encode(first, *result.config);
  router::config::ByteReader reader(first.bytes());
  const auto decoded = router::config::decode_config(reader);
  router::fuzz::require(reader.at_end(), "the cache's decoder left bytes unread");
  router::config::ByteWriter second;
  router::config::encode(second, decoded);
  router::fuzz::require(first.bytes() == second.bytes(),
                        "the cache's binary form does not round-trip");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  router::fuzz::expect_clean([&] { check(text); });
  return 0;
}
