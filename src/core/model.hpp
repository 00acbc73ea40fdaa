#pragma once
// The validated configuration as plain values: agents, calendars, schedules, pools, rules.
// Built by config/ from YAML; read by the core decisions and the engine. No I/O here.
// The configuration cache stores this model in binary (config/model_codec.cpp). Rule: change
// a type in this file → encode the change there and bump config::k_cache_format. The codec's
// structured bindings stop the build on a new field, and tests/unit/config/test_model_codec.cpp
// pins the encoding to the format number.

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <date/date.h>

#include "util/zone.hpp"

namespace router::core {

// A point in time, whole seconds, UTC.
using Time = std::chrono::sys_seconds;
// A length of time, whole seconds.
using Duration = std::chrono::seconds;

// Where a value came from in the configuration file (1-based; 0 = unknown).
struct Location {
  int line = 0;
  int column = 0;
};

// A span of local time within a day, in minutes since midnight. end may be 1440 (24:00).
// end <= start means the range crosses midnight and ends on the next day.
struct TimeRange {
  int start = 0;
  int end = 0;
  // True when the range ends on the following day.
  bool crosses_midnight() const { return end <= start; }
  bool operator==(const TimeRange&) const = default;
};

// Opening hours per weekday; index 0 = Monday ... 6 = Sunday (ISO order). A range that
// crosses midnight belongs to the day it starts on.
struct WeeklyHours {
  std::array<std::vector<TimeRange>, 7> days;
  // True when no day has any range.
  bool empty() const;
};

// One entry of a holiday calendar: a date or a yearly date, closed all day or with
// special hours instead of the usual ones.
struct Holiday {
  std::optional<date::year_month_day> date;     // a single date
  std::optional<date::month_day> every_year;    // a recurring date
  std::string name;                             // optional label
  std::optional<std::vector<TimeRange>> hours;  // special hours; nullopt = closed all day
  Location where;
};

// A named holiday calendar.
struct Calendar {
  std::string name;
  std::vector<Holiday> days;
  Location where;
};

// Working hours in a time zone, with the holidays of its calendars flattened in.
struct Schedule {
  std::string name;
  std::string timezone;              // IANA name
  const util::Zone* zone = nullptr;  // resolved from the tz database
  WeeklyHours hours;
  std::vector<std::string> calendars;  // names, as configured
  std::vector<Holiday> holidays;       // every entry of those calendars
  Location where;
};

// A person who can receive leads.
struct Agent {
  std::string id;  // [a-z0-9._-]+
  std::string name;
  std::string email;
  std::vector<std::string> tags;  // lower case
  double weight = 1.0;            // for weighted_random, > 0
  Location where;
};

// One operator test on a lead field.
enum class Op {
  equals,   // scalar value: equal, ignoring case
  any_of,   // list value or `in`: equal to one of
  none_of,  // `not`: equal to none of
  gt,
  gte,
  lt,
  lte,      // numeric comparisons; a non-numeric field fails them
  matches,  // `matches`: regular expression search, ignoring case
  exists,   // `exists: true|false`
};

// A single test: operator and operand.
struct Test {
  Op op = Op::equals;
  std::vector<std::string> values;          // equals, any_of, none_of (as written)
  double number = 0;                        // gt, gte, lt, lte
  std::shared_ptr<const std::regex> regex;  // matches (compiled icase)
  std::string pattern;                      // matches, as written
  bool exists = true;                       // exists
};

// "field satisfies every test", one entry of a `when` mapping.
struct Condition {
  std::string field;
  std::vector<Test> tests;
  Location where;
};

// How a pool chooses among eligible members.
enum class Strategy {
  round_robin,
  random,
  weighted_random,
  least_active,
  least_pending,
  best_close_rate,
  top_score,
  least_recent,
  broadcast,
  open_pool,
};

// What happens after the last offer of a pool expires unclaimed.
enum class OnExhausted { default_agent, queue };

// An agent's membership in a pool, with its own limits and shifts.
struct Member {
  std::string agent;
  int daily_limit = 0;                // 0 = no limit
  int monthly_limit = 0;              // 0 = no limit
  std::optional<WeeklyHours> shifts;  // only on duty then; nullopt = always
  Location where;
};

// Members may pull matching leads from the manual queue.
struct Pickup {
  std::vector<Condition> when;
  Location where;
};

// A group of agents with a distribution strategy and its settings.
struct Pool {
  std::string name;
  Strategy strategy = Strategy::round_robin;
  std::vector<Member> members;
  std::optional<std::string> default_agent;
  std::optional<Duration> claim_timeout;  // nullopt: assign directly
  std::optional<int> max_offers;          // nullopt: one per member
  OnExhausted on_exhausted = OnExhausted::default_agent;
  std::optional<std::string> schedule;  // claim clock and limit periods
  bool require_online = false;
  std::optional<Duration> stale_after;
  std::optional<Pickup> pickup;
  Duration window = std::chrono::hours{24 * 7};  // best_close_rate look-back
  Location where;
};

// "Leads that look like this go to that pool". Overrides replace the pool's settings.
struct Rule {
  std::string name;
  std::vector<Condition> when;
  std::vector<std::string> requires_tags;  // `requires`, lower case
  std::optional<std::string> during;       // schedule that must be open
  std::string pool;
  std::optional<Duration> claim_timeout;
  std::optional<int> max_offers;
  std::optional<OnExhausted> on_exhausted;
  std::optional<std::string> default_agent;
  Location where;
};

// Repeat contacts go back to the owner of their earlier lead.
struct OwnerMatch {
  std::vector<std::string> keys;  // attribute names; email and phone are normalised
  Duration within = std::chrono::hours{24 * 180};
  Location where;
};

// How failed deliveries are retried: attempt n waits about first * 2^(n-1), at most `max`,
// with jitter; after `attempts` tries in all the delivery is marked failed.
struct RetryPolicy {
  int attempts = 8;
  Duration first = std::chrono::seconds{30};
  Duration max = std::chrono::hours{1};
  Location where;
};

// An HTTP endpoint that receives events as JSON (SPEC §12). The signing secret is read at
// delivery time from the environment or a file, never stored in the configuration.
struct Webhook {
  std::string name;
  std::string url;                                           // http:// or https://
  std::optional<std::string> secret_env;                     // variable holding the secret
  std::optional<std::string> secret_file;                    // file holding the secret
  Duration timeout = std::chrono::seconds{10};               // whole request
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, as written
  Location where;
};

// "Events of these types go there": by email (to the event's agent or a fixed address)
// or to a webhook. Exactly one of email and webhook is set.
struct NotificationRule {
  std::vector<std::string> events;     // event types; "all" matches every type
  std::optional<std::string> email;    // "agent" or an address
  std::optional<std::string> webhook;  // a name in Notifications::webhooks
  std::string subject;                 // Mustache templates (email only); defaults
  std::string body;                    //   are filled in by config/
  Location where;
};

// The `notifications:` section.
struct Notifications {
  std::string sendmail = "/usr/sbin/sendmail";  // called as `sendmail -t -i`
  std::string from;                             // From: header; required for email rules
  Duration sendmail_timeout = std::chrono::seconds{30};
  Duration max_age = std::chrono::hours{24};  // older events are not delivered
  RetryPolicy retry;
  std::vector<Webhook> webhooks;
  std::vector<NotificationRule> rules;
  Location where;

  // The webhook named `name`; nullptr when absent.
  const Webhook* find_webhook(const std::string& name) const;
};

// Positions in a vector of named items, by name: open addressing over the items' indexes, so
// building it allocates once and copies no name (a cached configuration of 2,000 agents and
// 500 rules is indexed on every run). A copy stays valid for a copy of the same vector.
class NameIndex {
public:
  // Indexes names[i] for every i; of equal names the first is kept.
  void build(const std::vector<std::string_view>& names);
  // The index i of the item named `key`, or npos. `is_named(i, key)` tells whether item i
  // (which may no longer exist) is named `key`: a slot is confirmed against the item itself.
  template <typename IsNamed> std::size_t find(std::string_view key, IsNamed is_named) const {
    if (m_slots.empty()) {
      return npos;
    }
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t at = std::hash<std::string_view>{}(key)&mask;; at = (at + 1) & mask) {
      const std::uint32_t slot = m_slots[at];
      if (slot == 0) {
        return npos;
      }
      if (is_named(std::size_t{slot} - 1, key)) {
        return slot - 1;
      }
    }
  }
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  // The slots, as build() laid them out for the hash of this binary (std::hash), so that the
  // configuration cache can store them (config/model_codec.cpp).
  const std::vector<std::uint32_t>& slots() const { return m_slots; }
  // An index made of stored slots, as they are: Config::restore checks that they fit. Only
  // the binary that stored them may restore them: another one may hash differently.
  static NameIndex from_slots(std::vector<std::uint32_t> slots);
  // True when the slots could be build()'s for `items` names: the size build() gives that
  // many, and no slot past them.
  bool fits(std::size_t items) const;

private:
  std::vector<std::uint32_t> m_slots;  // 0 = empty, else index + 1; at most half full
};

// What Config::reindex() builds from the vectors: the name indexes, and for each pool member
// the position of its agent (agents.size() when there is none).
struct ConfigIndexes {
  std::vector<std::vector<std::size_t>> member_agents;
  NameIndex agents;
  NameIndex pools;
  NameIndex schedules;
  NameIndex rules;
};

// The whole validated configuration.
struct Config {
  int version = 1;
  std::string timezone = "UTC";
  const util::Zone* zone = nullptr;
  std::string database;  // as resolved against the config file's folder
  std::vector<Agent> agents;
  std::vector<Calendar> calendars;
  std::vector<Schedule> schedules;
  std::vector<Pool> pools;
  std::vector<Rule> rules;
  std::optional<OwnerMatch> owner_match;
  std::optional<Notifications> notifications;
  // The YAML text this model was built from and a 64-bit hash of it (config::hash64), so
  // a decision trail can name the configuration it was made under. Empty for a model built
  // by hand. A view: source_owner keeps its bytes alive (the text loaded, or the mapped cache
  // entry, so that a cache hit does not copy a large text it rarely needs).
  std::string_view source_text;
  std::shared_ptr<const void> source_owner;
  std::uint64_t source_hash = 0;

  // Rebuilds the name indexes below; call after filling or changing the vectors.
  void reindex();
  // The indexes reindex() built, and the same taken back instead of rebuilding them (for the
  // configuration cache: a hit of 2,000 agents would hash every name again). restore()
  // checks that they fit these vectors (sizes, positions in range) and returns false,
  // changing nothing, when they do not. Lookups confirm every position against the item's
  // own name, so an index that fits but was built for other names finds too little, never
  // the wrong item.
  const ConfigIndexes& indexes() const { return m_indexes; }
  bool restore(ConfigIndexes indexes);
  // Lookups by id or name; nullptr when absent.
  const Agent* find_agent(const std::string& id) const;
  const Pool* find_pool(const std::string& name) const;
  const Schedule* find_schedule(const std::string& name) const;
  const Rule* find_rule(const std::string& name) const;
  // The zone a pool's limits and claim clock follow: its schedule's, else the default.
  const util::Zone* pool_zone(const Pool& pool) const;
  // find_agent(pool.members[member].agent), without hashing when `pool` is one of `pools`
  // (eligibility asks this for every member of the pool for every lead).
  const Agent* member_agent(const Pool& pool, std::size_t member) const;

private:
  ConfigIndexes m_indexes;
};

// Names of the enum values as written in the configuration.
const char* to_string(Strategy s);
const char* to_string(OnExhausted o);
const char* to_string(Op o);
// Parses a strategy name; nullopt when unknown.
std::optional<Strategy> parse_strategy(const std::string& name);
// Every strategy name, for suggestions and documentation.
std::vector<std::string> strategy_names();

}  // namespace router::core
