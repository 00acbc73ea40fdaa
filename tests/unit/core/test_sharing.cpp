#include <doctest/doctest.h>

#include "core/route.hpp"
#include "core/sharing.hpp"
#include "fixtures.hpp"

using namespace router::core;
using namespace router::core::fixtures;

namespace {

const Time k_now = at("2026-11-23T13:10:00Z");  // a Monday

// north and south share dana (a member of both); east reaches erin only as its rule's
// default agent, and erin is a member of west; solo shares no one.
Config groups_config() {
  Pool north = pool("north", Strategy::round_robin, {"ann", "dana"});
  Pool south = pool("south", Strategy::least_active, {"dana", "sam"});
  Pool east = pool("east", Strategy::round_robin, {"eve"});
  Pool west = pool("west", Strategy::round_robin, {"erin"});
  Pool solo = pool("solo", Strategy::random, {"olga"});
  solo.default_agent = "otto";
  Rule to_north = rule("north", "north", {when("region", {eq("north")})});
  Rule to_east = rule("east", "east", {when("region", {eq("east")})});
  to_east.default_agent = "erin";
  Rule to_solo = rule("solo", "solo", {when("region", {eq("solo")})});
  Config c = config(agents({"ann", "dana", "sam", "eve", "erin", "olga", "otto"}),
                    {north, south, east, west, solo}, {to_north, to_east, to_solo}, {office()});
  c.reindex();
  return c;
}

}  // namespace

TEST_SUITE("core.sharing") {
  TEST_CASE("pools that share an agent are one group, named in sorted order") {
    const Config c = groups_config();
    const StateGroups groups(c);
    const std::vector<std::string> north_south = {"agent ann", "agent dana", "agent sam",
                                                  "pool north", "pool south"};
    CHECK(groups.names("north") == north_south);
    CHECK(groups.names("south") == north_south);
    // A rule's default agent ties its pool to wherever that agent works.
    const std::vector<std::string> east_west = {"agent erin", "agent eve", "pool east",
                                                "pool west"};
    CHECK(groups.names("east") == east_west);
    CHECK(groups.names("west") == east_west);
    // A pool's own default agent is in its group.
    CHECK(groups.names("solo") ==
          std::vector<std::string>{"agent olga", "agent otto", "pool solo"});
    CHECK(groups.names("nowhere").empty());
    CHECK_FALSE(groups.group("nowhere"));
    REQUIRE(groups.group("north"));
    CHECK(groups.group("north") == groups.group("south"));
    CHECK(groups.group("north") != groups.group("east"));
    CHECK(groups.names_of(*groups.group("east")) == east_west);
    CHECK(groups.largest() == 5);
  }

  TEST_CASE("fresh_pool is the pool route() uses for a pending lead") {
    const Config c = groups_config();
    Snapshot snapshot;
    LeadHistory history;
    router::util::Random random{7};
    for (const char* region : {"north", "east", "solo", "south"}) {
      CAPTURE(region);
      const Lead l = lead("L1", "web", {{"region", region}});
      const Pool* planned = fresh_pool(c, l);
      const Decision d = route(c, snapshot, l, history, RouteRequest::fresh(), k_now, random);
      if (planned) {
        REQUIRE(d.pool);
        CHECK(*d.pool == planned->name);
      } else {
        CHECK_FALSE(d.pool);  // no rule holds: the manual queue
      }
    }
    Lead unreadable = lead("L2", "web", {{"region", "north"}});
    unreadable.attributes_error = "not JSON";
    CHECK(fresh_pool(c, unreadable) == nullptr);
  }

  TEST_CASE("within: a decision is covered only when its pool and every agent chosen are held") {
    const Config c = groups_config();
    const StateGroups groups(c);
    const auto& names = groups.names("north");
    const std::set<std::string> held(names.begin(), names.end());
    Decision d;
    d.pool = "north";
    d.chosen = {"ann"};
    CHECK(within(d, held));
    d.chosen = {"ann", "eve"};
    CHECK_FALSE(within(d, held));
    d.chosen = {"dana"};
    d.pool = "east";
    CHECK_FALSE(within(d, held));
    d.pool.reset();
    d.chosen.clear();
    CHECK(within(d, held));  // the manual queue changes no pool's or agent's state
  }
}
