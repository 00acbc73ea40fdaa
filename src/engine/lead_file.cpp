#include "engine/lead_file.hpp"

#include <algorithm>
#include <cmath>
#include <istream>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "engine/csv_reader.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"
#include "util/time.hpp"

namespace router::engine {
namespace {

using Json = nlohmann::ordered_json;

// Throws the InputError for a bad line: "NAME:LINE: message".
[[noreturn]] void bad_input(const std::string& name, std::size_t line, const std::string& message) {
  throw util::InputError(name + ":" + std::to_string(line) + ": " + message);
}

// Binary data is refused before anything tries to make sense of it.
void check_text(std::string_view text, const std::string& name, std::size_t line) {
  if (text.find('\0') != std::string_view::npos) {
    bad_input(name, line, "contains a NUL byte (binary data?)");
  }
  if (!valid_utf8(text)) {
    bad_input(name, line, "is not valid UTF-8 (binary data?)");
  }
}

// `text` with control characters written as escapes (\n, \r, \t, else \xNN), so that a
// message quoting it stays on one line.
std::string printable(std::string_view text) {
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out;
  for (const char c : text) {
    const auto b = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (b < 0x20 || b == 0x7f) {
      out += "\\x";
      out += k_hex[b >> 4];
      out += k_hex[b & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

bool blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

void strip_bom(std::string& s) {
  if (s.starts_with("\xEF\xBB\xBF")) {
    s.erase(0, 3);
  }
}

core::Time parse_time(const std::string& text, const std::string& name, std::size_t line) {
  const auto t = util::parse_rfc3339(text);
  if (!t) {
    bad_input(name, line,
              "'received_at' " + util::rfc3339_refusal(text) + ": \"" + printable(text) +
                  "\" (e.g. 2026-11-23T13:10:00Z)");
  }
  return *t;
}

const char* type_name(const Json& v) {
  return v.is_null() ? "null" : v.type_name();
}

// Surrounding white space taken off an id or a source.
std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n\f\v");
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = text.find_last_not_of(" \t\r\n\f\v");
  return std::string(text.substr(first, last - first + 1));
}

// Below this a double holds every whole number exactly (2^53).
constexpr double k_exact_whole = 9007199254740992.0;

// A JSON number as the decimal text an id or a source keeps: whole numbers only, so that
// nothing is rounded or written with an exponent.
std::optional<std::string> number_text(const Json& v) {
  if (v.is_number_integer() || v.is_number_unsigned()) {
    return v.dump();
  }
  const double d = v.get<double>();
  if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) < k_exact_whole) {
    return std::to_string(static_cast<long long>(d));
  }
  return std::nullopt;
}

// `id` and `source` may be strings or whole numbers (kept as their decimal text); either
// is trimmed of surrounding white space and must not be empty.
std::string required_text(Json& object, const char* key, const std::string& name,
                          std::size_t line) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    bad_input(name, line, std::string("no '") + key + "'");
  }
  std::string text;
  if (it->is_string()) {
    text = trimmed(it->get_ref<const std::string&>());
  } else if (it->is_number()) {
    const auto number = number_text(*it);
    if (!number) {
      bad_input(name, line,
                std::string("'") + key + "' must be a string or a whole number, not " + it->dump());
    }
    text = *number;
  } else {
    bad_input(name, line,
              std::string("'") + key + "' must be a string or a number, not " + type_name(*it));
  }
  if (text.empty()) {
    bad_input(name, line, std::string("'") + key + "' is empty");
  }
  object.erase(it);
  return text;
}

// Parses one line, refusing an object that names the same key twice (a JSON parser would
// otherwise keep one of the values silently).
Json parse_line(const std::string& text, const std::string& name, std::size_t line) {
  std::vector<std::vector<std::string>> keys;  // the keys seen in each open object
  const auto check = [&](int, Json::parse_event_t event, Json& parsed) {
    if (event == Json::parse_event_t::object_start) {
      keys.emplace_back();
    } else if (event == Json::parse_event_t::object_end) {
      keys.pop_back();
    } else if (event == Json::parse_event_t::key && !keys.empty()) {
      auto& seen = keys.back();
      const auto& key = parsed.get_ref<const std::string&>();
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
        bad_input(name, line, "key '" + printable(key) + "' appears twice");
      }
      seen.push_back(key);
    }
    return true;
  };
  try {
    return Json::parse(text, check);
  } catch (const Json::parse_error& e) {
    bad_input(name, line, "not valid JSON (at column " + std::to_string(e.byte) + ")");
  } catch (const Json::out_of_range&) {
    // 1e400: well-formed JSON, but no double holds it.
    bad_input(name, line, "a number is out of range (it must fit a double, at most about 1.8e308)");
  }
}

LeadRecord json_record(const std::string& text, const std::string& name, std::size_t line,
                       core::Time now) {
  Json value = parse_line(text, name, line);
  if (!value.is_object()) {
    bad_input(name, line, std::string("expected a JSON object, found ") + type_name(value));
  }
  LeadRecord record;
  record.line = line;
  record.id = required_text(value, "id", name, line);
  record.source = required_text(value, "source", name, line);
  record.received_at = now;
  if (const auto it = value.find("received_at"); it != value.end()) {
    if (it->is_string()) {
      record.received_at = parse_time(it->get<std::string>(), name, line);
    } else if (!it->is_null()) {
      bad_input(name, line,
                std::string("'received_at' must be an RFC 3339 string, not ") + type_name(*it));
    }
    value.erase(it);
  }
  record.attributes = value.dump();
  return record;
}

void read_json_lines(std::istream& in, const std::string& name, core::Time now,
                     const std::function<void(LeadRecord&&)>& sink) {
  std::string text;
  for (std::size_t line = 1; std::getline(in, text); ++line) {
    if (line == 1) {
      strip_bom(text);
    }
    if (text.size() > k_max_record) {
      bad_input(name, line, "line is longer than 1 MiB");
    }
    check_text(text, name, line);
    if (!blank(text)) {
      sink(json_record(text, name, line, now));
    }
  }
}

// The header row: column names, with id and source required.
struct CsvHeader {
  std::vector<std::string> names;
  std::size_t id = 0;
  std::size_t source = 0;
  std::optional<std::size_t> received_at;
};

CsvHeader csv_header(std::vector<std::string> fields, const std::string& name, std::size_t line) {
  CsvHeader header;
  strip_bom(fields.front());
  std::optional<std::size_t> id;
  std::optional<std::size_t> source;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    std::string column = fields[i];
    check_text(column, name, line);
    column.erase(0, column.find_first_not_of(" \t"));
    column.erase(column.find_last_not_of(" \t") + 1);
    if (column.empty()) {
      bad_input(name, line, "header column " + std::to_string(i + 1) + " has no name");
    }
    // Names match ignoring case, as rules match attribute names (`ID`, ` Source`).
    for (const auto& earlier : header.names) {
      if (util::iequals(earlier, column)) {
        bad_input(name, line, "header names column '" + printable(column) + "' twice");
      }
    }
    if (util::iequals(column, "id")) {
      id = i;
    } else if (util::iequals(column, "source")) {
      source = i;
    } else if (util::iequals(column, "received_at")) {
      header.received_at = i;
    }
    header.names.push_back(column);
  }
  if (!id || !source) {
    bad_input(name, line, std::string("header has no '") + (id ? "source" : "id") + "' column");
  }
  header.id = *id;
  header.source = *source;
  return header;
}

LeadRecord csv_record(const CsvHeader& header, const std::vector<std::string>& fields,
                      std::size_t row, const std::string& name, std::size_t line, core::Time now) {
  if (fields.size() != header.names.size()) {
    bad_input(name, line,
              "row " + std::to_string(row) + " has " + std::to_string(fields.size()) +
                  " fields, the header has " + std::to_string(header.names.size()));
  }
  LeadRecord record;
  record.line = line;
  record.received_at = now;
  Json attributes = Json::object();
  for (std::size_t i = 0; i < fields.size(); ++i) {
    check_text(fields[i], name, line);
    if (fields[i].empty()) {
      continue;  // an empty cell is an absent value
    }
    if (i == header.id || i == header.source) {
      auto& text = i == header.id ? record.id : record.source;
      text = trimmed(fields[i]);
      if (text.empty()) {
        bad_input(name, line, std::string("'") + (i == header.id ? "id" : "source") + "' is empty");
      }
    } else if (header.received_at && i == *header.received_at) {
      record.received_at = parse_time(fields[i], name, line);
    } else {
      attributes[header.names[i]] = fields[i];
    }
  }
  if (record.id.empty() || record.source.empty()) {
    bad_input(name, line, std::string("no '") + (record.id.empty() ? "id" : "source") + "'");
  }
  record.attributes = attributes.dump();
  return record;
}

void read_csv(std::istream& in, const std::string& name, core::Time now,
              const std::function<void(LeadRecord&&)>& sink) {
  CsvReader reader(in, name);
  std::vector<std::string> fields;
  std::size_t line = 0;
  std::optional<CsvHeader> header;
  for (std::size_t row = 1; reader.next(fields, line);) {
    if (fields.size() == 1 && blank(fields.front())) {
      continue;  // a blank line
    }
    if (!header) {
      header = csv_header(fields, name, line);
    } else {
      sink(csv_record(*header, fields, row, name, line, now));
    }
    ++row;
  }
  if (!header) {
    bad_input(name, 1, "no header row (expected column names such as id,source,...)");
  }
}

}  // namespace

void read_leads(std::istream& in, LeadFormat format, const std::string& name, core::Time now,
                const std::function<void(LeadRecord&&)>& sink) {
  if (format == LeadFormat::csv) {
    read_csv(in, name, now, sink);
  } else {
    read_json_lines(in, name, now, sink);
  }
  if (in.bad()) {
    throw util::InputError(name + ": read error");
  }
}

std::vector<LeadRecord> parse_leads(std::string_view text, LeadFormat format,
                                    const std::string& name, core::Time now) {
  std::istringstream in{std::string(text)};
  std::vector<LeadRecord> records;
  read_leads(in, format, name, now, [&](LeadRecord&& r) { records.push_back(std::move(r)); });
  return records;
}

bool valid_utf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int extra = 0;
    char32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      extra = 1;
      cp = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      cp = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      cp = c & 0x07u;
    } else {
      return false;
    }
    if (end - p <= extra) {
      return false;
    }
    for (int i = 1; i <= extra; ++i) {
      if ((p[i] & 0xC0) != 0x80) {
        return false;
      }
      cp = (cp << 6) | (p[i] & 0x3Fu);
    }
    static constexpr char32_t k_min[] = {0, 0x80, 0x800, 0x10000};
    if (cp < k_min[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    p += extra + 1;
  }
  return true;
}

}  // namespace router::engine
