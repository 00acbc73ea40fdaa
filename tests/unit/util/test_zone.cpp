#include <chrono>
#include <stdexcept>
#include <string>

#include <doctest/doctest.h>

#include "config/zones.hpp"

namespace config = router::config;
using namespace std::chrono_literals;

namespace {

// Every 90 minutes over two years, and the local times around each change of offset: the
// zone made by name and date's own agree on every sys_info and local_info.
void expect_same_zone(const date::time_zone* mine, const date::time_zone* theirs) {
  REQUIRE(mine != nullptr);
  REQUIRE(theirs != nullptr);
  CHECK(mine->name() == theirs->name());
  const auto from = date::sys_days{date::year{2025} / 1 / 1};
  const auto to = date::sys_days{date::year{2027} / 1 / 1};
  int changes = 0;
  for (date::sys_seconds t{from}; t < to; t += 90min) {
    const auto a = mine->get_info(t);
    const auto b = theirs->get_info(t);
    REQUIRE(a.begin == b.begin);
    REQUIRE(a.end == b.end);
    REQUIRE(a.offset == b.offset);
    REQUIRE(a.save == b.save);
    REQUIRE(a.abbrev == b.abbrev);
    if (a.begin > t - 90min) {
      ++changes;
      // The hour around the change in local time: skipped or repeated times.
      const date::local_seconds local{(a.begin + a.offset).time_since_epoch()};
      for (auto l = local - 2h; l <= local + 2h; l += 15min) {
        const auto x = mine->get_info(l);
        const auto y = theirs->get_info(l);
        REQUIRE(x.result == y.result);
        REQUIRE(x.first.offset == y.first.offset);
        REQUIRE(x.second.offset == y.second.offset);
        REQUIRE(mine->to_sys(l, date::choose::earliest) ==
                theirs->to_sys(l, date::choose::earliest));
      }
    }
  }
  CHECK(changes >= 4);  // two a year where the zone has summer time
}

}  // namespace

TEST_SUITE("config.zones") {
  TEST_CASE("a zone made from its file gives date's offsets across the changes of summer time") {
    // Lord Howe moves by half an hour; nothing else in the tests asks for it by name.
    const auto before = config::zone_lookups();
    const date::time_zone* zone = config::zone_by_name("Australia/Lord_Howe");
    const auto after = config::zone_lookups();
    CHECK(after.direct == before.direct + 1);
    CHECK(after.fallback == before.fallback);
    expect_same_zone(zone, date::locate_zone("Australia/Lord_Howe"));
    expect_same_zone(config::zone_by_name("America/Santiago"),
                     date::locate_zone("America/Santiago"));
  }

  TEST_CASE("a name is resolved once; its zone stays the same") {
    const date::time_zone* first = config::zone_by_name("Pacific/Chatham");
    const auto before = config::zone_lookups();
    CHECK(config::zone_by_name("Pacific/Chatham") == first);
    const auto after = config::zone_lookups();
    CHECK(after.direct == before.direct);
    CHECK(after.fallback == before.fallback);
  }

  TEST_CASE("a name without a zone file, or of another form, is left to date's database") {
    for (const std::string name :
         {"Mars/Olympus_Mons", "Europe/../Europe/Berlin", "/usr/share/zoneinfo/UTC", "zone.tab",
          "posixrules", "right/UTC", "Europe", ""}) {
      CAPTURE(name);
      const auto before = config::zone_lookups();
      CHECK_THROWS_AS(config::zone_by_name(name), std::runtime_error);
      const auto after = config::zone_lookups();
      CHECK(after.fallback == before.fallback + 1);
      CHECK(after.direct == before.direct);
    }
  }
}
