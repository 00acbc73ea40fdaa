#include "config/build_model.hpp"

#include <climits>
#include <unordered_map>

#include "config/build_hours.hpp"
#include "config/build_notifications.hpp"
#include "config/build_pools.hpp"
#include "core/syntax.hpp"
#include "util/strings.hpp"
#include "util/zone.hpp"

namespace router::config {
namespace {

const std::vector<std::string> k_top_keys = {"version",     "timezone",     "database", "agents",
                                             "calendars",   "schedules",    "pools",    "rules",
                                             "owner_match", "notifications"};
const std::vector<std::string> k_agent_keys = {"id", "name", "email", "tags", "weight"};
const std::vector<std::string> k_holiday_keys = {"date", "every_year", "name", "hours"};
const std::vector<std::string> k_schedule_keys = {"timezone", "hours", "holidays"};
const std::vector<std::string> k_owner_match_keys = {"keys", "within"};

bool valid_agent_id(const std::string& id) {
  if (id.empty()) {
    return false;
  }
  for (const char c : id) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) {
      return false;
    }
  }
  return true;
}

void read_agent(const YAML::Node& item, Built& built,
                std::unordered_map<std::string, core::Location>& seen, Sink& sink) {
  core::Agent agent;
  agent.where = location_of(item);
  core::Location id_at = agent.where;
  if (item.IsScalar()) {
    agent.id = item.Scalar();
  } else if (item.IsMap()) {
    const Mapping m(item, &k_agent_keys, "in an agent", sink);
    const Field* id = m.get("id");
    if (!id) {
      sink.error(agent.where, "an agent needs an 'id'");
      return;
    }
    id_at = id->value_at();
    agent.id = read_string(*id, sink).value_or("");
    if (const Field* f = m.get("name")) {
      agent.name = read_string(*f, sink).value_or("");
    }
    if (const Field* f = m.get("email")) {
      agent.email = read_string(*f, sink).value_or("");
    }
    if (const Field* f = m.get("tags")) {
      for (const Item& tag : read_list(*f, sink).value_or(std::vector<Item>{})) {
        agent.tags.push_back(util::to_lower(tag.text));
      }
    }
    if (const Field* f = m.get("weight")) {
      agent.weight = read_number(*f, true, sink).value_or(1.0);
    }
  } else {
    sink.error(agent.where, "an agent must be a mapping with an 'id' (or a plain agent id)");
    return;
  }
  if (!valid_agent_id(agent.id)) {
    sink.error(id_at, "agent id '" + agent.id +
                          "' may only contain a-z, 0-9, '.', '_' and '-' (lower case)");
    built.invalid_agents.insert(agent.id);
  } else if (const auto [first, fresh] = seen.emplace(agent.id, id_at); !fresh) {
    sink.error(id_at,
               "duplicate agent id '" + agent.id + "' (first at " + describe(first->second) + ")");
    return;
  }
  built.config.agents.push_back(std::move(agent));
}

void read_agents(const Field& f, Built& built, Sink& sink) {
  if (f.value.IsNull()) {
    return;
  }
  if (!f.value.IsSequence()) {
    expect(f, "a list of agents", sink);
    return;
  }
  std::unordered_map<std::string, core::Location> seen;
  for (const auto& item : f.value) {
    read_agent(item, built, seen, sink);
  }
}

void read_holiday(const YAML::Node& item, const std::string& calendar, core::Calendar& out,
                  Sink& sink) {
  core::Holiday h;
  h.where = location_of(item);
  if (item.IsScalar()) {
    const auto d = core::parse_date(item.Scalar());
    if (!d) {
      sink.error(h.where, d.error);
      return;
    }
    h.date = d.value;
    out.days.push_back(std::move(h));
    return;
  }
  if (!item.IsMap()) {
    sink.error(h.where, "an entry of calendar '" + calendar +
                            "' must be a date or a mapping with 'date' or 'every_year'");
    return;
  }
  const Mapping m(item, &k_holiday_keys, "in calendar '" + calendar + "'", sink);
  const Field* date = m.get("date");
  const Field* yearly = m.get("every_year");
  if ((date == nullptr) == (yearly == nullptr)) {
    sink.error(h.where, date
                            ? "a calendar entry takes 'date' or 'every_year', not both"
                            : "a calendar entry needs 'date' (YYYY-MM-DD) or 'every_year' (MM-DD)");
    return;
  }
  if (const auto text = read_string(date ? *date : *yearly, sink)) {
    if (date) {
      const auto d = core::parse_date(*text);
      h.date = d.value;
      if (!d) {
        sink.error(date->value_at(), d.error);
      }
    } else {
      const auto md = core::parse_month_day(*text);
      h.every_year = md.value;
      if (!md) {
        sink.error(yearly->value_at(), md.error);
      }
    }
  }
  if (const Field* f = m.get("name")) {
    h.name = read_string(*f, sink).value_or("");
  }
  if (const Field* f = m.get("hours")) {
    h.hours = read_hours(*f, sink);
  }
  out.days.push_back(std::move(h));
}

void read_calendars(const Field& f, Built& built, Sink& sink) {
  if (f.value.IsNull()) {
    return;
  }
  if (!f.value.IsMap()) {
    expect(f, "a mapping of calendar names to lists of dates", sink);
    return;
  }
  const Mapping calendars(f.value, nullptr, "in 'calendars'", sink);
  for (const Field& c : calendars.fields()) {
    core::Calendar calendar{c.key, {}, c.key_at};
    if (c.value.IsSequence()) {
      for (const auto& item : c.value) {
        read_holiday(item, c.key, calendar, sink);
      }
    } else if (!c.value.IsNull()) {
      expect(c, "a list of dates", sink);
    }
    built.config.calendars.push_back(std::move(calendar));
  }
}

void read_schedule(const Field& s, Built& built, Sink& sink) {
  core::Schedule schedule;
  schedule.name = s.key;
  schedule.where = s.key_at;
  schedule.timezone = built.config.timezone;
  schedule.zone = built.config.zone;
  const std::string where = "in schedule '" + s.key + "'";
  if (!s.value.IsMap()) {
    expect(s, "a mapping with 'hours' (and 'timezone', 'holidays')", sink);
    return;
  }
  const Mapping m(s.value, &k_schedule_keys, where, sink);
  if (const Field* f = m.get("timezone")) {
    schedule.zone = read_zone(*f, sink);
    schedule.timezone = f->value.IsScalar() ? f->value.Scalar() : "";
  }
  const Field* hours = m.get("hours");
  if (hours) {
    if (auto week = read_weekly(*hours, where, sink)) {
      schedule.hours = std::move(*week);
      if (schedule.hours.empty()) {
        sink.error(hours->value_at(),
                   "schedule '" + s.key + "' has no hours: it would never be open");
      }
    }
  } else {
    sink.error(s.key_at, "schedule '" + s.key + "' has no 'hours': it would never be open");
  }
  if (const Field* f = m.get("holidays")) {
    const auto names = read_list(*f, sink);
    built.holidays_unread = built.holidays_unread || !names;
    for (const Item& name : names.value_or(std::vector<Item>{})) {
      schedule.calendars.push_back(name.text);
      built.references.push_back({Reference::Kind::calendar, name.text, name.at,
                                  "in the holidays of schedule '" + s.key + "'"});
    }
  }
  built.config.schedules.push_back(std::move(schedule));
}

void read_schedules(const Field& f, Built& built, Sink& sink) {
  if (f.value.IsNull()) {
    return;
  }
  if (!f.value.IsMap()) {
    expect(f, "a mapping of schedule names to hours", sink);
    return;
  }
  const Mapping schedules(f.value, nullptr, "in 'schedules'", sink);
  for (const Field& s : schedules.fields()) {
    read_schedule(s, built, sink);
  }
}

void read_owner_match(const Field& f, Built& built, Sink& sink) {
  if (!f.value.IsMap()) {
    expect(f, "a mapping with 'keys' and 'within'", sink);
    return;
  }
  core::OwnerMatch om;
  om.where = f.key_at;
  const Mapping m(f.value, &k_owner_match_keys, "in 'owner_match'", sink);
  const Field* keys = m.get("keys");
  bool unread = false;  // already reported: `keys: email`
  if (keys) {
    const auto items = read_list(*keys, sink);
    unread = !items;
    for (const Item& key : items.value_or(std::vector<Item>{})) {
      om.keys.push_back(key.text);
    }
  }
  if (om.keys.empty() && !unread) {
    sink.error(keys ? keys->value_at() : f.key_at,
               "'owner_match' needs 'keys': the lead attributes to match, such as [email, phone]");
  }
  if (const Field* within = m.get("within")) {
    om.within = read_duration(*within, sink).value_or(om.within);
  }
  built.config.owner_match = std::move(om);
}

void read_top(const Mapping& top, const std::filesystem::path& file, Built& built, Sink& sink) {
  if (const Field* f = top.get("version")) {
    if (const auto v = read_integer(*f, LLONG_MIN, sink); v && *v != 1) {
      sink.error(f->value_at(), "'version' must be 1, not " + std::to_string(*v) +
                                    " (this router knows configuration version 1 only)");
    }
  }
  if (const Field* f = top.get("timezone")) {
    built.config.zone = read_zone(*f, sink);
    built.config.timezone = f->value.IsScalar() ? f->value.Scalar() : "";
  } else {
    built.config.zone = util::zone_by_name("UTC");
  }
  std::filesystem::path db = "router.db";
  if (const Field* f = top.get("database")) {
    const auto text = read_string(*f, sink);
    if (text && text->empty()) {
      expect(*f, "a file name", sink);
    } else if (text) {
      db = *text;
    }
  }
  // A PostgreSQL URI (store/pg_connection.hpp) is used as written; a file name is relative to
  // the configuration's folder.
  const std::string& name = db.native();
  const bool uri = name.rfind("postgresql://", 0) == 0 || name.rfind("postgres://", 0) == 0;
  built.config.database =
      uri || db.is_absolute() ? db.string() : (file.parent_path() / db).string();
}

}  // namespace

const util::Zone* read_zone(const Field& f, Sink& sink) {
  const auto name = read_string(f, sink);
  if (!name) {
    return nullptr;
  }
  try {
    return util::zone_by_name(*name);
  } catch (const util::UnknownZone&) {
    sink.error(f.value_at(), "unknown time zone '" + *name + "'" +
                                 util::did_you_mean(*name, util::zone_names()) +
                                 "; use an IANA name such as Europe/London");
  } catch (const util::ZoneError& e) {
    sink.error(f.value_at(), e.what());
  }
  return nullptr;
}

Built build_model(const YAML::Node& root, const std::filesystem::path& file, Sink& sink) {
  Built built;
  if (!root.IsMap()) {
    sink.error(location_of(root), "the configuration must be a mapping with keys such as "
                                  "version, agents, pools and rules");
    return built;
  }
  // Top-level keys starting with x- hold anchors for `<<` merges (x-pool-defaults: &defaults).
  const Mapping top(root, &k_top_keys, "at the top level", sink, Mapping::Extensions::ignored);
  read_top(top, file, built, sink);
  if (const Field* f = top.get("agents")) {
    read_agents(*f, built, sink);
  }
  if (const Field* f = top.get("calendars")) {
    read_calendars(*f, built, sink);
  }
  if (const Field* f = top.get("schedules")) {
    read_schedules(*f, built, sink);
  }
  if (const Field* f = top.get("pools")) {
    read_pools(*f, built, sink);
  }
  if (const Field* f = top.get("rules")) {
    read_rules(*f, built, sink);
  }
  if (const Field* f = top.get("owner_match")) {
    read_owner_match(*f, built, sink);
  }
  if (const Field* f = top.get("notifications")) {
    read_notifications(*f, built, sink);
  }
  return built;
}

}  // namespace router::config
