#pragma once
// `router report`: who got what in a period, claim times, outcomes, limits and the queue.
// Figures come from the `events` table (the audit trail is the source of truth); `open`,
// limit usage and the queue are the current state at `now`.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "store/database.hpp"
#include "store/report_store.hpp"
#include "util/clock.hpp"
#include "util/string_index.hpp"

namespace router::engine {

// The column a report groups by.
enum class GroupBy { agent, pool, rule, source };

// "agent", "pool", "rule", "source".
const char* to_string(GroupBy by);
// The plural used as the JSON key: "agents", "pools", "rules", "sources".
const char* plural(GroupBy by);
// Parses a --by value; nullopt when unknown.
std::optional<GroupBy> parse_group_by(std::string_view text);

// The figures of one group over the period.
struct Figures {
  std::int64_t offered = 0;          // `offered` events (one per agent for broadcast)
  std::int64_t claimed = 0;          // `claimed` events
  std::int64_t expired = 0;          // `expired` events
  std::int64_t declined = 0;         // `declined` events
  std::int64_t assigned = 0;         // leads that became owned: `claimed` + `assigned` events
  std::int64_t picked_up = 0;        // `picked_up` events
  std::int64_t open = 0;             // now: open offers + assigned leads (agents), else leads
  std::int64_t won = 0;              // `closed` events with detail.outcome "won"
  std::int64_t lost = 0;             // `closed` events with detail.outcome "lost"
  std::int64_t defaulted = 0;        // `assigned` events with reason default or exhausted
  std::int64_t queued = 0;           // `queued` events
  std::optional<double> close_rate;  // won / (won + lost); none without outcomes
  std::optional<double> median_claim_seconds;  // of detail.seconds_to_claim; none unclaimed
};

// An agent's limits and usage in one pool, at `now` in the pool's zone.
struct LimitUsage {
  std::string pool;
  int daily_limit = 0;  // 0 = no limit
  std::int64_t today = 0;
  int monthly_limit = 0;  // 0 = no limit
  std::int64_t month = 0;
};

// One group: its name (nullopt: events without a value in the grouping column).
struct ReportRow {
  std::optional<std::string> key;
  Figures figures;
  std::vector<LimitUsage> limits;  // agents only
};

// The queues now: manual (pool NULL) and per open pool.
struct QueueReport {
  std::int64_t depth = 0;
  std::optional<std::int64_t> oldest_seconds;  // none when the queue is empty
  std::vector<std::pair<std::string, std::int64_t>> pools;
};

// Notifications (SPEC §12): sent within the period, and waiting or failed now. Shown only
// when the configuration has notifications or deliveries exist.
struct NotificationReport {
  bool shown = false;
  std::int64_t sent = 0;
  std::int64_t pending = 0;  // pending or being sent
  std::int64_t failed = 0;
};

// A whole report. `agents` and `pools` are always filled; `groups` holds the rows of
// --by rule|source (empty otherwise).
struct Report {
  util::Time since;
  util::Time until;
  GroupBy by = GroupBy::agent;
  std::vector<ReportRow> agents;
  std::vector<ReportRow> pools;
  std::vector<ReportRow> groups;
  ReportRow total;
  QueueReport queue;
  NotificationReport notifications;
  // The rows of the --by grouping.
  const std::vector<ReportRow>& rows() const;
};

// What to report on.
struct ReportRequest {
  util::Time since;
  util::Time until;
  util::Time now;
  GroupBy by = GroupBy::agent;
  bool until_now = false;  // no --until: the period includes the second at `now`
};

// The start of the month holding `now` in `zone` (UTC when null): the default --since.
util::Time start_of_month(const util::Zone* zone, util::Time now);

// The median of `values` (reordered); the mean of the middle two for an even count.
std::optional<double> median(std::vector<std::int64_t>& values);

// The value of `"key": <integer>` in a compact JSON object; nullopt when absent.
std::optional<std::int64_t> detail_int(std::string_view detail, std::string_view key);
// The value of `"key": "<string>"` in a JSON object; nullopt when absent or not a string.
std::optional<std::string> detail_string(std::string_view detail, std::string_view key);

// What one event contributes to the figures, read once however many groupings count it.
struct EventFigure {
  // The figure an event type feeds; `none` for types the report does not count.
  enum class Kind {
    none,
    offered,
    claimed,
    expired,
    declined,
    assigned,
    picked_up,
    won,
    lost,
    closed_other,
    queued
  };
  Kind kind = Kind::none;
  std::optional<std::int64_t> claim_seconds;  // claimed: detail.seconds_to_claim
  bool defaulted = false;                     // assigned with reason default or exhausted
};

// Reads an event's type and detail into what it counts for.
EventFigure classify(const store::ReportEventRow& row);

// Counts streamed events into groups.
class Tally {
public:
  // Counts one event under `key` (nullopt: no value for the grouping column).
  void add(const std::optional<std::string_view>& key, const EventFigure& event);
  // Rows: `configured` names first in that order (even with nothing counted), then other
  // names seen in events or `open` sorted, then the nullopt group if it has any figure.
  // Fills close_rate, median_claim_seconds and open.
  std::vector<ReportRow> rows(const std::vector<std::string>& configured,
                              const std::vector<store::KeyCount>& open);
  // Every event counted, as one row with no key (open is left 0).
  ReportRow total();

private:
  struct Group {
    Figures figures;
    std::vector<std::int64_t> claim_seconds;
  };
  static void count(Group& g, const EventFigure& event);
  static ReportRow finish(std::optional<std::string> key, Group& g);
  // The group counted under `name`; null when none.
  Group* find(const std::string& name);

  util::StringIndex m_names;
  std::vector<Group> m_groups;  // by m_names' index
  Group m_none;
  Group m_all;
};

// Builds the report from the database in one read transaction.
Report build_report(store::Database& db, const core::Config& config, const ReportRequest& req);

}  // namespace router::engine
