#include "util/random.hpp"

#include <random>

namespace router::util {
namespace {

constexpr std::uint64_t k_golden_gamma = 0x9e3779b97f4a7c15ULL;
constexpr std::uint64_t k_fnv_offset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t k_fnv_prime = 0x100000001b3ULL;

// splitmix64's finaliser: every input bit affects every output bit.
std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// FNV-1a over the bytes: stable across builds and platforms, unlike std::hash.
std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t h = k_fnv_offset;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= k_fnv_prime;
  }
  return h;
}

}  // namespace

Random Random::unseeded() {
  std::random_device device;
  return Random((static_cast<std::uint64_t>(device()) << 32) ^ device(), std::nullopt);
}

void Random::restart_for(std::string_view item, std::uint64_t n) {
  if (m_seed) {
    m_state = mix(mix(*m_seed ^ fnv1a(item)) + n * k_golden_gamma);
  }
}

std::uint64_t Random::next() {
  m_state += k_golden_gamma;
  return mix(m_state);
}

// Own arithmetic instead of std::uniform_int_distribution, whose output differs between
// standard libraries: a seed must give the same choices everywhere.
std::size_t Random::below(std::size_t n) {
  const std::uint64_t bound = n;
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
  std::uint64_t x = next();
  while (x >= limit) {
    x = next();
  }
  return static_cast<std::size_t>(x % bound);
}

double Random::unit() {
  return static_cast<double>(next() >> 11) * 0x1.0p-53;
}

}  // namespace router::util
