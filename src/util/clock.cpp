#include "util/clock.hpp"

namespace router::util {

Time SystemClock::now() const {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

Stopwatch::Stopwatch() : m_start(std::chrono::steady_clock::now()) {}

double Stopwatch::seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
}

}  // namespace router::util
