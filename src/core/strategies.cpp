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

// The pool's rotation for this decision: where it starts and the eligible in its order.
struct Rotation {
  std::vector<std::string> members;
  const std::optional<RotationCursor>* cursor = nullptr;  // the snapshot's, not a copy
  std::vector<std::string> order;

  // "next after stephanie", "first in order", "next after lewis (no longer a member)".
  std::string where() const {
    if (!*cursor) {
      return "first in order";
    }
    const std::string& last = (*cursor)->last_agent;
    const bool gone = index_in(members, last) < 0;
    return "next after " + last + (gone ? " (no longer a member)" : "");
  }
  // The cursor after `agent` was picked.
  RotationCursor advanced_to(const std::string& agent) const { return {agent, members}; }
};

Rotation make_rotation(const StrategyInput& in) {
  Rotation r;
  r.members = member_ids(in.pool);
  r.cursor = &in.snapshot.pool(in.pool.name).cursor;
  r.order = in_rotation_order(r.members, rotation_start(r.members, *r.cursor), in.eligible);
  return r;
}

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
  for (std::size_t i = 1; i < r.order.size(); ++i) {
    if (key(r.order[i]) < key(r.order[best])) {
      best = i;
    }
  }
  const std::string& agent = r.order[best];
  const double best_key = key(agent);
  const auto tied = std::count_if(r.order.begin(), r.order.end(),
                                  [&](const std::string& a) { return key(a) == best_key; });
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
  if (members.empty() || !cursor) {
    return 0;
  }
  const std::size_t n = members.size();
  if (const auto i = index_in(members, cursor->last_agent); i >= 0) {
    return (static_cast<std::size_t>(i) + 1) % n;
  }
  // The last agent left the pool: continue from the place they had in the old order.
  const auto& old = cursor->order;
  const auto p = index_in(old, cursor->last_agent);
  if (p < 0) {
    return 0;
  }
  for (std::size_t k = 1; k < old.size(); ++k) {
    const std::string& next = old[(static_cast<std::size_t>(p) + k) % old.size()];
    if (const auto j = index_in(members, next); j >= 0) {
      return static_cast<std::size_t>(j);
    }
  }
  return static_cast<std::size_t>(p) % n;
}

namespace {

// The usual case in linear time: the candidates are members in configured order (eligibility
// keeps that order), so the rotation is those from `start` on, then those before it. False
// (and `out` untouched) when they are not a subsequence of the members.
bool rotate_subsequence(const std::vector<std::string>& members, std::size_t start,
                        const std::vector<std::string>& candidates,
                        std::vector<std::string>& out) {
  std::size_t split = candidates.size();  // the first candidate at or after `start`
  std::size_t j = 0;
  for (std::size_t k = 0; k < candidates.size(); ++k) {
    while (j < members.size() && members[j] != candidates[k]) {
      ++j;
    }
    if (j == members.size()) {
      return false;
    }
    if (j >= start && split == candidates.size()) {
      split = k;
    }
    ++j;
  }
  out.reserve(candidates.size());
  out.insert(out.end(), candidates.begin() + static_cast<std::ptrdiff_t>(split), candidates.end());
  out.insert(out.end(), candidates.begin(),
             candidates.begin() + static_cast<std::ptrdiff_t>(split));
  return true;
}

}  // namespace

std::vector<std::string> in_rotation_order(const std::vector<std::string>& members,
                                           std::size_t start,
                                           const std::vector<std::string>& candidates) {
  const std::size_t n = members.size();
  if (std::vector<std::string> fast; rotate_subsequence(members, start, candidates, fast)) {
    return fast;
  }
  std::vector<std::pair<std::size_t, std::string>> ranked;
  ranked.reserve(candidates.size());
  for (const auto& c : candidates) {
    const auto i = index_in(members, c);
    // A candidate outside the member list (never expected) goes last, keeping its order.
    const std::size_t rank =
        i < 0 ? n + ranked.size() : (static_cast<std::size_t>(i) + n - start) % n;
    ranked.emplace_back(rank, c);
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  out.reserve(ranked.size());
  for (auto& [rank, id] : ranked) {
    out.push_back(std::move(id));
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
  const Rotation r = make_rotation(in);
  switch (in.pool.strategy) {
  case Strategy::round_robin: return single(r, r.order.front(), "round_robin: " + r.where());
  case Strategy::random: return pick_random(r, in, random);
  case Strategy::weighted_random: return pick_weighted(r, in, random);
  default: return pick_metric(r, in);
  }
}

}  // namespace router::core
