#pragma once
// Lead files for `router ingest` (SPEC §4): JSON Lines or CSV with a header row, parsed
// into lead records. Pure: no database, no clock (the default receive time comes in).

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"

namespace router::engine {

// The two input formats.
enum class LeadFormat { json_lines, csv };

// One lead as read from a file.
struct LeadRecord {
  std::string id;
  std::string source;
  std::string attributes;  // JSON object text; JSON Lines keep value types, CSV gives strings
  core::Time received_at;  // given, or the `now` passed to the reader
  std::size_t line = 0;    // 1-based line the lead starts on
};

// Reads every lead of `in` in order, calling `sink` with each. Blank lines are skipped.
// `id` and `source` are trimmed; JSON numbers are kept as their decimal text; CSV header
// names match ignoring case and surrounding spaces.
// Throws util::InputError "NAME:LINE: message" at the first bad line or row (not JSON,
// not an object, a key twice, no or an empty id or source, bad time, wrong field count,
// NUL bytes, invalid UTF-8).
// Repeated ids are not detected here (see engine::ingest).
void read_leads(std::istream& in, LeadFormat format, const std::string& name, core::Time now,
                const std::function<void(LeadRecord&&)>& sink);

// read_leads over a string, collecting the records (tests and small inputs).
std::vector<LeadRecord> parse_leads(std::string_view text, LeadFormat format,
                                    const std::string& name, core::Time now);

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool valid_utf8(std::string_view text);

}  // namespace router::engine
