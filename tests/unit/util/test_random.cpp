#include <doctest/doctest.h>

#include <cstdint>
#include <set>
#include <string>

#include "util/random.hpp"

using namespace router::util;

TEST_SUITE("util.random") {
  TEST_CASE("under a seed a draw depends only on the seed, the item and n") {
    Random a(42);
    Random b(42);
    (void)b.below(1000);  // b drew before: restarting forgets it
    a.restart_for("L1", 0);
    b.restart_for("L1", 0);
    CHECK(a.below(1000000) == b.below(1000000));
    CHECK(a.unit() == b.unit());
    // Another item, n or seed starts elsewhere.
    Random c(42);
    Random d(43);
    c.restart_for("L1", 1);
    d.restart_for("L1", 0);
    a.restart_for("L1", 0);
    const std::size_t first = a.below(1000000);
    CHECK(c.below(1000000) != first);
    CHECK(d.below(1000000) != first);
    a.restart_for("L2", 0);
    CHECK(a.below(1000000) != first);
  }

  TEST_CASE("the seeded draws are the same on every platform") {
    // Pinned values: a change here changes which member every seeded run chooses.
    Random r(42);
    r.restart_for("L1", 0);
    CHECK(r.below(1000) == 141);
    CHECK(r.below(1000) == 895);
  }

  TEST_CASE("one seed over many items in separate runs is roughly uniform") {
    int counts[4] = {0, 0, 0, 0};
    for (int i = 0; i < 1000; ++i) {
      Random r(42);
      r.restart_for("lead-" + std::to_string(i), 0);
      ++counts[r.below(4)];
    }
    for (const int n : counts) {
      CHECK(n > 195);
      CHECK(n < 305);
    }
  }

  TEST_CASE("without a seed restarting does not repeat the draws") {
    Random r = Random::unseeded();
    std::set<std::uint64_t> seen;
    for (int i = 0; i < 20; ++i) {
      r.restart_for("L1", 0);
      seen.insert(r.below(SIZE_MAX));
    }
    CHECK(seen.size() == 20);
    const double u = r.unit();
    CHECK(u >= 0.0);
    CHECK(u < 1.0);
  }
}
