#include "store/sql.hpp"

#include <cstdlib>

namespace router::store::sql {

std::int64_t Value::getInt64() const {
  // PostgreSQL's true reads as SQLite's 1 (false, "f", as 0).
  return !m_text ? 0 : *m_text == "t" ? 1 : std::strtoll(m_text->c_str(), nullptr, 10);
}

double Value::getDouble() const {
  return m_text ? std::strtod(m_text->c_str(), nullptr) : 0.0;
}

std::string text_array(const std::vector<std::string>& values) {
  std::string out = "{";
  for (const auto& value : values) {
    out += out.size() > 1 ? ",\"" : "\"";
    for (const char c : value) {
      if (c == '"' || c == '\\') {
        out += '\\';
      }
      out += c;
    }
    out += '"';
  }
  return out + '}';
}

}  // namespace router::store::sql
