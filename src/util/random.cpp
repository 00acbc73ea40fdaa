#include "util/random.hpp"

namespace router::util {

std::uint64_t Random::entropy_seed() {
  std::random_device device;
  return (static_cast<std::uint64_t>(device()) << 32) ^ device();
}

// Own arithmetic instead of std::uniform_int_distribution, whose output differs between
// standard libraries: a seed must give the same choices everywhere.
std::size_t Random::below(std::size_t n) {
  const std::uint64_t bound = n;
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
  std::uint64_t x = m_engine();
  while (x >= limit) {
    x = m_engine();
  }
  return static_cast<std::size_t>(x % bound);
}

double Random::unit() {
  return static_cast<double>(m_engine() >> 11) * 0x1.0p-53;
}

}  // namespace router::util
