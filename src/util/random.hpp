#pragma once
// The one random generator. `--seed` makes it reproducible.

#include <cstdint>
#include <random>

namespace router::util {

// Seeded pseudo-random source passed to the strategies that need chance.
class Random {
public:
  explicit Random(std::uint64_t seed) : m_engine(seed) {}
  // A seed from the operating system's entropy, for runs without --seed.
  static std::uint64_t entropy_seed();
  // Uniform integer in [0, n); n must be > 0.
  std::size_t below(std::size_t n);
  // Uniform real in [0, 1).
  double unit();

private:
  std::mt19937_64 m_engine;
};

}  // namespace router::util
