#include "config/model_codec.hpp"

#include <optional>
#include <regex>
#include <utility>

#include "config/conditions.hpp"
#include "util/zone.hpp"

namespace router::config {
namespace {

// Every struct below is taken apart with a structured binding that names all its fields, so
// a field added to core/model.hpp stops this file from compiling until it is encoded, decoded
// and k_cache_format is bumped. core::Config has private indexes (stored through indexes()
// and restore()) and cannot be bound; its size is checked instead, on the platform where the
// project is developed. (source_text and source_hash are not encoded: the cache sets them
// from the text the entry was checked against.)
#if defined(__GLIBCXX__) && !defined(_GLIBCXX_DEBUG) && UINTPTR_MAX == UINT64_MAX
static_assert(sizeof(core::Config) == 584,
              "core::Config changed: encode the new field in model_codec.cpp, bump "
              "k_cache_format, then update this size");
#endif

// Writes the model; class scope lets the overloads call each other in any order.
class Encoder {
public:
  explicit Encoder(ByteWriter& w) : m_w(w) {}

  void put(bool v) { m_w.u8(v ? 1 : 0); }
  void put(int v) { m_w.i32(v); }
  void put(double v) { m_w.f64(v); }
  void put(const std::string& s) { m_w.str(s); }
  void put(core::Duration d) { m_w.i64(d.count()); }
  template <typename E>
  requires std::is_enum_v<E>
  void put(E e) { m_w.u8(static_cast<std::uint8_t>(e)); }
  template <typename T> void put(const std::vector<T>& items) {
    m_w.u32(static_cast<std::uint32_t>(items.size()));
    for (const T& item : items) {
      put(item);
    }
  }
  template <typename T> void put(const std::optional<T>& v) {
    put(v.has_value());
    if (v) {
      put(*v);
    }
  }
  template <typename... T> void put_all(const T&... fields) { (put(fields), ...); }
  // A zone by its canonical name; decoding looks it up again.
  void put(const util::Zone* zone) {
    put(zone ? std::optional<std::string>(zone->name()) : std::nullopt);
  }
  void put(const date::year_month_day& d) {
    m_w.i32(static_cast<int>(d.year()));
    m_w.u8(static_cast<std::uint8_t>(static_cast<unsigned>(d.month())));
    m_w.u8(static_cast<std::uint8_t>(static_cast<unsigned>(d.day())));
  }
  void put(const date::month_day& d) {
    m_w.u8(static_cast<std::uint8_t>(static_cast<unsigned>(d.month())));
    m_w.u8(static_cast<std::uint8_t>(static_cast<unsigned>(d.day())));
  }
  void put(const core::Location& l) {
    const auto& [line, column] = l;
    put_all(line, column);
  }
  void put(const core::TimeRange& t) {
    const auto& [start, end] = t;
    put_all(start, end);
  }
  void put(const core::WeeklyHours& h) {
    const auto& [days] = h;
    for (const auto& day : days) {
      put(day);
    }
  }
  void put(const core::Holiday& h) {
    const auto& [date, every_year, name, hours, where] = h;
    put_all(date, every_year, name, hours, where);
  }
  void put(const core::Calendar& c) {
    const auto& [name, days, where] = c;
    put_all(name, days, where);
  }
  void put(const core::Schedule& s) {
    const auto& [name, timezone, zone, hours, calendars, holidays, where] = s;
    put_all(name, timezone, zone, hours, calendars, holidays, where);
  }
  void put(const core::Agent& a) {
    const auto& [id, name, email, tags, weight, where] = a;
    put_all(id, name, email, tags, weight, where);
  }
  void put(const core::Test& t) {
    // The compiled regex is rebuilt from the pattern.
    const auto& [op, values, number, regex, pattern, exists] = t;
    put_all(op, values, number);
    put(regex != nullptr);
    put_all(pattern, exists);
  }
  void put(const core::Condition& c) {
    const auto& [field, tests, where] = c;
    put_all(field, tests, where);
  }
  void put(const core::Member& m) {
    const auto& [agent, daily_limit, monthly_limit, shifts, where] = m;
    put_all(agent, daily_limit, monthly_limit, shifts, where);
  }
  void put(const core::Pickup& p) {
    const auto& [when, where] = p;
    put_all(when, where);
  }
  void put(const core::Pool& p) {
    const auto& [name, strategy, members, default_agent, claim_timeout, max_offers, on_exhausted,
                 schedule, require_online, stale_after, pickup, window, where] = p;
    put_all(name, strategy, members, default_agent, claim_timeout, max_offers, on_exhausted,
            schedule, require_online, stale_after, pickup, window, where);
  }
  void put(const core::Rule& r) {
    const auto& [name, when, requires_tags, during, pool, claim_timeout, max_offers, on_exhausted,
                 default_agent, where] = r;
    put_all(name, when, requires_tags, during, pool, claim_timeout, max_offers, on_exhausted,
            default_agent, where);
  }
  void put(const core::OwnerMatch& o) {
    const auto& [keys, within, where] = o;
    put_all(keys, within, where);
  }
  void put(const std::pair<std::string, std::string>& p) { put_all(p.first, p.second); }
  void put(const core::RetryPolicy& r) {
    const auto& [attempts, first, max, where] = r;
    put_all(attempts, first, max, where);
  }
  void put(const core::Webhook& w) {
    const auto& [name, url, secret_env, secret_file, timeout, headers, where] = w;
    put_all(name, url, secret_env, secret_file, timeout, headers, where);
  }
  void put(const core::NotificationRule& r) {
    const auto& [events, email, webhook, subject, body, where] = r;
    put_all(events, email, webhook, subject, body, where);
  }
  void put(const core::Notifications& n) {
    const auto& [sendmail, from, sendmail_timeout, max_age, retry, webhooks, rules, where] = n;
    put_all(sendmail, from, sendmail_timeout, max_age, retry, webhooks, rules, where);
  }
  void put(const core::Config& c) {
    put_all(c.version, c.timezone, c.zone, c.database, c.agents, c.calendars, c.schedules, c.pools,
            c.rules, c.owner_match, c.notifications);
    put(c.indexes());
  }
  // What reindex() built, as plain positions, so that a hit need not hash every name again.
  void put(const core::ConfigIndexes& x) {
    put_all(x.agents, x.pools, x.schedules, x.rules);
    m_w.u32(static_cast<std::uint32_t>(x.member_agents.size()));
    for (const auto& positions : x.member_agents) {
      put_positions(positions);
    }
  }
  void put(const core::NameIndex& index) { put_positions(index.slots()); }

private:
  template <typename T> void put_positions(const std::vector<T>& positions) {
    m_w.u32(static_cast<std::uint32_t>(positions.size()));
    for (const T p : positions) {
      m_w.u32(static_cast<std::uint32_t>(p));
    }
  }
  ByteWriter& m_w;
};

// Reads the model back in the order Encoder wrote it, checking every value's range.
class Decoder {
public:
  explicit Decoder(ByteReader& r) : m_r(r) {}

  void get(bool& v) {
    const auto b = m_r.u8();
    if (b > 1) {
      throw DecodeError("bad boolean");
    }
    v = b == 1;
  }
  void get(int& v) { v = m_r.i32(); }
  void get(double& v) { v = m_r.f64(); }
  // Into the string in place: no temporary, no allocation for a short one. Appended to the
  // emptied string rather than assigned: assign replaces through _M_replace, which allows for
  // a source inside the string itself, and cost 0.34 M instructions more for the 7,800
  // strings read here for the 2,000-agent model (callgrind).
  void get(std::string& s) {
    const std::string_view v = m_r.str_view();
    s.clear();
    s.append(v.data(), v.size());
  }
  void get(core::Duration& d) { d = core::Duration{m_r.i64()}; }
  void get(core::Op& e) { e = enum_value<core::Op>(core::Op::exists); }
  void get(core::Strategy& e) { e = enum_value<core::Strategy>(core::Strategy::open_pool); }
  void get(core::OnExhausted& e) { e = enum_value<core::OnExhausted>(core::OnExhausted::queue); }
  // Lists of strings (tags, condition values) are built from the views: resizing first
  // would construct every string empty only to assign it.
  void get(std::vector<std::string>& items) {
    const std::uint32_t n = m_r.count();
    items.clear();
    items.reserve(n);
    for (std::uint32_t i = 0; i < n; ++i) {
      items.emplace_back(m_r.str_view());
    }
  }
  template <typename T> void get(std::vector<T>& items) {
    items.resize(m_r.count());
    for (T& item : items) {
      get(item);
    }
  }
  template <typename T> void get(std::optional<T>& v) {
    bool present = false;
    get(present);
    v.reset();
    if (present) {
      get(v.emplace());
    }
  }
  template <typename... T> void get_all(T&... fields) { (get(fields), ...); }
  // The zone is looked up again by name (util/zone.hpp): its pointer is only valid in this
  // process.
  void get(const util::Zone*& zone) {
    bool present = false;
    get(present);
    zone = nullptr;
    if (present) {
      const std::string name = m_r.str();
      try {
        zone = util::zone_by_name(name);
      } catch (const std::exception&) {
        throw DecodeError("unknown time zone '" + name + "'");
      }
    }
  }
  void get(date::year_month_day& d) {
    const int y = m_r.i32();
    const unsigned m = m_r.u8();
    const unsigned day = m_r.u8();
    d = date::year_month_day{date::year{y}, date::month{m}, date::day{day}};
    if (!d.ok()) {
      throw DecodeError("bad date");
    }
  }
  void get(date::month_day& d) {
    const unsigned m = m_r.u8();
    const unsigned day = m_r.u8();
    d = date::month_day{date::month{m}, date::day{day}};
    if (!d.ok()) {
      throw DecodeError("bad yearly date");
    }
  }
  void get(core::Location& l) {
    auto& [line, column] = l;
    get_all(line, column);
  }
  void get(core::TimeRange& t) {
    auto& [start, end] = t;
    get_all(start, end);
  }
  void get(core::WeeklyHours& h) {
    auto& [days] = h;
    for (auto& day : days) {
      get(day);
    }
  }
  void get(core::Holiday& h) {
    auto& [date, every_year, name, hours, where] = h;
    get_all(date, every_year, name, hours, where);
  }
  void get(core::Calendar& c) {
    auto& [name, days, where] = c;
    get_all(name, days, where);
  }
  void get(core::Schedule& s) {
    auto& [name, timezone, zone, hours, calendars, holidays, where] = s;
    get_all(name, timezone, zone, hours, calendars, holidays, where);
  }
  void get(core::Agent& a) {
    auto& [id, name, email, tags, weight, where] = a;
    get_all(id, name, email, tags, weight, where);
  }
  void get(core::Test& t) {
    auto& [op, values, number, regex, pattern, exists] = t;
    get_all(op, values, number);
    bool compiled = false;
    get_all(compiled, pattern, exists);
    regex = nullptr;
    if (compiled) {
      try {
        regex = std::make_shared<const std::regex>(pattern, k_regex_flags);
      } catch (const std::regex_error&) {
        throw DecodeError("bad regular expression");
      }
    }
  }
  void get(core::Condition& c) {
    auto& [field, tests, where] = c;
    get_all(field, tests, where);
  }
  void get(core::Member& m) {
    auto& [agent, daily_limit, monthly_limit, shifts, where] = m;
    get_all(agent, daily_limit, monthly_limit, shifts, where);
  }
  void get(core::Pickup& p) {
    auto& [when, where] = p;
    get_all(when, where);
  }
  void get(core::Pool& p) {
    auto& [name, strategy, members, default_agent, claim_timeout, max_offers, on_exhausted,
           schedule, require_online, stale_after, pickup, window, where] = p;
    get_all(name, strategy, members, default_agent, claim_timeout, max_offers, on_exhausted,
            schedule, require_online, stale_after, pickup, window, where);
  }
  void get(core::Rule& r) {
    auto& [name, when, requires_tags, during, pool, claim_timeout, max_offers, on_exhausted,
           default_agent, where] = r;
    get_all(name, when, requires_tags, during, pool, claim_timeout, max_offers, on_exhausted,
            default_agent, where);
  }
  void get(core::OwnerMatch& o) {
    auto& [keys, within, where] = o;
    get_all(keys, within, where);
  }
  void get(std::pair<std::string, std::string>& p) { get_all(p.first, p.second); }
  void get(core::RetryPolicy& r) {
    auto& [attempts, first, max, where] = r;
    get_all(attempts, first, max, where);
  }
  void get(core::Webhook& w) {
    auto& [name, url, secret_env, secret_file, timeout, headers, where] = w;
    get_all(name, url, secret_env, secret_file, timeout, headers, where);
  }
  void get(core::NotificationRule& r) {
    auto& [events, email, webhook, subject, body, where] = r;
    get_all(events, email, webhook, subject, body, where);
  }
  void get(core::Notifications& n) {
    auto& [sendmail, from, sendmail_timeout, max_age, retry, webhooks, rules, where] = n;
    get_all(sendmail, from, sendmail_timeout, max_age, retry, webhooks, rules, where);
  }
  // The indexes are taken back when they fit the vectors just read (they were stored by this
  // binary: the entry's identity names it), else rebuilt.
  void get(core::Config& c) {
    get_all(c.version, c.timezone, c.zone, c.database, c.agents, c.calendars, c.schedules, c.pools,
            c.rules, c.owner_match, c.notifications);
    core::ConfigIndexes indexes;
    get(indexes);
    if (!c.restore(std::move(indexes))) {
      c.reindex();
    }
  }
  void get(core::ConfigIndexes& x) {
    get_all(x.agents, x.pools, x.schedules, x.rules);
    x.member_agents.resize(m_r.count());
    for (auto& positions : x.member_agents) {
      get_positions(positions);
    }
  }
  void get(core::NameIndex& index) {
    std::vector<std::uint32_t> slots;
    get_positions(slots);
    index = core::NameIndex::from_slots(std::move(slots));
  }

private:
  template <typename E> E enum_value(E last) {
    const auto v = m_r.u8();
    if (v > static_cast<std::uint8_t>(last)) {
      throw DecodeError("enum value out of range");
    }
    return static_cast<E>(v);
  }
  template <typename T> void get_positions(std::vector<T>& positions) {
    positions.resize(m_r.count());
    for (T& p : positions) {
      p = m_r.u32();
    }
  }
  ByteReader& m_r;
};

}  // namespace

void encode(ByteWriter& w, const core::Config& config) {
  Encoder(w).put(config);
}

core::Config decode_config(ByteReader& r) {
  core::Config config;
  Decoder(r).get(config);
  return config;
}

void encode(ByteWriter& w, const std::vector<Diagnostic>& diagnostics) {
  w.u32(static_cast<std::uint32_t>(diagnostics.size()));
  for (const Diagnostic& d : diagnostics) {
    const auto& [severity, file, line, column, message] = d;
    w.u8(static_cast<std::uint8_t>(severity));
    w.str(file);
    w.i32(line);
    w.i32(column);
    w.str(message);
  }
}

std::vector<Diagnostic> decode_diagnostics(ByteReader& r) {
  std::vector<Diagnostic> out(r.count());
  for (Diagnostic& d : out) {
    auto& [severity, file, line, column, message] = d;
    const auto s = r.u8();
    if (s > static_cast<std::uint8_t>(Diagnostic::Severity::warning)) {
      throw DecodeError("bad severity");
    }
    severity = static_cast<Diagnostic::Severity>(s);
    file = r.str();
    line = r.i32();
    column = r.i32();
    message = r.str();
  }
  return out;
}

}  // namespace router::config
