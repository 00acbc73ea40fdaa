#include "engine/csv_reader.hpp"

#include <istream>

#include "util/error.hpp"

namespace router::engine {
namespace {

// Throws the InputError for a bad record: "NAME:LINE: message".
[[noreturn]] void bad(const std::string& name, std::size_t line, const std::string& message) {
  throw util::InputError(name + ":" + std::to_string(line) + ": " + message);
}

}  // namespace

bool CsvReader::next(std::vector<std::string>& fields, std::size_t& start) {
  fields.clear();
  start = m_line;
  if (m_in.peek() == std::char_traits<char>::eof()) {
    return false;
  }
  std::string field;
  std::size_t size = 0;
  while (true) {
    const int end = read_field(field, start);
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

int CsvReader::read_field(std::string& field, std::size_t start) {
  int c = m_in.get();
  if (c == '"') {
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

int CsvReader::read_quoted(std::string& field, std::size_t start) {
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

bool CsvReader::end_of_line(int c) {
  if (c == '\r' && m_in.peek() == '\n') {
    m_in.get();
  }
  if (c == '\n' || c == '\r') {
    ++m_line;
    return true;
  }
  return false;
}

}  // namespace router::engine
