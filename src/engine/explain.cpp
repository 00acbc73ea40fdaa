#include "engine/explain.hpp"

#include <map>
#include <memory>

#include "config/loader.hpp"
#include "engine/decision_json.hpp"
#include "engine/lead_convert.hpp"
#include "engine/offers.hpp"
#include "engine/outbox.hpp"
#include "engine/trail.hpp"
#include "store/read_transaction.hpp"
#include "store/routing.hpp"
#include "util/time.hpp"

namespace router::engine {
namespace {

using Json = nlohmann::ordered_json;

Json text_or_null(const std::optional<std::string>& v) {
  return v ? Json(*v) : Json(nullptr);
}

Json time_or_null(const std::optional<util::Time>& t) {
  return t ? Json(util::format_rfc3339(*t)) : Json(nullptr);
}

Json lead_json(const store::LeadRow& l) {
  auto attributes = Json::parse(l.attributes, nullptr, false);
  if (attributes.is_discarded()) {
    attributes = l.attributes;
  }
  return {{"id", l.id},
          {"source", l.source},
          {"attributes", std::move(attributes)},
          {"received_at", util::format_rfc3339(l.received_at)},
          {"state", l.state},
          {"agent", text_or_null(l.agent)},
          {"pool", text_or_null(l.pool)},
          {"rule", text_or_null(l.rule)},
          {"deadline", time_or_null(l.deadline)},
          {"attempts", l.attempts},
          {"updated_at", time_or_null(l.updated_at)},
          {"touched_at", time_or_null(l.touched_at)}};
}

Json offer_json(const store::OfferRecord& o) {
  return {{"agent", o.agent},
          {"pool", text_or_null(o.pool)},
          {"offered_at", util::format_rfc3339(o.offered_at)},
          {"deadline", time_or_null(o.deadline)},
          {"state", o.state},
          {"ended_at", time_or_null(o.ended_at)},
          {"round", o.round}};
}

// The configurations trails were made under, each loaded once.
class Configs {
public:
  Configs(store::HistoryStore& history, const core::Config* current)
      : m_history(history), m_current(current) {}

  // The configuration with this id, or the reason it cannot be had.
  const core::Config* get(std::int64_t id, std::string& why) {
    auto it = m_loaded.find(id);
    if (it == m_loaded.end()) {
      it = m_loaded.emplace(id, load(id)).first;
    }
    why = it->second.why;
    return it->second.config ? it->second.config : it->second.owned.get();
  }

private:
  struct Loaded {
    const core::Config* config = nullptr;  // `current`
    std::unique_ptr<core::Config> owned;
    std::string why;
  };

  Loaded load(std::int64_t id) {
    Loaded out;
    const auto text = m_history.config_text(id);
    if (!text) {
      out.why = "configuration " + std::to_string(id) + " is missing from the database";
      return out;
    }
    if (m_current && m_current->source_hash == text->hash &&
        m_current->source_text.size() == text->text.size()) {
      out.config = m_current;
      return out;
    }
    auto result = config::load_text(text->text, "configuration " + std::to_string(id));
    if (!result.config) {
      out.why = "configuration " + std::to_string(id) + " no longer loads";
      for (const auto& d : result.diagnostics) {
        if (d.severity == config::Diagnostic::Severity::error) {
          out.why += ": " + config::format_text(d);
          break;
        }
      }
      return out;
    }
    out.owned = std::make_unique<core::Config>(std::move(*result.config));
    return out;
  }

  store::HistoryStore& m_history;
  const core::Config* m_current;
  std::map<std::int64_t, Loaded> m_loaded;
};

// A trail as the Decision JSON it was made from.
std::string trail_json(const store::TrailRecord& t, const core::Lead& lead, Configs& configs) {
  std::string why;
  const core::Config* config = configs.get(t.config, why);
  if (config) {
    try {
      return to_json_text(decode_trail(t.data, config, lead, t.at));
    } catch (const std::exception& e) {
      why = e.what();
    }
  }
  return Json{{"lead", lead.id}, {"error", "cannot rebuild this decision: " + why}}.dump();
}

}  // namespace

Explanation explain(store::Database& db, const std::string& lead_id,
                    const core::Config* current) {
  store::ReadTransaction tx(db);
  store::RoutingStore routing(db);
  store::HistoryStore history(db);
  store::EventStore events(db);
  Explanation e{require_lead(routing, lead_id), {}, {}, {}, std::nullopt};
  e.decisions = history.decisions(lead_id);
  const auto trails = history.trails(lead_id);
  if (!trails.empty()) {
    const core::Lead lead = to_core_lead(e.lead);
    Configs configs(history, current);
    for (const auto& t : trails) {
      e.decisions.push_back({t.seq, t.at, trail_json(t, lead, configs)});
    }
  }
  e.offers = history.offers(lead_id);
  e.events = events.for_lead(lead_id);
  e.outcome = history.outcome(lead_id);
  return e;
}

Json decision_record_json(const store::DecisionRecord& d) {
  Json out{{"at", util::format_rfc3339(d.at)}};
  const auto parsed = Json::parse(d.detail, nullptr, false);
  if (!parsed.is_object()) {
    out["raw"] = d.detail;
    return out;
  }
  for (const auto& [key, value] : parsed.items()) {
    if (key != "at") {
      out[key] = value;
    }
  }
  return out;
}

Json explanation_json(const Explanation& e) {
  Json decisions = Json::array();
  for (const auto& d : e.decisions) {
    decisions.push_back(decision_record_json(d));
  }
  Json offers = Json::array();
  for (const auto& o : e.offers) {
    offers.push_back(offer_json(o));
  }
  Json events = Json::array();
  for (const auto& ev : e.events) {
    events.push_back(event_json(ev));
  }
  Json outcome = nullptr;
  if (e.outcome) {
    outcome = {{"outcome", e.outcome->outcome},
               {"agent", text_or_null(e.outcome->agent)},
               {"at", util::format_rfc3339(e.outcome->at)}};
  }
  return {{"lead", lead_json(e.lead)},
          {"decisions", std::move(decisions)},
          {"offers", std::move(offers)},
          {"events", std::move(events)},
          {"outcome", std::move(outcome)}};
}

}  // namespace router::engine
