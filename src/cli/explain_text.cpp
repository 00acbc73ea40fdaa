#include "cli/explain_text.hpp"

#include <algorithm>
#include <map>

#include "cli/table.hpp"
#include "util/time.hpp"

namespace router::cli {
namespace {

using nlohmann::json;

constexpr std::size_t k_label = 13;  // width of the labels in a decision's lines

// A field as text: strings as they are, numbers and booleans printed, absent/null empty.
std::string text_of(const json& j) {
  if (j.is_string()) {
    return j.get<std::string>();
  }
  return j.is_null() ? std::string{} : j.dump();
}

std::string field(const json& j, const char* key) {
  return j.is_object() && j.contains(key) ? text_of(j.at(key)) : std::string{};
}

std::string join(const json& items) {
  std::string out;
  if (items.is_array()) {
    for (const auto& item : items) {
      out += (out.empty() ? "" : ", ") + text_of(item);
    }
  }
  return out;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    out += (out.empty() ? "" : ", ") + item;
  }
  return out;
}

std::string or_dash(const std::string& s) {
  return s.empty() ? "-" : s;
}

std::string or_dash(const std::optional<std::string>& s) {
  return s ? *s : "-";
}

// "  label        text\n"; further lines of `text` line up under the first.
std::string labelled(const std::string& label, const std::string& text) {
  std::string out = "  " + label + std::string(k_label - label.size(), ' ');
  for (const char c : text) {
    out += c;
    if (c == '\n') {
      out += std::string(k_label + 2, ' ');
    }
  }
  return out + '\n';
}

const std::map<std::string, std::string>& reason_phrases() {
  static const std::map<std::string, std::string> phrases = {
      {"rule", "a member of the matching rule's pool was chosen"},
      {"default", "nobody was eligible, so the pool's default took it"},
      {"owner_match", "a repeat contact went back to its earlier owner"},
      {"no_rule", "no rule matched"},
      {"no_eligible_agent", "nobody was eligible and the pool has no default"},
      {"exhausted", "the offers ran out (max_offers reached or nobody left to offer to)"},
      {"stale", "it was untouched too long and routed again"},
      {"manual", "moved by hand"},
      {"expired", "the previous offer expired unclaimed"},
      {"declined", "the previous agent declined it"},
      {"agent_unavailable", "the previous agent became unavailable"},
      {"config_changed", "the previous agent is no longer in the pool"},
      {"bad_attributes", "its attributes are not a JSON object, so a person must look at it"},
      {"outcome", "an outcome was recorded"},
  };
  return phrases;
}

std::string mode_phrase(const std::string& mode) {
  if (mode == "fresh") {
    return "new lead";
  }
  if (mode == "reoffer") {
    return "offered on";
  }
  return mode == "reassign" ? "reassignment" : mode;
}

std::string outcome_phrase(const json& d) {
  const std::string outcome = field(d, "outcome");
  const json agents = d.value("agents", json::array());
  if (outcome == "offer") {
    std::string text = agents.size() > 1 ? "offered to all of " + join(agents) + " (broadcast)"
                                         : "offered to " + join(agents);
    if (d.contains("deadline")) {
      text += " until " + field(d, "deadline");
    }
    return d.contains("attempt") ? text + " (attempt " + field(d, "attempt") + ")" : text;
  }
  if (outcome == "assign") {
    return "assigned to " + join(agents);
  }
  if (outcome == "open_pool") {
    return "queued in pool " + field(d, "pool") + " for its members to pick up";
  }
  return outcome == "queue" ? "sent to the manual queue" : outcome;
}

std::string owner_match_text(const json& om) {
  const std::string owner = field(om, "owner");
  if (om.value("used", false)) {
    return "repeat contact: back to " + owner;
  }
  return "earlier owner " + owner + " not used: " + or_dash(field(om, "why"));
}

std::string rules_text(const json& rules) {
  std::size_t width = 0;
  for (const auto& r : rules) {
    width = std::max(width, field(r, "rule").size());
  }
  std::string out;
  for (const auto& r : rules) {
    const std::string name = field(r, "rule");
    out += (out.empty() ? "" : "\n") + name + std::string(width - name.size() + 2, ' ') +
           (r.value("matched", false) ? "matched" : "no: " + field(r, "why"));
  }
  return out;
}

std::string excluded_text(const json& excluded) {
  std::size_t width = 0;
  for (const auto& e : excluded) {
    width = std::max(width, field(e, "agent").size());
  }
  std::string out;
  for (const auto& e : excluded) {
    const std::string agent = field(e, "agent");
    out += (out.empty() ? "" : "\n") + agent + std::string(width - agent.size() + 2, ' ') +
           field(e, "why") + " [" + field(e, "reason") + "]";
  }
  return out;
}

std::string reason_text(const std::string& reason) {
  const auto& phrases = reason_phrases();
  const auto it = phrases.find(reason);
  return it == phrases.end() ? reason : reason + ": " + it->second;
}

}  // namespace

std::string decision_text(const json& d, std::size_t number, const std::string& at) {
  std::string out = "Decision " + std::to_string(number) + " at " + at + " (" +
                    mode_phrase(field(d, "mode")) + ")\n";
  if (!d.is_object() || !d.contains("outcome")) {
    return out + "  (the decision record is unreadable)\n";
  }
  if (d.contains("owner_match")) {
    out += labelled("owner match", owner_match_text(d.at("owner_match")));
  }
  const json rules = d.value("rules_tried", json::array());
  if (!rules.empty()) {
    out += labelled("rules", rules_text(rules));
  } else if (!field(d, "rule").empty()) {
    out += labelled("rule", field(d, "rule") + " (kept from before)");
  }
  if (!field(d, "pool").empty()) {
    const std::string strategy = field(d, "strategy");
    out += labelled("pool", field(d, "pool") + (strategy.empty() ? "" : " (" + strategy + ")"));
  }
  const json excluded = d.value("excluded", json::array());
  if (!excluded.empty()) {
    out += labelled("excluded", excluded_text(excluded));
  }
  if (d.contains("strategy") || !d.value("eligible", json::array()).empty()) {
    out += labelled("eligible", or_dash(join(d.value("eligible", json::array()))));
  }
  if (!field(d, "note").empty()) {
    out += labelled("choice", field(d, "note"));
  }
  if (!field(d, "error").empty()) {
    out += labelled("error", field(d, "error"));
  }
  out += labelled("outcome", outcome_phrase(d));
  out += labelled("reason", reason_text(field(d, "reason")));
  return out;
}

std::string event_detail_text(const std::string& detail_json) {
  const json detail = json::parse(detail_json, nullptr, false);
  if (!detail.is_object()) {
    return detail_json;
  }
  std::string others;
  for (const auto& [key, value] : detail.items()) {
    if (key != "reason" && !value.is_null()) {
      others += (others.empty() ? "" : ", ") + key + "=" + text_of(value);
    }
  }
  const std::string reason = field(detail, "reason");
  if (reason.empty()) {
    return others;
  }
  return others.empty() ? reason : reason + " (" + others + ")";
}

std::string summary_line(const engine::Explanation& e) {
  const auto& l = e.lead;
  const std::string who = l.id + " is ";
  if (l.state == "pending") {
    return who +
           (e.decisions.empty() ? "not routed yet (pending)" : "pending, waiting to be routed");
  }
  if (l.state == "offered") {
    std::vector<std::string> open;
    for (const auto& o : e.offers) {
      if (o.state == "open") {
        open.push_back(o.agent);
      }
    }
    const std::string to = l.agent ? *l.agent : join(open);
    std::string text = who + "offered to " + or_dash(to) + ", waiting for a claim";
    if (l.deadline) {
      text += " until " + util::format_rfc3339(*l.deadline);
    }
    return text + " (offer " + std::to_string(l.attempts) + ")";
  }
  if (l.state == "assigned") {
    return who + "assigned to " + or_dash(l.agent) + (l.pool ? " (pool " + *l.pool + ")" : "");
  }
  if (l.state == "queued") {
    return who + (l.pool ? "queued in pool " + *l.pool + " for its members to pick up"
                         : "waiting in the manual queue for a person");
  }
  if (l.state == "closed") {
    return who + "closed" + (e.outcome ? " as " + e.outcome->outcome : std::string{}) +
           (l.agent ? " by " + *l.agent : std::string{});
  }
  return who + l.state;
}

std::string explain_text(const engine::Explanation& e) {
  const auto& l = e.lead;
  std::string out = summary_line(e) + "\n\nLead\n";
  const auto line = [&](const std::string& label, const std::string& value) {
    out += labelled(label, value);
  };
  line("lead", l.id);
  line("source", l.source);
  line("received", util::format_rfc3339(l.received_at));
  line("state", l.state);
  line("agent", or_dash(l.agent));
  line("pool", or_dash(l.pool));
  line("rule", or_dash(l.rule));
  line("deadline", l.deadline ? util::format_rfc3339(*l.deadline) : "-");
  line("attempts", std::to_string(l.attempts));
  // In the order the CRM wrote them.
  const auto attributes = nlohmann::ordered_json::parse(l.attributes, nullptr, false);
  std::string attrs;
  if (attributes.is_object()) {
    for (const auto& [key, value] : attributes.items()) {
      attrs += (attrs.empty() ? "" : ", ") + key + "=" +
               (value.is_string() ? value.get<std::string>() : value.dump());
    }
  }
  // Not an object (a CRM row, queued as bad_attributes): the text as the CRM wrote it.
  line("attributes", attributes.is_object() ? or_dash(attrs) : l.attributes);
  if (e.outcome) {
    line("outcome", e.outcome->outcome + " at " + util::format_rfc3339(e.outcome->at));
  }
  if (e.decisions.empty()) {
    out += "\nDecisions\n  " +
           std::string(l.state == "pending" ? "not routed yet (pending)"
                                            : "no routing decision recorded (moved by hand)") +
           "\n";
  }
  for (std::size_t i = 0; i < e.decisions.size(); ++i) {
    const auto& d = e.decisions[i];
    out += "\n" +
           decision_text(json::parse(d.detail, nullptr, false), i + 1, util::format_rfc3339(d.at));
  }
  if (!e.offers.empty()) {
    Table offers({"agent", "pool", "offered", "deadline", "state", "ended"});
    for (const auto& o : e.offers) {
      offers.add({o.agent, or_dash(o.pool), util::format_rfc3339(o.offered_at),
                  o.deadline ? util::format_rfc3339(*o.deadline) : "-", o.state,
                  o.ended_at ? util::format_rfc3339(*o.ended_at) : "-"});
    }
    out += "\nOffers\n" + offers.render("  ");
  }
  Table timeline({"time", "event", "agent", "details"});
  for (const auto& ev : e.events) {
    timeline.add(
        {util::format_rfc3339(ev.at), ev.type, or_dash(ev.agent), event_detail_text(ev.detail)});
  }
  out += "\nTimeline\n" + timeline.render("  ");
  return out;
}

}  // namespace router::cli
