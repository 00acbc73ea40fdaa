#include "core/strategies.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <limits>

#include "util/time.hpp"

namespace router::core {
namespace {

std::ptrdiff_t index_in(const std::vector<std::string>& list, const std::string& id) {
  const auto it = std::find(list.begin(), list.end(), id);
  return it == list.end() ? -1 : it - list.begin();
}

std::ptrdiff_t member_index(const Pool& pool, const std::string& id) {
  const auto it = std::find_if(pool.members.begin(), pool.members.end(),
                               [&](const Member& m) { return m.agent == id; });
  return it == pool.members.end() ? -1 : it - pool.members.begin();
}

// rotation_start over `n` members, `find` giving a member's index by id (-1: none).
template <typename Find>
std::size_t start_after(std::size_t n, const std::optional<RotationCursor>& cursor, Find find) {
  if (n == 0 || !cursor) {
    return 0;
  }
  if (const auto i = find(cursor->last_agent); i >= 0) {
    return (static_cast<std::size_t>(i) + 1) % n;
  }
  // The last agent left the pool: continue from the place they had in the old order.
  const auto& old = cursor->order;
  const auto p = index_in(old, cursor->last_agent);
  if (p < 0) {
    return 0;
  }
  for (std::size_t k = 1; k < old.size(); ++k) {
    if (const auto j = find(old[(static_cast<std::size_t>(p) + k) % old.size()]); j >= 0) {
      return static_cast<std::size_t>(j);
    }
  }
  return static_cast<std::size_t>(p) % n;
}

// The usual case in linear time: the candidates are members in configured order (eligibility
// keeps that order), so the rotation is those from `start` on, then those before it. Sets
// `split` to the first candidate at or after `start`; false when they are not a subsequence
// of the `n` members (`id(j)` is member j's id).
template <typename Id>
bool split_subsequence(std::size_t n, Id id, std::size_t start,
                       const std::vector<std::string>& candidates, std::size_t& split) {
  split = candidates.size();
  std::size_t j = 0;
  for (std::size_t k = 0; k < candidates.size(); ++k) {
    while (j < n && id(j) != candidates[k]) {
      ++j;
    }
    if (j == n) {
      return false;
    }
    if (j >= start && split == candidates.size()) {
      split = k;
    }
    ++j;
  }
  return true;
}

// The candidates' indexes in rotation order when they are not a subsequence of the members:
// by distance from `start`; one outside the member list (never expected) goes last.
template <typename Find>
std::vector<std::size_t> ranked_order(std::size_t n, Find find, std::size_t start,
                                      const std::vector<std::string>& candidates) {
  std::vector<std::pair<std::size_t, std::size_t>> ranked;
  ranked.reserve(candidates.size());
  for (std::size_t k = 0; k < candidates.size(); ++k) {
    const auto i = find(candidates[k]);
    const std::size_t rank =
        i < 0 ? n + ranked.size() : (static_cast<std::size_t>(i) + n - start) % n;
    ranked.emplace_back(rank, k);
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::size_t> out;
  out.reserve(ranked.size());
  for (const auto& [rank, k] : ranked) {
    out.push_back(k);
  }
  return out;
}

// The pool's rotation for this decision: where it starts and the eligible in its order,
// read in place (no copies of the member or eligible lists).
struct Rotation {
  const Pool& pool;
  const std::optional<RotationCursor>& cursor;  // the snapshot's, not a copy
  const std::vector<std::string>& eligible;
  std::size_t split = 0;            // usual case: eligible[split..], then eligible[..split]
  std::vector<std::size_t> ranked;  // otherwise: indexes into eligible, in order

  Rotation(const Pool& p, const std::optional<RotationCursor>& c, const std::vector<std::string>& e)
      : pool(p), cursor(c), eligible(e) {
    const std::size_t n = pool.members.size();
    const auto find = [&](const std::string& id) { return member_index(pool, id); };
    const std::size_t start = start_after(n, cursor, find);
    const auto id = [&](std::size_t j) -> const std::string& { return pool.members[j].agent; };
    if (!split_subsequence(n, id, start, eligible, split)) {
      ranked = ranked_order(n, find, start, eligible);
    }
  }
  std::size_t size() const { return eligible.size(); }
  // The k-th eligible member in rotation order.
  const std::string& at(std::size_t k) const {
    return ranked.empty() ? eligible[(split + k) % eligible.size()] : eligible[ranked[k]];
  }
  // "next after stephanie", "first in order", "next after lewis (no longer a member)".
  std::string where() const {
    if (!cursor) {
      return "first in order";
    }
    const std::string& last = cursor->last_agent;
    const bool gone = member_index(pool, last) < 0;
    return "next after " + last + (gone ? " (no longer a member)" : "");
  }
  // The cursor after `agent` was picked.
  RotationCursor advanced_to(const std::string& agent) const { return {agent, member_ids(pool)}; }
};

std::string number(double n) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", n);
  return buffer;
}

Choice single(const Rotation& r, const std::string& agent, std::string note) {
  return {{agent}, r.advanced_to(agent), std::move(note)};
}

// The eligible member with the lowest key; ties go to the first in rotation order.
// `says` words the winner's figure, e.g. "has 0 active leads".
Choice pick_lowest(const Rotation& r, Strategy s,
                   const std::function<double(const std::string&)>& key,
                   const std::function<std::string(const std::string&)>& says) {
  std::size_t best = 0;
  double best_key = key(r.at(0));
  for (std::size_t k = 1; k < r.size(); ++k) {
    if (const double v = key(r.at(k)); v < best_key) {
      best = k;
      best_key = v;
    }
  }
  const std::string& agent = r.at(best);
  std::size_t tied = 0;
  for (std::size_t k = 0; k < r.size(); ++k) {
    tied += key(r.at(k)) == best_key ? 1 : 0;
  }
  std::string note = std::string(to_string(s)) + ": " + agent + " " + says(agent);
  if (tied > 1) {
    note += "; tie of " + std::to_string(tied) + " broken by rotation (" + r.where() + ")";
  }
  return single(r, agent, std::move(note));
}

Choice pick_random(const Rotation& r, const StrategyInput& in, util::Random& random) {
  const std::size_t i = random.below(in.eligible.size());
  return single(r, in.eligible[i],
                "random: " + in.eligible[i] + " (1 of " + std::to_string(in.eligible.size()) +
                    " eligible)");
}

double weight_of(const Config& config, const std::string& id) {
  const Agent* agent = config.find_agent(id);
  return agent && agent->weight > 0 ? agent->weight : 0.0;
}

Choice pick_weighted(const Rotation& r, const StrategyInput& in, util::Random& random) {
  double total = 0;
  for (const auto& id : in.eligible) {
    total += weight_of(in.config, id);
  }
  const double target = random.unit() * total;
  double running = 0;
  std::string agent = in.eligible.back();
  for (const auto& id : in.eligible) {
    running += weight_of(in.config, id);
    if (target < running) {
      agent = id;
      break;
    }
  }
  return single(r, agent,
                "weighted_random: " + agent + " (weight " + number(weight_of(in.config, agent)) +
                    " of " + number(total) + ")");
}

double close_rate(const PoolState& state, const std::string& id) {
  const auto it = state.close.find(id);
  if (it == state.close.end() || it->second.won + it->second.lost == 0) {
    return 0.0;
  }
  return static_cast<double>(it->second.won) / (it->second.won + it->second.lost);
}

std::string close_text(const PoolState& state, const std::string& id) {
  const auto it = state.close.find(id);
  if (it == state.close.end() || it->second.won + it->second.lost == 0) {
    return "has no outcomes in the window (rate 0)";
  }
  const auto& c = it->second;
  return "closes " + number(100 * close_rate(state, id)) + "% (" + std::to_string(c.won) +
         " won of " + std::to_string(c.won + c.lost) + ")";
}

Choice pick_metric(const Rotation& r, const StrategyInput& in) {
  const Snapshot& snap = in.snapshot;
  switch (in.pool.strategy) {
  case Strategy::least_active:
    return pick_lowest(
        r, Strategy::least_active, [&](const std::string& a) { return snap.agent(a).active; },
        [&](const std::string& a) {
          return "has " + std::to_string(snap.agent(a).active) + " active leads (fewest)";
        });
  case Strategy::least_pending:
    return pick_lowest(
        r, Strategy::least_pending,
        [&](const std::string& a) { return snap.agent(a).metric("pending"); },
        [&](const std::string& a) {
          return "has pending " + number(snap.agent(a).metric("pending")) + " (lowest)";
        });
  case Strategy::top_score:
    return pick_lowest(
        r, Strategy::top_score,
        [&](const std::string& a) { return -snap.agent(a).metric("score"); },
        [&](const std::string& a) {
          return "has score " + number(snap.agent(a).metric("score")) + " (highest)";
        });
  case Strategy::best_close_rate: {
    const PoolState& ps = snap.pool(in.pool.name);
    return pick_lowest(
        r, Strategy::best_close_rate, [&](const std::string& a) { return -close_rate(ps, a); },
        [&](const std::string& a) { return close_text(ps, a); });
  }
  default:  // least_recent
    return pick_lowest(
        r, Strategy::least_recent,
        [&](const std::string& a) {
          const auto& last = snap.agent(a).last_assigned_at;
          return last ? static_cast<double>(last->time_since_epoch().count())
                      : -std::numeric_limits<double>::infinity();
        },
        [&](const std::string& a) {
          const auto& last = snap.agent(a).last_assigned_at;
          return last ? "last had a lead at " + util::format_rfc3339(*last) + " (longest ago)"
                      : std::string("never had a lead");
        });
  }
}

}  // namespace

std::vector<std::string> member_ids(const Pool& pool) {
  std::vector<std::string> ids;
  ids.reserve(pool.members.size());
  for (const auto& m : pool.members) {
    ids.push_back(m.agent);
  }
  return ids;
}

std::size_t rotation_start(const std::vector<std::string>& members,
                           const std::optional<RotationCursor>& cursor) {
  return start_after(members.size(), cursor,
                     [&](const std::string& id) { return index_in(members, id); });
}

std::vector<std::string> in_rotation_order(const std::vector<std::string>& members,
                                           std::size_t start,
                                           const std::vector<std::string>& candidates) {
  std::vector<std::string> out;
  out.reserve(candidates.size());
  std::size_t split = 0;
  const auto id = [&](std::size_t j) -> const std::string& { return members[j]; };
  if (split_subsequence(members.size(), id, start, candidates, split)) {
    for (std::size_t k = 0; k < candidates.size(); ++k) {
      out.push_back(candidates[(split + k) % candidates.size()]);
    }
    return out;
  }
  const auto find = [&](const std::string& c) { return index_in(members, c); };
  for (const std::size_t k : ranked_order(members.size(), find, start, candidates)) {
    out.push_back(candidates[k]);
  }
  return out;
}

Choice choose(const StrategyInput& in, util::Random& random) {
  if (in.eligible.empty()) {
    return {{}, std::nullopt, std::string(to_string(in.pool.strategy)) + ": nobody eligible"};
  }
  switch (in.pool.strategy) {
  case Strategy::open_pool: return {{}, std::nullopt, "open_pool: queued for members to pick up"};
  case Strategy::broadcast:
    return {in.eligible, std::nullopt,
            "broadcast: offered to " + std::to_string(in.eligible.size()) +
                " eligible members at once"};
  default: break;
  }
  const Rotation r(in.pool, in.snapshot.pool(in.pool.name).cursor, in.eligible);
  switch (in.pool.strategy) {
  case Strategy::round_robin: return single(r, r.at(0), "round_robin: " + r.where());
  case Strategy::random: return pick_random(r, in, random);
  case Strategy::weighted_random: return pick_weighted(r, in, random);
  default: return pick_metric(r, in);
  }
}

}  // namespace router::core
