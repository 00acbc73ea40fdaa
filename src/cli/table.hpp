#pragma once
// Aligned text tables for people: columns as wide as their widest cell.

#include <string>
#include <vector>

namespace router::cli {

// Rows of cells under a header, rendered with two spaces between columns.
class Table {
public:
  // A table with these column headings (shown in upper case).
  explicit Table(std::vector<std::string> headers);
  // Adds a row; missing cells are blank, extra cells are ignored.
  void add(std::vector<std::string> row);
  // Number of rows added.
  std::size_t size() const { return m_rows.size(); }
  // The header and rows, each line starting with `indent` and ending in '\n'; the last
  // column is not padded, so lines carry no trailing spaces.
  std::string render(const std::string& indent = "") const;

private:
  std::vector<std::string> m_headers;
  std::vector<std::vector<std::string>> m_rows;
};

}  // namespace router::cli
