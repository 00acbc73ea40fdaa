#include <doctest/doctest.h>

#include "../core/fixtures.hpp"
#include "engine/sweep.hpp"

using namespace router::core;
using namespace router::core::fixtures;
using router::engine::stale_cutoff;

namespace {

Config with_stale(std::optional<Duration> stale_after, bool schedule) {
  Pool p = pool("sales", Strategy::round_robin, {"tom", "ann"});
  p.stale_after = stale_after;
  if (schedule) {
    p.schedule = "office";
  }
  return config(agents({"tom", "ann"}), {p}, {}, {office()});
}

}  // namespace

TEST_SUITE("engine.sweep") {
  TEST_CASE("without a schedule a lead is stale after stale_after of wall time") {
    const Config c = with_stale(std::chrono::hours{2}, false);
    CHECK(stale_cutoff(c, c.pools[0], at("2026-11-23T10:00:00Z")) == at("2026-11-23T08:00:00Z"));
  }

  TEST_CASE("stale_after counts business time only: Monday 10:00 minus 2h is Friday 16:00") {
    const Config c = with_stale(std::chrono::hours{2}, true);
    CHECK(stale_cutoff(c, c.pools[0], at("2026-11-23T10:00:00Z")) == at("2026-11-20T16:00:00Z"));
    // Closed now: the last two open hours before the weekend.
    CHECK(stale_cutoff(c, c.pools[0], at("2026-11-22T12:00:00Z")) == at("2026-11-20T15:00:00Z"));
    // Within one day.
    CHECK(stale_cutoff(c, c.pools[0], at("2026-11-24T15:30:00Z")) == at("2026-11-24T13:30:00Z"));
  }

  TEST_CASE("stale_after longer than a week of open time looks back far enough") {
    const Config c = with_stale(std::chrono::hours{8 * 12}, true);  // 12 working days
    CHECK(stale_cutoff(c, c.pools[0], at("2026-11-23T17:00:00Z")) == at("2026-11-06T09:00:00Z"));
  }

  TEST_CASE("no stale_after, or a schedule that never opens, makes nothing stale") {
    const Config none = with_stale(std::nullopt, true);
    CHECK_FALSE(stale_cutoff(none, none.pools[0], at("2026-11-23T10:00:00Z")));
    Config closed = with_stale(std::chrono::hours{1}, true);
    closed.schedules[0].hours = WeeklyHours{};
    closed.reindex();
    CHECK_FALSE(stale_cutoff(closed, closed.pools[0], at("2026-11-23T10:00:00Z")));
  }
}
