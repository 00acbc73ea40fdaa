#include "engine/lead_file.hpp"

#include <istream>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "util/error.hpp"
#include "util/time.hpp"

namespace router::engine {
namespace {

using Json = nlohmann::ordered_json;

// Longest line or CSV record accepted; more is almost surely not a lead file.
constexpr std::size_t k_max_record = std::size_t{1} << 20;

// Throws the InputError for a bad line: "NAME:LINE: message".
[[noreturn]] void bad(const std::string& name, std::size_t line, const std::string& message) {
  throw util::InputError(name + ":" + std::to_string(line) + ": " + message);
}

// Binary data is refused before anything tries to make sense of it.
void check_text(std::string_view text, const std::string& name, std::size_t line) {
  if (text.find('\0') != std::string_view::npos) {
    bad(name, line, "contains a NUL byte (binary data?)");
  }
  if (!valid_utf8(text)) {
    bad(name, line, "is not valid UTF-8 (binary data?)");
  }
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
    bad(name, line,
        "'received_at' is not an RFC 3339 time: \"" + text + "\" (e.g. 2026-11-23T13:10:00Z)");
  }
  return *t;
}

const char* type_name(const Json& v) {
  return v.is_null() ? "null" : v.type_name();
}

// `id` may be a string or an integer (kept as its decimal text); `source` must be a string.
std::string required_text(Json& object, const char* key, bool integer_ok, const std::string& name,
                          std::size_t line) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    bad(name, line, std::string("no '") + key + "'");
  }
  std::string text;
  if (it->is_string()) {
    text = it->get<std::string>();
  } else if (integer_ok && (it->is_number_integer() || it->is_number_unsigned())) {
    text = it->dump();
  } else {
    bad(name, line, std::string("'") + key + "' must be a string, not " + type_name(*it));
  }
  if (text.empty()) {
    bad(name, line, std::string("'") + key + "' is empty");
  }
  object.erase(it);
  return text;
}

LeadRecord json_record(const std::string& text, const std::string& name, std::size_t line,
                       core::Time now) {
  Json value;
  try {
    value = Json::parse(text);
  } catch (const Json::parse_error& e) {
    bad(name, line, "not valid JSON (at column " + std::to_string(e.byte) + ")");
  }
  if (!value.is_object()) {
    bad(name, line, std::string("expected a JSON object, found ") + type_name(value));
  }
  LeadRecord record;
  record.line = line;
  record.id = required_text(value, "id", true, name, line);
  record.source = required_text(value, "source", false, name, line);
  record.received_at = now;
  if (const auto it = value.find("received_at"); it != value.end()) {
    if (it->is_string()) {
      record.received_at = parse_time(it->get<std::string>(), name, line);
    } else if (!it->is_null()) {
      bad(name, line,
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
      bad(name, line, "line is longer than 1 MiB");
    }
    check_text(text, name, line);
    if (!blank(text)) {
      sink(json_record(text, name, line, now));
    }
  }
}

// Reads RFC 4180 CSV records: quoted fields may hold commas, doubled quotes and line
// breaks; CRLF or LF line ends. A bare quote inside an unquoted field is kept as is.
class CsvReader {
public:
  CsvReader(std::istream& in, const std::string& name) : m_in(in), m_name(name) {}

  // The next record, or false at the end. `start` is the line it starts on.
  bool next(std::vector<std::string>& fields, std::size_t& start) {
    fields.clear();
    start = m_line;
    if (m_in.peek() == std::char_traits<char>::eof()) {
      return false;
    }
    std::string field;
    std::size_t size = 0;
    while (true) {
      bool quoted = false;
      const int end = read_field(field, quoted, start);
      size += field.size();
      if (size > k_max_record) {
        bad(m_name, start, "record is longer than 1 MiB");
      }
      fields.push_back(std::move(field));
      field.clear();
      if (end != ',') {
        return true;
      }
    }
  }

private:
  // Reads one field; returns what ended it: ',' or '\n' (end of record or of input).
  int read_field(std::string& field, bool& quoted, std::size_t start) {
    int c = m_in.get();
    if (c == '"') {
      quoted = true;
      return read_quoted(field, start);
    }
    for (;; c = m_in.get()) {
      if (c == std::char_traits<char>::eof()) {
        return '\n';
      }
      if (c == ',' || end_of_line(c)) {
        return c == ',' ? ',' : '\n';
      }
      field.push_back(static_cast<char>(c));
    }
  }

  int read_quoted(std::string& field, std::size_t start) {
    while (true) {
      const int c = m_in.get();
      if (c == std::char_traits<char>::eof()) {
        bad(m_name, start, "quoted field is never closed");
      }
      if (c == '"') {
        if (m_in.peek() == '"') {
          m_in.get();
          field.push_back('"');
          continue;
        }
        const int after = m_in.get();
        if (after == std::char_traits<char>::eof() || end_of_line(after)) {
          return '\n';
        }
        if (after == ',') {
          return ',';
        }
        bad(m_name, m_line, "unexpected character after a closing quote");
      }
      if (c == '\n') {
        ++m_line;
      }
      field.push_back(static_cast<char>(c));
    }
  }

  // Consumes a line end (LF, CRLF or a lone CR) when `c` starts one.
  bool end_of_line(int c) {
    if (c == '\r' && m_in.peek() == '\n') {
      m_in.get();
    }
    if (c == '\n' || c == '\r') {
      ++m_line;
      return true;
    }
    return false;
  }

  std::istream& m_in;
  const std::string& m_name;
  std::size_t m_line = 1;
};

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
      bad(name, line, "header column " + std::to_string(i + 1) + " has no name");
    }
    for (const auto& earlier : header.names) {
      if (earlier == column) {
        bad(name, line, "header names column '" + column + "' twice");
      }
    }
    if (column == "id") {
      id = i;
    } else if (column == "source") {
      source = i;
    } else if (column == "received_at") {
      header.received_at = i;
    }
    header.names.push_back(column);
  }
  if (!id || !source) {
    bad(name, line, std::string("header has no '") + (id ? "source" : "id") + "' column");
  }
  header.id = *id;
  header.source = *source;
  return header;
}

LeadRecord csv_record(const CsvHeader& header, const std::vector<std::string>& fields,
                      std::size_t row, const std::string& name, std::size_t line, core::Time now) {
  if (fields.size() != header.names.size()) {
    bad(name, line,
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
    if (i == header.id) {
      record.id = fields[i];
    } else if (i == header.source) {
      record.source = fields[i];
    } else if (header.received_at && i == *header.received_at) {
      record.received_at = parse_time(fields[i], name, line);
    } else {
      attributes[header.names[i]] = fields[i];
    }
  }
  if (record.id.empty() || record.source.empty()) {
    bad(name, line, std::string("no '") + (record.id.empty() ? "id" : "source") + "'");
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
    bad(name, 1, "no header row (expected column names such as id,source,...)");
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
