#include "engine/trail.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <stdexcept>
#include <unordered_set>

#include "core/match.hpp"

namespace router::engine {
namespace {

// Format 1. Append-only: a stored trail must decode the same way forever.
constexpr std::uint8_t k_format = 1;

constexpr std::uint64_t has_rule = 1U << 0;
constexpr std::uint64_t has_pool = 1U << 1;
constexpr std::uint64_t has_strategy = 1U << 2;
constexpr std::uint64_t has_deadline = 1U << 3;
constexpr std::uint64_t counts_limits = 1U << 4;
constexpr std::uint64_t has_note = 1U << 5;
constexpr std::uint64_t has_error = 1U << 6;
constexpr std::uint64_t has_owner = 1U << 7;
constexpr std::uint64_t rules_derived = 1U << 8;     // rules_tried: matched again against the lead
constexpr std::uint64_t eligible_derived = 1U << 9;  // eligible: pool's members less the excluded

// Notes are made of these phrases, agent ids and a few numbers: a phrase is stored as
// k_phrase and its index, an agent as k_agent and its index + 1. Append only.
constexpr std::uint8_t k_agent = 1;
constexpr std::uint8_t k_phrase = 2;
constexpr std::uint8_t k_escape = 3;  // the next byte as it is (a literal 1, 2 or 3)
constexpr std::array<std::string_view, 43> k_phrases = {
    "round_robin: ",
    "next after ",
    "first in order",
    " (no longer a member)",
    "random: ",
    " (1 of ",
    " eligible)",
    "weighted_random: ",
    " (weight ",
    " of ",
    "least_active: ",
    "has ",
    " active leads (fewest)",
    "least_pending: ",
    "has pending ",
    " (lowest)",
    "top_score: ",
    "has score ",
    " (highest)",
    "least_recent: ",
    "last had a lead at ",
    " (longest ago)",
    "never had a lead",
    "best_close_rate: ",
    "closes ",
    " won of ",
    "has no outcomes in the window (rate 0)",
    "; tie of ",
    " broken by rotation (",
    "broadcast: offered to ",
    " eligible members at once",
    "open_pool: queued for members to pick up",
    "default: ",
    "owner_match: back to ",
    "nobody eligible",
    "nobody left to offer to",
    "max_offers ",
    " reached",
    "pool '",
    "' no longer exists",
    ": nobody eligible",
    "; ",
    "% (",
};

// Characters that end an agent id inside a note.
bool ends_token(char c) {
  return c == ' ' || c == ',' || c == ';' || c == '(' || c == ')' || c == '\'';
}

class Writer {
public:
  std::string take() { return std::move(m_out); }
  void byte(std::uint8_t b) { m_out += static_cast<char>(b); }
  void varint(std::uint64_t v) {
    while (v >= 0x80) {
      byte(static_cast<std::uint8_t>(v | 0x80));
      v >>= 7;
    }
    byte(static_cast<std::uint8_t>(v));
  }
  void signed_varint(std::int64_t v) {
    varint((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
  }
  void text(std::string_view s) {
    varint(s.size());
    m_out.append(s);
  }
  // An index into a list of the configuration (+1), or 0 and the name when not in it.
  void ref(std::ptrdiff_t index, std::string_view name) {
    if (index >= 0) {
      varint(static_cast<std::uint64_t>(index) + 1);
    } else {
      varint(0);
      text(name);
    }
  }
  void raw(std::string_view s) { m_out.append(s); }

private:
  std::string m_out;
};

class Reader {
public:
  explicit Reader(std::string_view in) : m_in(in) {}
  bool at_end() const { return m_at == m_in.size(); }
  std::uint8_t byte() {
    if (m_at >= m_in.size()) {
      throw std::runtime_error("damaged decision trail (truncated)");
    }
    return static_cast<std::uint8_t>(m_in[m_at++]);
  }
  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const std::uint8_t b = byte();
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) {
        return v;
      }
    }
    throw std::runtime_error("damaged decision trail (varint)");
  }
  std::int64_t signed_varint() {
    const std::uint64_t v = varint();
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
  }
  std::string_view text() {
    const std::uint64_t n = varint();
    if (n > m_in.size() - m_at) {
      throw std::runtime_error("damaged decision trail (length)");
    }
    const auto s = m_in.substr(m_at, n);
    m_at += n;
    return s;
  }

private:
  std::string_view m_in;
  std::size_t m_at = 0;
};

std::int64_t seconds(core::Time t) {
  return t.time_since_epoch().count();
}

core::Time time_at(std::int64_t s) {
  return core::Time{std::chrono::seconds{s}};
}

std::ptrdiff_t agent_index(const core::Config& config, const std::string& id) {
  const core::Agent* a = config.find_agent(id);
  return a ? a - config.agents.data() : -1;
}

std::string agent_name(const core::Config* config, Reader& r) {
  const std::uint64_t i = r.varint();
  if (i == 0) {
    return std::string(r.text());
  }
  if (!config || i > config->agents.size()) {
    throw std::runtime_error("damaged decision trail (agent)");
  }
  return config->agents[i - 1].id;
}

void encode_note(Writer& w, const std::string& note, const core::Config& config) {
  std::string out;
  std::size_t i = 0;
  bool token_start = true;
  while (i < note.size()) {
    const std::string_view rest = std::string_view(note).substr(i);
    std::size_t best = 0;
    std::size_t best_len = 0;
    for (std::size_t p = 0; p < k_phrases.size(); ++p) {
      if (k_phrases[p].size() > best_len && rest.starts_with(k_phrases[p])) {
        best = p;
        best_len = k_phrases[p].size();
      }
    }
    if (best_len > 1) {
      out += static_cast<char>(k_phrase);
      out += static_cast<char>(best);
      i += best_len;
      token_start = ends_token(note[i - 1]);
      continue;
    }
    if (token_start) {
      std::size_t end = i;
      while (end < note.size() && !ends_token(note[end])) {
        ++end;
      }
      if (end > i) {
        const std::ptrdiff_t a = agent_index(config, note.substr(i, end - i));
        if (a >= 0 && end - i > 1) {
          out += static_cast<char>(k_agent);
          Writer n;
          n.varint(static_cast<std::uint64_t>(a) + 1);
          out += n.take();
          i = end;
          token_start = false;
          continue;
        }
      }
    }
    const char c = note[i];
    if (c == static_cast<char>(k_agent) || c == static_cast<char>(k_phrase) ||
        c == static_cast<char>(k_escape)) {
      out += static_cast<char>(k_escape);
    }
    out += c;
    token_start = ends_token(c);
    ++i;
  }
  w.text(out);
}

std::string decode_note(std::string_view in, const core::Config* config) {
  std::string out;
  Reader r(in);
  while (!r.at_end()) {
    const std::uint8_t c = r.byte();
    if (c == k_phrase) {
      const std::uint8_t p = r.byte();
      if (p >= k_phrases.size()) {
        throw std::runtime_error("damaged decision trail (phrase)");
      }
      out += k_phrases[p];
    } else if (c == k_agent) {
      const std::uint64_t a = r.varint();
      if (!config || a == 0 || a > config->agents.size()) {
        throw std::runtime_error("damaged decision trail (note agent)");
      }
      out += config->agents[a - 1].id;
    } else if (c == k_escape) {
      out += static_cast<char>(r.byte());
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// Whether re-matching the lead against `config` gives `d.rules_tried` back: a fresh
// routing that reached the rules tries them in file order up to the first that matches.
bool rules_derivable(const core::Decision& d, const core::Config& config) {
  if (d.mode != core::RouteMode::fresh || !d.error.empty() ||
      (d.owner_match && d.owner_match->used) || d.rules_tried.size() > config.rules.size()) {
    return false;
  }
  if (d.rules_tried.empty()) {
    // Either no rule at all, or owner_match decided (checked above) — only the first.
    return config.rules.empty() && d.reason == core::Reason::no_rule;
  }
  for (std::size_t i = 0; i < d.rules_tried.size(); ++i) {
    const bool last = i + 1 == d.rules_tried.size();
    if (d.rules_tried[i].rule != config.rules[i].name || (d.rules_tried[i].matched && !last)) {
      return false;
    }
  }
  const bool matched = d.rules_tried.back().matched;
  return matched ? d.rule == d.rules_tried.back().rule
                 : !d.rule && d.rules_tried.size() == config.rules.size();
}

// Whether d.eligible is the pool's members, in order, less the excluded ones.
bool eligible_derivable(const core::Decision& d, const core::Pool* pool) {
  if (!pool || d.eligible.size() + d.excluded.size() != pool->members.size()) {
    return false;
  }
  std::size_t e = 0;
  std::size_t x = 0;
  for (const auto& m : pool->members) {
    if (x < d.excluded.size() && d.excluded[x].agent == m.agent) {
      ++x;
    } else if (e < d.eligible.size() && d.eligible[e] == m.agent) {
      ++e;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string encode_trail(const core::Decision& d, const core::Config& config, core::Time at) {
  const core::Pool* pool = d.pool ? config.find_pool(*d.pool) : nullptr;
  std::uint64_t flags = 0;
  flags |= d.rule ? has_rule : 0;
  flags |= d.pool ? has_pool : 0;
  flags |= d.strategy ? has_strategy : 0;
  flags |= d.deadline ? has_deadline : 0;
  flags |= d.counts_against_limits ? counts_limits : 0;
  flags |= d.note.empty() ? 0 : has_note;
  flags |= d.error.empty() ? 0 : has_error;
  flags |= d.owner_match ? has_owner : 0;
  flags |= rules_derivable(d, config) ? rules_derived : 0;
  flags |= d.pool && eligible_derivable(d, pool) ? eligible_derived : 0;

  Writer w;
  w.byte(k_format);
  w.byte(static_cast<std::uint8_t>(static_cast<unsigned>(d.mode) |
                                   (static_cast<unsigned>(d.outcome) << 2)));
  w.byte(static_cast<std::uint8_t>(d.reason));
  w.varint(flags);
  if (d.rule) {
    const core::Rule* rule = config.find_rule(*d.rule);
    w.ref(rule ? rule - config.rules.data() : -1, *d.rule);
  }
  if (d.pool) {
    w.ref(pool ? pool - config.pools.data() : -1, *d.pool);
  }
  if (d.strategy) {
    w.byte(static_cast<std::uint8_t>(*d.strategy));
  }
  if (d.deadline) {
    w.signed_varint(seconds(*d.deadline) - seconds(at));
  }
  w.varint(static_cast<std::uint64_t>(std::max(d.attempts, 0)));
  if (!d.note.empty()) {
    encode_note(w, d.note, config);
  }
  if (!d.error.empty()) {
    w.text(d.error);
  }
  if (d.owner_match) {
    w.ref(agent_index(config, d.owner_match->owner), d.owner_match->owner);
    w.byte(d.owner_match->used ? 1 : 0);
    w.text(d.owner_match->why);
  }
  w.varint(d.chosen.size());
  for (const auto& a : d.chosen) {
    w.ref(agent_index(config, a), a);
  }
  w.varint(d.excluded.size());
  std::size_t next = 0;  // excluded members come in the pool's order
  for (const auto& e : d.excluded) {
    std::ptrdiff_t member = -1;
    if (pool) {
      const auto& members = pool->members;
      for (std::size_t k = 0; k < members.size(); ++k) {
        const std::size_t i = (next + k) % members.size();
        if (members[i].agent == e.agent) {
          member = static_cast<std::ptrdiff_t>(i);
          next = i + 1;
          break;
        }
      }
    }
    w.ref(member, e.agent);
    w.byte(static_cast<std::uint8_t>(e.code));
    switch (e.code) {
    case core::Exclusion::status:
      w.byte(static_cast<std::uint8_t>(static_cast<unsigned>(e.status) | (e.until ? 0x10U : 0U)));
      if (e.until) {
        w.signed_varint(seconds(*e.until) - seconds(at));
      }
      break;
    case core::Exclusion::off_shift: w.signed_varint(seconds(e.at) - seconds(at)); break;
    case core::Exclusion::daily_limit:
    case core::Exclusion::monthly_limit:
      w.signed_varint(e.used);
      w.signed_varint(e.limit);
      break;
    case core::Exclusion::missing_tags: w.text(e.tag); break;
    default: break;
    }
  }
  if (!(flags & eligible_derived)) {
    w.varint(d.eligible.size());
    for (const auto& a : d.eligible) {
      w.ref(agent_index(config, a), a);
    }
  }
  if (!(flags & rules_derived)) {
    w.varint(d.rules_tried.size());
    for (const auto& t : d.rules_tried) {
      w.text(t.rule);
      w.byte(t.matched ? 1 : 0);
      w.text(t.why);
    }
  }
  return w.take();
}

core::Decision decode_trail(std::string_view data, const core::Config* config,
                            const core::Lead& lead, core::Time at) {
  Reader r(data);
  if (r.byte() != k_format) {
    throw std::runtime_error("decision trail of an unknown format");
  }
  core::Decision d;
  d.lead_id = lead.id;
  const std::uint8_t kinds = r.byte();
  d.mode = static_cast<core::RouteMode>(kinds & 3U);
  d.outcome = static_cast<core::Outcome>((kinds >> 2) & 3U);
  d.reason = static_cast<core::Reason>(r.byte());
  const std::uint64_t flags = r.varint();
  auto named = [&](const auto& list) {
    const std::uint64_t i = r.varint();
    if (i == 0) {
      return std::string(r.text());
    }
    if (!config || i > list.size()) {
      throw std::runtime_error("damaged decision trail (reference)");
    }
    return list[i - 1].name;
  };
  if (flags & has_rule) {
    d.rule = config ? named(config->rules) : named(std::vector<core::Rule>{});
  }
  if (flags & has_pool) {
    d.pool = config ? named(config->pools) : named(std::vector<core::Pool>{});
  }
  if (flags & has_strategy) {
    d.strategy = static_cast<core::Strategy>(r.byte());
  }
  if (flags & has_deadline) {
    d.deadline = time_at(seconds(at) + r.signed_varint());
  }
  d.attempts = static_cast<int>(r.varint());
  d.counts_against_limits = (flags & counts_limits) != 0;
  if (flags & has_note) {
    d.note = decode_note(r.text(), config);
  }
  if (flags & has_error) {
    d.error = std::string(r.text());
  }
  if (flags & has_owner) {
    core::OwnerMatchInfo o;
    o.owner = agent_name(config, r);
    o.used = r.byte() != 0;
    o.why = std::string(r.text());
    d.owner_match = std::move(o);
  }
  const std::uint64_t chosen = r.varint();
  for (std::uint64_t i = 0; i < chosen; ++i) {
    d.chosen.push_back(agent_name(config, r));
  }
  const core::Pool* pool = config && d.pool ? config->find_pool(*d.pool) : nullptr;
  const std::uint64_t excluded = r.varint();
  for (std::uint64_t i = 0; i < excluded; ++i) {
    core::Excluded e;
    const std::uint64_t member = r.varint();
    if (member == 0) {
      e.agent = std::string(r.text());
    } else if (pool && member <= pool->members.size()) {
      e.agent = pool->members[member - 1].agent;
    } else {
      throw std::runtime_error("damaged decision trail (member)");
    }
    e.code = static_cast<core::Exclusion>(r.byte());
    switch (e.code) {
    case core::Exclusion::status: {
      const std::uint8_t b = r.byte();
      e.status = static_cast<core::AgentStatus>(b & 0x0fU);
      if (b & 0x10U) {
        e.until = time_at(seconds(at) + r.signed_varint());
      }
      break;
    }
    case core::Exclusion::off_shift: e.at = time_at(seconds(at) + r.signed_varint()); break;
    case core::Exclusion::daily_limit:
    case core::Exclusion::monthly_limit:
      e.used = r.signed_varint();
      e.limit = r.signed_varint();
      break;
    case core::Exclusion::missing_tags: e.tag = std::string(r.text()); break;
    default: break;
    }
    d.excluded.push_back(std::move(e));
  }
  if (flags & eligible_derived) {
    if (pool) {
      std::unordered_set<std::string_view> out;
      for (const auto& e : d.excluded) {
        out.insert(e.agent);
      }
      for (const auto& m : pool->members) {
        if (!out.contains(m.agent)) {
          d.eligible.push_back(m.agent);
        }
      }
    }
  } else {
    const std::uint64_t n = r.varint();
    for (std::uint64_t i = 0; i < n; ++i) {
      d.eligible.push_back(agent_name(config, r));
    }
  }
  if (flags & rules_derived) {
    if (config) {
      for (const auto& rule : config->rules) {
        const core::MatchResult m = core::match_rule(*config, rule, lead);
        d.rules_tried.push_back({rule.name, m.matched, m.why});
        if (m.matched) {
          break;
        }
      }
    }
  } else {
    const std::uint64_t n = r.varint();
    for (std::uint64_t i = 0; i < n; ++i) {
      core::RuleTrial t;
      t.rule = std::string(r.text());
      t.matched = r.byte() != 0;
      t.why = std::string(r.text());
      d.rules_tried.push_back(std::move(t));
    }
  }
  if (!r.at_end()) {
    throw std::runtime_error("damaged decision trail (trailing bytes)");
  }
  return d;
}

}  // namespace router::engine
