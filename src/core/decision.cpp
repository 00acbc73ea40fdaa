#include "core/decision.hpp"

#include <array>
#include <sstream>

#include "util/time.hpp"

namespace router::core {
namespace {

constexpr std::array<const char*, 4> k_outcomes = {"offer", "assign", "queue", "open_pool"};
constexpr std::array<const char*, 13> k_reasons = {
    "rule",          "default", "owner_match", "no_rule",  "no_eligible_agent", "exhausted",
    "stale",         "manual",  "expired",     "declined", "agent_unavailable", "config_changed",
    "bad_attributes"};
constexpr std::array<const char*, 3> k_modes = {"fresh", "reoffer", "reassign"};
constexpr std::array<const char*, 9> k_exclusions = {
    "current_owner", "unknown_agent", "status",       "off_shift",      "not_logged_in",
    "daily_limit",   "monthly_limit", "missing_tags", "already_offered"};

template <typename Names, typename E> const char* name_of(const Names& names, E e) {
  const auto i = static_cast<std::size_t>(e);
  return i < names.size() ? names[i] : "?";
}

std::string list(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    out += (out.empty() ? "" : ", ") + item;
  }
  return out.empty() ? "-" : out;
}

}  // namespace

const char* to_string(Outcome o) {
  return name_of(k_outcomes, o);
}
const char* to_string(Reason r) {
  return name_of(k_reasons, r);
}
const char* to_string(RouteMode m) {
  return name_of(k_modes, m);
}
const char* to_string(Exclusion e) {
  return name_of(k_exclusions, e);
}

std::optional<Reason> parse_reason(const std::string& name) {
  for (std::size_t i = 0; i < k_reasons.size(); ++i) {
    if (name == k_reasons[i]) {
      return static_cast<Reason>(i);
    }
  }
  return std::nullopt;
}

std::string describe(const Decision& d) {
  std::ostringstream out;
  if (d.owner_match) {
    out << "owner_match: " << d.owner_match->owner
        << (d.owner_match->used ? " (used)" : " not used: " + d.owner_match->why) << "\n";
  }
  for (const auto& trial : d.rules_tried) {
    out << "rule " << trial.rule << ": " << (trial.matched ? "matched" : trial.why) << "\n";
  }
  if (d.pool) {
    out << "pool " << *d.pool;
    if (d.strategy) {
      out << " (" << to_string(*d.strategy) << ")";
    }
    out << ": eligible " << (d.eligible.empty() ? "none" : list(d.eligible)) << "\n";
  }
  for (const auto& e : d.excluded) {
    out << "  excluded " << e.agent << ": " << exclusion_text(e) << " [" << to_string(e.code)
        << "]\n";
  }
  if (!d.note.empty()) {
    out << d.note << "\n";
  }
  if (!d.error.empty()) {
    out << "attributes: " << d.error << "\n";
  }
  out << to_string(d.outcome);
  if (!d.chosen.empty()) {
    out << " " << list(d.chosen);
  }
  out << " (" << to_string(d.reason) << ")";
  if (d.deadline) {
    out << " until " << util::format_rfc3339(*d.deadline);
  }
  out << "\n";
  return out.str();
}

std::string exclusion_text(const Excluded& e) {
  switch (e.code) {
  case Exclusion::current_owner: return "current owner";
  case Exclusion::unknown_agent: return "not a defined agent";
  case Exclusion::status:
    if (e.status == AgentStatus::leave) {
      return e.until ? "on leave until " + util::format_rfc3339(*e.until) : "on leave";
    }
    return std::string("status is ") + to_string(e.status);
  case Exclusion::off_shift: return "off shift at " + util::format_rfc3339(e.at);
  case Exclusion::not_logged_in: return "not logged in";
  case Exclusion::daily_limit:
    return "daily limit reached (" + std::to_string(e.used) + " of " + std::to_string(e.limit) +
           " today)";
  case Exclusion::monthly_limit:
    return "monthly limit reached (" + std::to_string(e.used) + " of " + std::to_string(e.limit) +
           " this month)";
  case Exclusion::missing_tags: return "lacks tag " + e.tag;
  case Exclusion::already_offered: return "already offered this lead";
  }
  return {};
}

}  // namespace router::core
