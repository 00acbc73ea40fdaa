#include "engine/lead_convert.hpp"

#include <cctype>
#include <string_view>

#include <nlohmann/json.hpp>

#include "util/strings.hpp"

namespace router::engine {
namespace {

// A JSON scalar as the text a rule compares; nullopt for null and nested objects.
std::optional<std::string> scalar_text(const nlohmann::json& v) {
  if (v.is_string()) {
    return v.get<std::string>();
  }
  if (v.is_boolean()) {
    return v.get<bool>() ? "true" : "false";
  }
  if (v.is_number_integer()) {
    return std::to_string(v.get<long long>());
  }
  if (v.is_number()) {
    return v.dump();
  }
  return std::nullopt;
}

// nlohmann's message without its "[json.exception.parse_error.101] " prefix, as ASCII (the
// text it quotes may hold invalid UTF-8, which no JSON detail could carry).
std::string parser_message(std::string_view what) {
  if (!what.empty() && what.front() == '[') {
    if (const auto end = what.find("] "); end != std::string_view::npos) {
      what.remove_prefix(end + 2);
    }
  }
  std::string out;
  for (const char c : what) {
    const auto b = static_cast<unsigned char>(c);
    out += b < 0x20 || b >= 0x7f ? '?' : c;
  }
  return out;
}

// A cursor over the attributes text for the fast path below.
class FlatObject {
public:
  explicit FlatObject(std::string_view text) : m_text(text) {}

  // Reads a flat object of plain ASCII strings, integers, booleans and nulls into `out`, as
  // nlohmann would convert it. False for anything else (escapes, non-ASCII, numbers with a
  // fraction or exponent, arrays, nested objects, repeated keys, malformed text): the caller
  // then lets nlohmann parse it.
  bool read(std::map<std::string, std::vector<std::string>>& out) {
    skip_blanks();
    if (!eat('{')) {
      return false;
    }
    skip_blanks();
    if (eat('}')) {
      return at_end();
    }
    while (true) {
      std::string_view key;
      skip_blanks();
      if (!string(key)) {
        return false;
      }
      skip_blanks();
      if (!eat(':')) {
        return false;
      }
      skip_blanks();
      std::optional<std::string> value;
      if (!scalar(value)) {
        return false;
      }
      if (value &&
          !out.try_emplace(std::string(key), std::vector<std::string>{std::move(*value)}).second) {
        return false;
      }
      if (!value && out.count(std::string(key)) > 0) {
        return false;
      }
      skip_blanks();
      if (eat('}')) {
        return at_end();
      }
      if (!eat(',')) {
        return false;
      }
    }
  }

private:
  bool eat(char c) {
    if (m_pos < m_text.size() && m_text[m_pos] == c) {
      ++m_pos;
      return true;
    }
    return false;
  }
  void skip_blanks() {
    while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t' ||
                                     m_text[m_pos] == '\n' || m_text[m_pos] == '\r')) {
      ++m_pos;
    }
  }
  bool at_end() {
    skip_blanks();
    return m_pos == m_text.size();
  }
  bool string(std::string_view& out) {
    if (!eat('"')) {
      return false;
    }
    const std::size_t start = m_pos;
    while (m_pos < m_text.size()) {
      const auto c = static_cast<unsigned char>(m_text[m_pos]);
      if (c == '"') {
        out = m_text.substr(start, m_pos - start);
        ++m_pos;
        return true;
      }
      if (c < 0x20 || c >= 0x80 || c == '\\') {
        return false;
      }
      ++m_pos;
    }
    return false;
  }
  bool word(std::string_view w) {
    if (m_text.substr(m_pos, w.size()) == w) {
      m_pos += w.size();
      return true;
    }
    return false;
  }
  // An integer of up to 18 digits, without a leading zero (nor "-0"), as std::to_string
  // writes it: then the text is already what the slow path would produce.
  bool integer(std::optional<std::string>& out) {
    const std::size_t start = m_pos;
    eat('-');
    const std::size_t digits = m_pos;
    while (m_pos < m_text.size() && m_text[m_pos] >= '0' && m_text[m_pos] <= '9') {
      ++m_pos;
    }
    const std::size_t n = m_pos - digits;
    if (n == 0 || n > 18 || m_text[digits] == '0') {
      return false;
    }
    if (m_pos < m_text.size() &&
        (m_text[m_pos] == '.' || m_text[m_pos] == 'e' || m_text[m_pos] == 'E')) {
      return false;
    }
    out = std::string(m_text.substr(start, m_pos - start));
    return true;
  }
  bool scalar(std::optional<std::string>& out) {
    if (m_pos >= m_text.size()) {
      return false;
    }
    const char c = m_text[m_pos];
    if (c == '"') {
      std::string_view text;
      if (!string(text)) {
        return false;
      }
      out = std::string(text);
      return true;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      return integer(out);
    }
    if (word("true")) {
      out = "true";
      return true;
    }
    if (word("false")) {
      out = "false";
      return true;
    }
    return word("null");  // absent: out stays empty
  }

  std::string_view m_text;
  std::size_t m_pos = 0;
};

}  // namespace

core::Lead to_core_lead(const store::LeadRow& row) {
  core::Lead lead;
  lead.id = row.id;
  lead.source = row.source;
  lead.received_at = row.received_at;
  // Most CRMs write flat objects of plain values: read those directly (nlohmann's DOM costs
  // more than routing the lead); anything else goes through nlohmann below.
  if (FlatObject(row.attributes).read(lead.attributes)) {
    return lead;
  }
  lead.attributes.clear();
  nlohmann::json attributes;
  try {
    attributes = nlohmann::json::parse(row.attributes);
  } catch (const nlohmann::json::exception& e) {  // parse_error, or a number out of range
    lead.attributes_error = parser_message(e.what());
    return lead;
  }
  if (!attributes.is_object()) {
    lead.attributes_error = std::string("a JSON ") + attributes.type_name() + ", not an object";
    return lead;
  }
  for (const auto& [key, value] : attributes.items()) {
    std::vector<std::string> values;
    if (value.is_array()) {
      for (const auto& item : value) {
        if (auto text = scalar_text(item)) {
          values.push_back(std::move(*text));
        }
      }
    } else if (auto text = scalar_text(value)) {
      values.push_back(std::move(*text));
    }
    if (!values.empty()) {
      lead.attributes.emplace(key, std::move(values));
    }
  }
  return lead;
}

std::vector<std::string> contact_keys(const core::OwnerMatch& match, const core::Lead& lead) {
  std::vector<std::string> keys;
  for (const auto& name : match.keys) {
    const auto values = lead.values(name);
    if (!values) {
      continue;
    }
    const std::string lowered_name = util::to_lower(name);
    for (const auto& value : *values) {
      std::string normal;
      if (lowered_name.find("phone") != std::string::npos) {
        for (char c : value) {
          if (std::isdigit(static_cast<unsigned char>(c))) {
            normal += c;
          }
        }
      } else {
        normal = util::to_lower(util::trim(value));
      }
      if (!normal.empty()) {
        keys.push_back(lowered_name + ":" + normal);
      }
    }
  }
  return keys;
}

std::pair<std::string, std::string> usage_periods(const util::Zone* zone, core::Time now) {
  const auto local = zone ? zone->to_local(now) : date::local_seconds{now.time_since_epoch()};
  const date::year_month_day ymd{date::floor<date::days>(local)};
  const int year = static_cast<int>(ymd.year());
  if (year < 0 || year > 9999) {
    return {date::format("D%Y-%m-%d", ymd), date::format("M%Y-%m", ymd)};
  }
  // What date::format writes for these years, without an ostream per call: assign asks for
  // every pool's periods at the start of each run.
  const unsigned month = static_cast<unsigned>(ymd.month());
  const unsigned day = static_cast<unsigned>(ymd.day());
  std::string month_period = "M0000-00";
  for (int i = 4, y = year; i >= 1; --i, y /= 10) {
    month_period[static_cast<std::size_t>(i)] = static_cast<char>('0' + y % 10);
  }
  month_period[6] = static_cast<char>('0' + month / 10);
  month_period[7] = static_cast<char>('0' + month % 10);
  std::string day_period = "D" + month_period.substr(1) + "-00";
  day_period[9] = static_cast<char>('0' + day / 10);
  day_period[10] = static_cast<char>('0' + day % 10);
  return {std::move(day_period), std::move(month_period)};
}

std::map<std::string, store::Periods> pool_periods(const core::Config& config, core::Time now) {
  std::map<std::string, store::Periods> out;
  // Pools mostly share a few zones: each zone's periods are worked out once.
  std::map<const util::Zone*, store::Periods> by_zone;
  for (const auto& pool : config.pools) {
    const util::Zone* zone = config.pool_zone(pool);
    auto it = by_zone.find(zone);
    if (it == by_zone.end()) {
      auto [day, month] = usage_periods(zone, now);
      it = by_zone.emplace(zone, store::Periods{std::move(day), std::move(month)}).first;
    }
    out[pool.name] = it->second;
  }
  return out;
}

store::SnapshotNeeds needs_of(const core::Config& config) {
  store::SnapshotNeeds needs;
  for (const auto& pool : config.pools) {
    needs.active = needs.active || pool.strategy == core::Strategy::least_active;
    needs.close = needs.close || pool.strategy == core::Strategy::best_close_rate;
  }
  return needs;
}

}  // namespace router::engine
