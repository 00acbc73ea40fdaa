#include "engine/decision_json.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "util/time.hpp"

namespace router::engine {
namespace {

// The bytes a JSON string holds as they are: printable ASCII but the quote and backslash.
constexpr std::array<bool, 256> k_plain = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c) {
    plain[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
  }
  return plain;
}();

// Writes compact JSON with the keys in the order the caller gives, which must be the sorted
// order nlohmann::json (a std::map) dumps them in.
class Writer {
public:
  // False once a string held a byte nlohmann would check as UTF-8 (>= 0x80): the caller
  // then falls back to nlohmann, which validates it (and throws on invalid UTF-8).
  bool plain() const { return m_plain; }
  std::string take() { return std::move(m_out); }
  // Room for a typical decision (about 1.2 KB with 50 members), so it is one allocation.
  void reserve(std::size_t n) { m_out.reserve(n); }

  void open(char c) {
    m_out += c;
    m_first = true;
  }
  void close(char c) {
    m_out += c;
    m_first = false;
  }
  void key(const char* k) {
    comma();
    m_out += '"';
    m_out += k;
    m_out += "\":";
    m_first = true;  // the value follows without a comma
  }
  void text(std::string_view s) {
    comma();
    quoted(s);
  }
  void boolean(bool b) {
    comma();
    m_out += b ? "true" : "false";
  }
  void number(int n) {
    comma();
    m_out += std::to_string(n);
  }
  void null() {
    comma();
    m_out += "null";
  }
  void strings(const std::vector<std::string>& list) {
    comma();
    open('[');
    for (const auto& s : list) {
      text(s);
    }
    close(']');
  }
  // The comma before an element, except the first of an object or array.
  void comma() {
    if (!m_first) {
      m_out += ',';
    }
    m_first = false;
  }

private:
  void quoted(std::string_view s) {
    if (std::all_of(s.begin(), s.end(),
                    [](char c) { return k_plain[static_cast<unsigned char>(c)]; })) {
      // The usual case, in one step: most strings are agent ids and rule names.
      const std::size_t at = m_out.size();
      m_out.resize(at + s.size() + 2);
      char* p = m_out.data() + at;
      *p = '"';
      std::memcpy(p + 1, s.data(), s.size());
      p[s.size() + 1] = '"';
      return;
    }
    m_out += '"';
    std::size_t run = 0;  // start of the characters not yet copied
    for (std::size_t i = 0; i < s.size(); ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (k_plain[c]) {
        continue;
      }
      m_out.append(s, run, i - run);
      run = i + 1;
      if (c >= 0x80) {
        m_plain = false;
        return;
      }
      switch (c) {
      case '"': m_out += "\\\""; break;
      case '\\': m_out += "\\\\"; break;
      case '\b': m_out += "\\b"; break;
      case '\f': m_out += "\\f"; break;
      case '\n': m_out += "\\n"; break;
      case '\r': m_out += "\\r"; break;
      case '\t': m_out += "\\t"; break;
      default: {  // the other control characters
        char buffer[8];
        std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(c));
        m_out += buffer;
      }
      }
    }
    m_out.append(s, run, s.size() - run);
    m_out += '"';
  }

  std::string m_out;
  bool m_first = true;
  bool m_plain = true;
};

void rules_tried(Writer& w, const std::vector<core::RuleTrial>& trials) {
  w.comma();
  w.open('[');
  for (const auto& t : trials) {
    w.comma();
    w.open('{');
    w.key("matched");
    w.boolean(t.matched);
    w.key("rule");
    w.text(t.rule);
    if (!t.why.empty()) {
      w.key("why");
      w.text(t.why);
    }
    w.close('}');
  }
  w.close(']');
}

void excluded(Writer& w, const std::vector<core::Excluded>& list) {
  w.comma();
  w.open('[');
  for (const auto& e : list) {
    w.comma();
    w.open('{');
    w.key("agent");
    w.text(e.agent);
    w.key("reason");
    w.text(core::to_string(e.code));
    w.key("why");
    w.text(core::exclusion_text(e));
    w.close('}');
  }
  w.close(']');
}

void owner_match(Writer& w, const core::OwnerMatchInfo& o) {
  w.comma();
  w.open('{');
  w.key("owner");
  w.text(o.owner);
  w.key("used");
  w.boolean(o.used);
  if (!o.why.empty()) {
    w.key("why");
    w.text(o.why);
  }
  w.close('}');
}

void optional_text(Writer& w, const char* key, const std::optional<std::string>& v) {
  w.key(key);
  if (v) {
    w.text(*v);
  } else {
    w.null();
  }
}

}  // namespace

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
  if (!d.error.empty()) {
    j["error"] = d.error;
  }
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
    excluded.push_back({{"agent", e.agent},
                        {"reason", core::to_string(e.code)},
                        {"why", core::exclusion_text(e)}});
  }
  j["eligible"] = d.eligible;
  return j;
}

std::string to_json_text(const core::Decision& d) {
  // The keys of to_json in sorted order.
  Writer w;
  w.reserve(2048);
  w.open('{');
  w.key("agents");
  w.strings(d.chosen);
  if (d.attempts > 0) {
    w.key("attempt");
    w.number(d.attempts);
  }
  w.key("counts_against_limits");
  w.boolean(d.counts_against_limits);
  if (d.deadline) {
    w.key("deadline");
    w.text(util::format_rfc3339(*d.deadline));
  }
  w.key("eligible");
  w.strings(d.eligible);
  if (!d.error.empty()) {
    w.key("error");
    w.text(d.error);
  }
  w.key("excluded");
  excluded(w, d.excluded);
  w.key("lead");
  w.text(d.lead_id);
  w.key("mode");
  w.text(core::to_string(d.mode));
  if (!d.note.empty()) {
    w.key("note");
    w.text(d.note);
  }
  w.key("outcome");
  w.text(core::to_string(d.outcome));
  if (d.owner_match) {
    w.key("owner_match");
    owner_match(w, *d.owner_match);
  }
  optional_text(w, "pool", d.pool);
  w.key("reason");
  w.text(core::to_string(d.reason));
  optional_text(w, "rule", d.rule);
  w.key("rules_tried");
  rules_tried(w, d.rules_tried);
  if (d.strategy) {
    w.key("strategy");
    w.text(core::to_string(*d.strategy));
  }
  w.close('}');
  if (!w.plain()) {
    return to_json(d).dump();
  }
  return w.take();
}

}  // namespace router::engine
