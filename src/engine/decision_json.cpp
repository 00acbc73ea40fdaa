#include "engine/decision_json.hpp"

#include "util/time.hpp"

namespace router::engine {

nlohmann::json to_json(const core::Decision& d) {
  nlohmann::json j;
  j["lead"] = d.lead_id;
  j["mode"] = core::to_string(d.mode);
  j["outcome"] = core::to_string(d.outcome);
  j["reason"] = core::to_string(d.reason);
  j["rule"] = d.rule ? nlohmann::json(*d.rule) : nlohmann::json(nullptr);
  j["pool"] = d.pool ? nlohmann::json(*d.pool) : nlohmann::json(nullptr);
  j["agents"] = d.chosen;
  if (d.deadline) {
    j["deadline"] = util::format_rfc3339(*d.deadline);
  }
  if (d.strategy) {
    j["strategy"] = core::to_string(*d.strategy);
  }
  if (!d.note.empty()) {
    j["note"] = d.note;
  }
  if (d.attempts > 0) {
    j["attempt"] = d.attempts;
  }
  j["counts_against_limits"] = d.counts_against_limits;
  auto& rules = j["rules_tried"] = nlohmann::json::array();
  for (const auto& t : d.rules_tried) {
    nlohmann::json r{{"rule", t.rule}, {"matched", t.matched}};
    if (!t.why.empty()) {
      r["why"] = t.why;
    }
    rules.push_back(std::move(r));
  }
  if (d.owner_match) {
    j["owner_match"] = {{"owner", d.owner_match->owner}, {"used", d.owner_match->used}};
    if (!d.owner_match->why.empty()) {
      j["owner_match"]["why"] = d.owner_match->why;
    }
  }
  auto& excluded = j["excluded"] = nlohmann::json::array();
  for (const auto& e : d.excluded) {
    excluded.push_back({{"agent", e.agent}, {"reason", core::to_string(e.code)}, {"why", e.text}});
  }
  j["eligible"] = d.eligible;
  return j;
}

}  // namespace router::engine
