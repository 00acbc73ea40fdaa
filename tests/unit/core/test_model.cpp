#include <doctest/doctest.h>
#include <string>

#include "fixtures.hpp"

using namespace router::core;
using namespace router::core::fixtures;

namespace {

Config two_pools() {
  Config c;
  c.agents = {agent("ann"), agent("bob"), agent("cy")};
  c.pools = {pool("sales", Strategy::round_robin, {"bob", "ann", "ghost"}),
             pool("used", Strategy::random, {"cy"})};
  c.reindex();
  return c;
}

}  // namespace

TEST_SUITE("core.model") {
  TEST_CASE("a member's agent is the one find_agent gives") {
    const Config c = two_pools();
    const Pool& sales = c.pools[0];
    CHECK(c.member_agent(sales, 0) == c.find_agent("bob"));
    CHECK(c.member_agent(sales, 1) == c.find_agent("ann"));
    CHECK(c.member_agent(sales, 2) == nullptr);  // not a defined agent
    CHECK(c.member_agent(c.pools[1], 0) == c.find_agent("cy"));
    CHECK_THROWS(c.member_agent(sales, 3));
  }

  TEST_CASE("a copied config answers from its own agents") {
    const Config original = two_pools();
    const Config copy = original;
    CHECK(copy.member_agent(copy.pools[0], 1) == &copy.agents[0]);
    CHECK(copy.member_agent(original.pools[0], 1) == &copy.agents[0]);  // a pool from elsewhere
  }

  TEST_CASE("members changed after reindex are still looked up correctly") {
    Config c = two_pools();
    c.pools[0].members[0].agent = "cy";  // no reindex
    c.pools[0].members.push_back(member("bob"));
    CHECK(c.member_agent(c.pools[0], 0) == c.find_agent("cy"));
    CHECK(c.member_agent(c.pools[0], 3) == c.find_agent("bob"));
  }

  TEST_CASE("a pool that is not part of the config is looked up by name") {
    const Config c = two_pools();
    const Pool loose = pool("loose", Strategy::round_robin, {"cy", "nobody"});
    CHECK(c.member_agent(loose, 0) == c.find_agent("cy"));
    CHECK(c.member_agent(loose, 1) == nullptr);
  }

  TEST_CASE("every name is found by find_*, and nothing else") {
    Config c;
    for (int i = 0; i < 300; ++i) {
      c.agents.push_back(agent("a" + std::to_string(i)));
    }
    c.pools = {pool("sales", Strategy::round_robin, {"a1"}), pool("used", Strategy::random, {})};
    c.reindex();
    for (int i = 0; i < 300; ++i) {
      const std::string id = "a" + std::to_string(i);
      REQUIRE(c.find_agent(id) == &c.agents[static_cast<std::size_t>(i)]);
    }
    CHECK(c.find_agent("a300") == nullptr);
    CHECK(c.find_agent("") == nullptr);
    CHECK(c.find_pool("used") == &c.pools[1]);
    CHECK(c.find_pool("a1") == nullptr);  // an agent's name is not a pool's
    CHECK(c.find_rule("sales") == nullptr);
    CHECK(c.find_schedule("sales") == nullptr);
  }

  TEST_CASE("of two items with one name, the first is found") {
    Config c;
    c.agents = {agent("ann"), agent("bob"), agent("ann")};
    c.reindex();
    CHECK(c.find_agent("ann") == &c.agents[0]);
    CHECK(c.find_agent("bob") == &c.agents[1]);
  }

  TEST_CASE("restored indexes answer as the built ones do") {
    const Config built = two_pools();
    Config c = built;
    c.reindex();  // a copy answers as it is; restore must replace what it holds
    ConfigIndexes again;
    again.agents = NameIndex::from_slots(built.indexes().agents.slots());
    again.pools = NameIndex::from_slots(built.indexes().pools.slots());
    again.member_agents = built.indexes().member_agents;
    REQUIRE(c.restore(std::move(again)));
    CHECK(c.find_agent("cy") == &c.agents[2]);
    CHECK(c.find_pool("used") == &c.pools[1]);
    CHECK(c.member_agent(c.pools[0], 1) == &c.agents[0]);
    CHECK(c.member_agent(c.pools[0], 2) == nullptr);  // "ghost": agents.size() restored
    CHECK(c.indexes().agents.slots() == built.indexes().agents.slots());
  }

  TEST_CASE("indexes that do not fit the vectors are refused, and nothing changes") {
    const Config built = two_pools();
    const auto refused = [&](auto change) {
      Config c = built;
      ConfigIndexes x = built.indexes();
      change(x);
      CHECK_FALSE(c.restore(std::move(x)));
      CHECK(c.find_agent("cy") == &c.agents[2]);
      CHECK(c.member_agent(c.pools[0], 1) == &c.agents[0]);
    };
    refused([](ConfigIndexes& x) { x.agents = NameIndex(); });  // slots for 3 agents missing
    refused([](ConfigIndexes& x) {
      auto slots = x.agents.slots();
      slots.push_back(0);  // not the size build() gives for 3 names
      x.agents = NameIndex::from_slots(slots);
    });
    refused([](ConfigIndexes& x) {
      auto slots = x.pools.slots();
      slots[0] = 3;  // a pool past the two there are
      x.pools = NameIndex::from_slots(slots);
    });
    refused([](ConfigIndexes& x) { x.member_agents.pop_back(); });
    refused([](ConfigIndexes& x) { x.member_agents[0].pop_back(); });
    refused([](ConfigIndexes& x) { x.member_agents[1][0] = 4; });  // past agents.size()
    CHECK(NameIndex().fits(0));
    CHECK_FALSE(NameIndex().fits(1));
    CHECK(built.indexes().agents.fits(3));
    CHECK_FALSE(built.indexes().agents.fits(5));  // 5 names need 16 slots, not 8
  }

  TEST_CASE("an index older than its vector never reads past it") {
    Config c = two_pools();
    c.agents.pop_back();  // "cy", without reindex
    CHECK(c.find_agent("cy") == nullptr);
    CHECK(c.find_agent("bob") == &c.agents[1]);
    const Config empty;
    CHECK(empty.find_agent("ann") == nullptr);
    CHECK(empty.find_pool("sales") == nullptr);
  }
}
