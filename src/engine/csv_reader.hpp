#pragma once
// RFC 4180 CSV records for lead files (SPEC §4): quoted fields may hold commas, doubled
// quotes and line breaks; CRLF, LF or a lone CR ends a line.

#include <cstddef>
#include <iosfwd>
#include <string>
#include <vector>

namespace router::engine {

// Longest line or CSV record accepted; more is almost surely not a lead file.
constexpr std::size_t k_max_record = std::size_t{1} << 20;

// Reads one record at a time from a stream. A bare quote inside an unquoted field is kept
// as is. Throws util::InputError "NAME:LINE: message" on a malformed or oversized record.
class CsvReader {
public:
  // Reads from `in`; `name` (kept by reference) names the input in messages.
  CsvReader(std::istream& in, const std::string& name) : m_in(in), m_name(name) {}

  // The next record, or false at the end. `start` is the line it starts on.
  bool next(std::vector<std::string>& fields, std::size_t& start);

private:
  // Reads one field; returns what ended it: ',' or '\n' (end of record or of input).
  int read_field(std::string& field, std::size_t start);
  // Reads the rest of a quoted field, after its opening quote.
  int read_quoted(std::string& field, std::size_t start);
  // Consumes a line end (LF, CRLF or a lone CR) when `c` starts one.
  bool end_of_line(int c);

  std::istream& m_in;
  const std::string& m_name;
  std::size_t m_line = 1;
};

}  // namespace router::engine
