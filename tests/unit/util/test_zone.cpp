#include <chrono>
#include <fstream>
#include <iterator>
#include <string>

#include <doctest/doctest.h>

#include "util/zone.hpp"

namespace util = router::util;
using namespace std::chrono_literals;

namespace {

// date's answers are the oracle: over `from`..`to`, every period (sys_info), every local time
// an hour either side of each change (local_info), and to_sys with both choices agree with
// date::time_zone's for the same name. Returns the number of changes seen.
int expect_same_zone(const util::Zone* mine, const date::time_zone* theirs, date::sys_days from,
                     date::sys_days to) {
  REQUIRE(mine != nullptr);
  REQUIRE(theirs != nullptr);
  CAPTURE(theirs->name());
  CHECK(mine->name() == theirs->name());
  // Plain comparisons, one assertion per mismatch: doctest's per-assertion cost would make
  // the 16 million comparisons of the whole database slow under the sanitizers.
  const auto same_period = [](const date::sys_info& a, const date::sys_info& b) {
    return a.begin == b.begin && a.end == b.end && a.offset == b.offset && a.save == b.save &&
           a.abbrev == b.abbrev;
  };
  int changes = 0;
  date::sys_seconds t{from};
  while (t < date::sys_seconds{to}) {
    const auto a = mine->get_info(t);
    const auto b = theirs->get_info(t);
    if (!same_period(a, b) || mine->to_local(t) != theirs->to_local(t)) {
      FAIL("period at " << date::format("%F %T", t) << ": " << a << " against " << b);
    }
    if (a.begin >= date::sys_seconds{from}) {
      ++changes;
      const date::local_seconds local{(a.begin + a.offset).time_since_epoch()};
      for (auto l = local - 3h; l <= local + 3h; l += 15min) {
        const auto x = mine->get_info(l);
        const auto y = theirs->get_info(l);
        // date leaves `second` unset for a unique local time.
        const bool same =
            x.result == y.result && same_period(x.first, y.first) &&
            (x.result == date::local_info::unique || same_period(x.second, y.second)) &&
            mine->to_sys(l, date::choose::earliest) == theirs->to_sys(l, date::choose::earliest) &&
            mine->to_sys(l, date::choose::latest) == theirs->to_sys(l, date::choose::latest);
        if (!same) {
          FAIL("local time " << date::format("%F %T", l) << ": " << x << " against " << y);
        }
      }
    }
    // On to the next period; periods longer than a year are sampled yearly.
    t = std::min(a.end, t + date::days{366});
  }
  return changes;
}

std::string file_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_SUITE("util.zone") {
  TEST_CASE("every zone of the system's database answers as date's does, 1900 to 2100") {
    const auto from = date::sys_days{date::year{1900} / 1 / 1};
    const auto to = date::sys_days{date::year{2100} / 1 / 1};
    // date lists every file of the folder; two of them are not zones.
    const auto not_a_zone = [](const std::string& n) {
      return n == "leapseconds" || n == "tzdata.zi";
    };
    std::vector<std::string> theirs;
    int changes = 0;
    for (const auto& z : date::get_tzdb().zones) {
      if (!not_a_zone(z.name())) {
        changes += expect_same_zone(util::zone_by_name(z.name()), &z, from, to);
        theirs.push_back(z.name());
      }
    }
    CHECK(theirs.size() > 300);
    CHECK(changes > 10000);
    // zone_names() lists the same zones.
    const std::vector<std::string> mine = util::zone_names();
    CHECK(mine == theirs);
  }

  TEST_CASE("half-hour and 45-minute zones, and the southern hemisphere") {
    for (const char* name : {"Australia/Lord_Howe", "Pacific/Chatham", "America/Santiago",
                             "Asia/Kathmandu", "Europe/London", "UTC"}) {
      expect_same_zone(util::zone_by_name(name), date::locate_zone(name),
                       date::sys_days{date::year{2025} / 1 / 1},
                       date::sys_days{date::year{2027} / 1 / 1});
    }
  }

  TEST_CASE("a name is read once; its zone stays the same") {
    const util::Zone* first = util::zone_by_name("Pacific/Chatham");
    CHECK(util::zone_by_name("Pacific/Chatham") == first);
    CHECK(first->name() == "Pacific/Chatham");
  }

  TEST_CASE("a name without a zone file, or of another form, is unknown") {
    for (const std::string name :
         {"Mars/Olympus_Mons", "Europe/../Europe/Berlin", "/usr/share/zoneinfo/UTC", "zone.tab",
          "posixrules", "right/UTC", "Europe", "", "Europe//London", ".hidden"}) {
      CAPTURE(name);
      CHECK_THROWS_AS(util::zone_by_name(name), util::UnknownZone);
    }
  }

  TEST_CASE("a file that is not TZif, or is cut short, is refused with its reason") {
    CHECK_THROWS_WITH_AS(util::Zone("X", "TZi"),
                         "/usr/share/zoneinfo/X is not a valid zone file (ends early)",
                         util::ZoneError);
    CHECK_THROWS_WITH_AS(util::Zone("X", std::string(60, 'a')),
                         "/usr/share/zoneinfo/X is not a valid zone file (no TZif magic)",
                         util::ZoneError);
    const std::string london = file_text("/usr/share/zoneinfo/Europe/London");
    REQUIRE(london.size() > 100);
    CHECK_NOTHROW(util::Zone("Europe/London", london));
    // Every cut of a real file is refused or read without reading past the end (ASan checks).
    for (std::size_t n = 0; n < london.size(); n += 7) {
      try {
        const util::Zone zone("cut", std::string_view(london).substr(0, n));
        (void)zone.get_info(date::sys_seconds{});
      } catch (const util::ZoneError&) {
      }
    }
    // A v1-only file: the 32-bit data alone.
    std::string v1 = london;
    v1[4] = '\0';
    const util::Zone old("Europe/London", v1);
    const auto july = date::sys_days{date::year{2026} / 7 / 1};
    CHECK(old.get_info(july).offset == 1h);
    CHECK(old.get_info(july).abbrev == "BST");
  }
}
