#include "engine/lead_convert.hpp"

#include <cctype>

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

}  // namespace

core::Lead to_core_lead(const store::LeadRow& row) {
  core::Lead lead;
  lead.id = row.id;
  lead.source = row.source;
  lead.received_at = row.received_at;
  const auto attributes = nlohmann::json::parse(row.attributes, nullptr, false);
  if (!attributes.is_object()) {
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

std::pair<std::string, std::string> usage_periods(const date::time_zone* zone, core::Time now) {
  const auto local = zone ? zone->to_local(now) : date::local_seconds{now.time_since_epoch()};
  const date::year_month_day ymd{date::floor<date::days>(local)};
  return {date::format("D%Y-%m-%d", ymd), date::format("M%Y-%m", ymd)};
}

}  // namespace router::engine
