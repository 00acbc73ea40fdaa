#include <cstdint>
#include <cstdio>
#include <vector>

#include <doctest/doctest.h>

#include "config/loader.hpp"
#include "config/model_codec.hpp"
#include "model_fields.hpp"
#include "util/zone.hpp"

namespace core = router::core;
namespace config = router::config;
using namespace std::chrono_literals;
using router::test::expect_populated;
using router::test::expect_same;

namespace {

const std::string k_pattern = "^[a-z]+@(example|test)\\.com$";

// The regex exactly as the loader compiles a `matches` pattern.
std::shared_ptr<const std::regex> loader_regex(const std::string& pattern) {
  const auto loaded = config::load_text("version: 1\nagents: [{id: tom}]\n"
                                        "pools: {p: {members: [tom]}}\n"
                                        "rules: [{name: r, pool: p, when: {email: {matches: '" +
                                            pattern + "'}}}]\n",
                                        "inline.yaml");
  REQUIRE(loaded.config);
  return loaded.config->rules[0].when[0].tests[0].regex;
}

core::Holiday holiday(int day) {
  core::Holiday h;
  h.date = date::year{2026} / 12 / day;
  h.every_year = date::month{1} / date::day{static_cast<unsigned>(day + 4)};
  h.name = "day " + std::to_string(day);
  h.hours = std::vector<core::TimeRange>{{540, 780}, {1320, 120}};
  h.where = {day, 7};
  return h;
}

core::WeeklyHours week(int start) {
  core::WeeklyHours w;
  for (std::size_t d = 0; d < 7; ++d) {
    w.days[d] = {{start + static_cast<int>(d), 1440}, {1380, 60}};
  }
  return w;
}

core::Test test(core::Op op, std::vector<std::string> values, double number) {
  return {op, std::move(values), number, nullptr, "", true};
}

// One condition per kind of test, every operator at least once. Values are given even where
// the loader leaves them empty, so that every field carries data through the codec.
std::vector<core::Condition> conditions() {
  core::Condition brand{"brand", {}, {3, 9}};
  brand.tests = {test(core::Op::equals, {"Toyota"}, 0), test(core::Op::any_of, {"a", "b"}, 0),
                 test(core::Op::none_of, {"c"}, 0)};
  core::Condition budget{"budget", {}, {4, 9}};
  for (const core::Op op : {core::Op::gt, core::Op::gte, core::Op::lt, core::Op::lte}) {
    budget.tests.push_back(test(op, {"unused"}, 1234.5 + static_cast<int>(op)));
  }
  core::Condition email{"email", {}, {5, 9}};
  email.tests.push_back({core::Op::matches, {"x"}, 0, loader_regex(k_pattern), k_pattern, true});
  email.tests.push_back({core::Op::exists, {"y"}, 0, nullptr, "", false});
  return {brand, budget, email};
}

// Every optional set, every list filled, no value left at its default.
core::Config full_config() {
  core::Config c;
  c.version = 7;
  c.timezone = "Europe/Paris";
  c.zone = router::util::zone_by_name("Europe/Paris");
  c.database = "/var/lib/router/r.db";
  c.agents = {{"tom", "Tom Baker", "tom@example.com", {"toyota", "used"}, 2.5, {6, 5}},
              {"jane", "Jane", "jane@example.com", {"lexus"}, 0.125, {12, 5}}};
  c.calendars = {{"uk", {holiday(25), holiday(26)}, {20, 3}}};
  c.schedules = {{"office",
                  "Europe/London",
                  router::util::zone_by_name("Europe/London"),
                  week(540),
                  {"uk"},
                  {holiday(25), holiday(26)},
                  {30, 3}}};
  core::Pool pool;
  pool.name = "sales";
  pool.strategy = core::Strategy::weighted_random;
  pool.members = {{"tom", 10, 150, week(600), {41, 9}}, {"jane", 3, 30, week(0), {42, 9}}};
  pool.default_agent = "jane";
  pool.claim_timeout = 15min;
  pool.max_offers = 3;
  pool.on_exhausted = core::OnExhausted::queue;
  pool.schedule = "office";
  pool.require_online = true;
  pool.stale_after = 48h;
  pool.pickup = core::Pickup{conditions(), {50, 5}};
  pool.window = 14 * 24h;
  pool.where = {38, 3};
  c.pools = {pool};
  core::Rule rule{"web",   conditions(), {"toyota"}, "office",
                  "sales", 10min,        2,          core::OnExhausted::default_agent,
                  "tom",   {60, 5}};
  c.rules = {rule};
  c.owner_match = core::OwnerMatch{{"email", "phone"}, 90 * 24h, {70, 1}};
  // Both rules' optionals are set, though the loader sets one: every field carries data.
  c.notifications = core::Notifications{
      "/usr/lib/sendmail",
      "Leads <leads@example.com>",
      45s,
      36h,
      {5, 20s, 2h, {82, 3}},
      {{"crm",
        "https://crm.example.com/hook",
        "CRM_SECRET",
        "/etc/router/crm.key",
        7s,
        {{"Authorization", "Bearer x"}, {"X-Team", "sales"}},
        {84, 5}}},
      {{{"offered", "assigned"}, "agent", "crm", "New lead {{lead}}", "Claim {{lead}}", {90, 7}},
       {{"all"}, "ops@example.com", "crm", "s", "b", {95, 7}}},
      {80, 1}};
  c.reindex();
  return c;
}

std::string encoded(const core::Config& c) {
  config::ByteWriter w;
  config::encode(w, c);
  return w.take();
}

core::Config decoded(const std::string& bytes) {
  config::ByteReader r(bytes);
  auto c = config::decode_config(r);
  CHECK(r.at_end());
  return c;
}

}  // namespace

TEST_SUITE("config.model_codec") {
  TEST_CASE("the fixture fills every field of the model") {
    expect_populated(full_config(), "config");
  }

  TEST_CASE("a fully populated configuration survives encoding field by field") {
    const core::Config original = full_config();
    const core::Config copy = decoded(encoded(original));
    expect_same(copy, original, "config");
    // Rebuilt, not copied: the indexes answer, the regex matches as the loader's does.
    REQUIRE(copy.find_agent("jane") != nullptr);
    CHECK(copy.find_agent("jane")->weight == 0.125);
    CHECK(copy.find_pool("sales") == &copy.pools[0]);
    CHECK(copy.find_schedule("office")->zone->name() == "Europe/London");
    CHECK(copy.find_rule("web")->pool == "sales");
    const auto& regex = *copy.rules[0].when[2].tests[0].regex;
    CHECK(std::regex_search("TOM@Example.COM", regex));
    CHECK_FALSE(std::regex_search("tom@example.org", regex));
  }

  TEST_CASE("a time zone is re-resolved by its canonical name") {
    core::Config c = full_config();
    c.zone =
        router::util::zone_by_name("US/Eastern");  // a link, or a copy, depending on the tz build
    // Read from its own file (util/zone.hpp).
    const router::util::Zone* zone = decoded(encoded(c)).zone;
    REQUIRE(zone != nullptr);
    CHECK(zone->name() == c.zone->name());
    CHECK(zone == router::util::zone_by_name("US/Eastern"));
    const auto july = date::sys_days{date::year{2026} / 7 / 1};
    CHECK(zone->get_info(july).offset == c.zone->get_info(july).offset);
    c.zone = nullptr;
    CHECK(decoded(encoded(c)).zone == nullptr);
  }

  TEST_CASE("the encoding of the fixture is pinned to the format version") {
    // This fails when the model or its encoding changes. Then: encode the new field in
    // config/model_codec.cpp, fill it in full_config() above, bump k_cache_format, and put
    // the new format and the hash printed here into this table.
    const std::string bytes = encoded(full_config());
    char hash[32];
    std::snprintf(hash, sizeof hash, "0x%016llx",
                  static_cast<unsigned long long>(config::hash64(bytes)));
    INFO("hash64 = " << hash << ", size = " << bytes.size());
    CHECK(config::k_cache_format == 5);  // 5 stores the indexes (std::hash of this platform)
    CHECK(bytes.size() == 2331);
    CHECK(config::hash64(bytes) == 0x1600257be3b48970ULL);
  }

  TEST_CASE("the indexes are stored, and rebuilt when the stored ones do not fit") {
    const core::Config original = full_config();
    const core::Config copy = decoded(encoded(original));
    CHECK(copy.indexes().agents.slots() == original.indexes().agents.slots());
    CHECK(copy.indexes().rules.slots() == original.indexes().rules.slots());
    CHECK(copy.indexes().member_agents == original.indexes().member_agents);
    // Taken back as stored, not rebuilt: an index that fits but finds nothing stays so.
    core::Config blind = full_config();
    core::ConfigIndexes none = blind.indexes();
    none.agents = core::NameIndex::from_slots(
        std::vector<std::uint32_t>(none.agents.slots().size(), 0));
    REQUIRE(blind.restore(std::move(none)));
    CHECK(decoded(encoded(blind)).find_agent("jane") == nullptr);
    // A model changed since its indexes were built stores ones that do not fit (three
    // agents need twice the slots of two): decoding builds them again.
    core::Config unindexed = full_config();
    unindexed.agents.push_back(unindexed.agents[0]);
    unindexed.agents.back().id = "zed";
    const core::Config rebuilt = decoded(encoded(unindexed));
    REQUIRE(rebuilt.find_agent("zed") != nullptr);
    CHECK(rebuilt.find_agent("zed") == &rebuilt.agents.back());
    CHECK(rebuilt.find_pool("sales") == &rebuilt.pools[0]);
  }

  TEST_CASE("every truncation of an encoded model is refused") {
    const std::string bytes = encoded(full_config());
    for (std::size_t n = 0; n < bytes.size(); n += 7) {
      config::ByteReader r(std::string_view(bytes).substr(0, n));
      CHECK_THROWS_AS(config::decode_config(r), config::DecodeError);
    }
  }

  TEST_CASE("an unknown zone, a bad regex or an out-of-range value is refused") {
    const auto refused = [](core::Config c) {
      const std::string bytes = encoded(c);
      config::ByteReader reader(bytes);
      CHECK_THROWS_AS(config::decode_config(reader), config::DecodeError);
    };
    core::Config bad_regex = full_config();
    bad_regex.rules[0].when[2].tests[0].pattern = "([a-z";
    refused(bad_regex);

    // A zone name the tz database lacks: same length as the real one, patched in the bytes.
    std::string bytes = encoded(full_config());
    const auto at = bytes.find("Europe/London", bytes.find("Europe/London") + 1);
    REQUIRE(at != std::string::npos);
    bytes.replace(at, 13, "Europe/Lxndon");
    config::ByteReader zone(bytes);
    CHECK_THROWS_WITH_AS(config::decode_config(zone), "unknown time zone 'Europe/Lxndon'",
                         config::DecodeError);

    core::Config bad_date = full_config();
    bad_date.calendars[0].days[0].date = date::year{2026} / 2 / 30;
    refused(bad_date);
  }

  TEST_CASE("integers, doubles and strings round-trip through the byte writer") {
    config::ByteWriter w;
    w.u8(255);
    w.i32(-5);
    w.u64(0x0102030405060708ULL);
    w.f64(-0.1);
    w.str("héllo");
    w.str("");
    const std::string bytes = w.take();
    CHECK(bytes.substr(5, 8) == std::string("\x08\x07\x06\x05\x04\x03\x02\x01", 8));
    config::ByteReader r(bytes);
    CHECK(r.u8() == 255);
    CHECK(r.i32() == -5);
    CHECK(r.u64() == 0x0102030405060708ULL);
    CHECK(r.f64() == -0.1);
    CHECK(r.str() == "héllo");
    CHECK(r.str().empty());
    CHECK(r.at_end());
    CHECK_THROWS_AS(r.u8(), config::DecodeError);
  }

  TEST_CASE("a list count larger than the data left is refused before allocating") {
    config::ByteWriter w;
    w.u32(1000000);
    const std::string bytes = w.take();
    config::ByteReader r(bytes);
    CHECK_THROWS_AS(r.count(), config::DecodeError);
  }

  TEST_CASE("the hash depends on every byte, the length and the seed") {
    const std::string text(1000, 'x');
    const auto h = config::hash64(text);
    CHECK(config::hash64(text) == h);
    for (std::size_t i = 0; i < text.size(); i += 37) {
      std::string changed = text;
      changed[i] = 'y';
      CHECK(config::hash64(changed) != h);
    }
    CHECK(config::hash64(text.substr(0, 999)) != h);
    CHECK(config::hash64(text, 1) != h);
    CHECK(config::hash64("") != config::hash64(std::string(1, '\0')));
  }

  TEST_CASE("hashing in pieces gives the hash of the whole, however the bytes are split") {
    std::string text;
    for (int i = 0; i < 300; ++i) {
      text.push_back(static_cast<char>((i * 131 + 7) % 256));
    }
    for (const std::uint64_t seed : {std::uint64_t{0}, std::uint64_t{42}}) {
      const auto whole = config::hash64(text, seed);
      // Every split point into two pieces.
      for (std::size_t cut = 0; cut <= text.size(); ++cut) {
        config::Hash64 h(seed);
        h.update(std::string_view(text).substr(0, cut));
        h.update(std::string_view(text).substr(cut));
        CHECK(h.finish() == whole);
      }
      // Pieces of every size from 1 to 70 bytes, with empty pieces between.
      for (std::size_t piece = 1; piece <= 70; ++piece) {
        config::Hash64 h(seed);
        for (std::size_t at = 0; at < text.size(); at += piece) {
          h.update(std::string_view(text).substr(at, piece));
          h.update({});
        }
        CHECK(h.finish() == whole);
      }
    }
    CHECK(config::Hash64().finish() == config::hash64(""));
  }
}
