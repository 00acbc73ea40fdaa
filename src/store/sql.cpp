#include "store/sql.hpp"

#include <cstdlib>

namespace router::store::sql {

std::int64_t Value::getInt64() const {
  return m_text ? std::strtoll(m_text->c_str(), nullptr, 10) : 0;
}

double Value::getDouble() const {
  return m_text ? std::strtod(m_text->c_str(), nullptr) : 0.0;
}

}  // namespace router::store::sql
