#include "cli/table.hpp"

#include <algorithm>
#include "util/strings.hpp"

namespace router::cli {
namespace {

// Display width: UTF-8 continuation bytes take no column.
std::size_t width_of(const std::string& s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

Table::Table(std::vector<std::string> headers) : m_headers(std::move(headers)) {
  for (auto& h : m_headers) {
    h = util::to_upper(h);
  }
}

void Table::add(std::vector<std::string> row) {
  row.resize(m_headers.size());
  m_rows.push_back(std::move(row));
}

std::string Table::render(const std::string& indent) const {
  std::vector<std::size_t> widths(m_headers.size(), 0);
  const auto measure = [&](const std::vector<std::string>& row) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], width_of(row[i]));
    }
  };
  measure(m_headers);
  for (const auto& row : m_rows) {
    measure(row);
  }
  std::string out;
  const auto line = [&](const std::vector<std::string>& row) {
    std::string text = indent;
    for (std::size_t i = 0; i < row.size(); ++i) {
      text += row[i];
      if (i + 1 < row.size()) {
        text += std::string(widths[i] - width_of(row[i]) + 2, ' ');
      }
    }
    while (!text.empty() && text.back() == ' ') {
      text.pop_back();
    }
    out += text + '\n';
  };
  line(m_headers);
  for (const auto& row : m_rows) {
    line(row);
  }
  return out;
}

}  // namespace router::cli
