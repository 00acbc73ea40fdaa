#pragma once
// The one random generator. `--seed` makes it reproducible: each lead's draw then derives
// from the seed and the lead alone, so separate runs still spread leads over members.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace router::util {

// Seeded pseudo-random source passed to the strategies that need chance. splitmix64: fully
// specified (a seed gives the same choices everywhere) and cheap to restart per lead.
class Random {
public:
  // Reproducible draws from `seed`; restart_for makes them depend on each item too.
  explicit Random(std::uint64_t seed) : m_state(seed), m_seed(seed) {}
  // Unpredictable draws, for runs without --seed: restart_for changes nothing.
  static Random unseeded();
  // Under a seed, restarts the draws from the seed mixed with `item` and `n` (a lead id and
  // its attempt), so the same inputs draw the same values whatever the run drew before.
  void restart_for(std::string_view item, std::uint64_t n);
  // Uniform integer in [0, n); n must be > 0.
  std::size_t below(std::size_t n);
  // Uniform real in [0, 1).
  double unit();

private:
  Random(std::uint64_t state, std::optional<std::uint64_t> seed) : m_state(state), m_seed(seed) {}
  std::uint64_t next();

  std::uint64_t m_state;
  std::optional<std::uint64_t> m_seed;  // --seed; nullopt: draws are not restarted
};

}  // namespace router::util
