#include "core/eligibility.hpp"

#include <algorithm>

#include "core/calendar.hpp"
#include "core/match.hpp"
#include "util/strings.hpp"
#include "util/time.hpp"

namespace router::core {
namespace {

std::optional<std::string> missing_tag(const Agent& agent, const std::vector<std::string>& tags) {
  for (const auto& tag : tags) {
    if (!has_tags(agent, {tag})) {
      return tag;
    }
  }
  return std::nullopt;
}

// An exclusion with the fields `fill` sets; its sentence (exclusion_text) is made only
// when it is printed, not for every member of every lead routed.
template <typename Fill> Excluded make(const Member& member, Exclusion code, Fill fill) {
  Excluded e{member.agent, code};
  fill(e);
  return e;
}

Excluded make(const Member& member, Exclusion code) {
  return make(member, code, [](Excluded&) {});
}

// The limit checks: usage counted by this pool in its zone's day and month.
std::optional<Excluded> limit_exclusion(const MemberUsage& used, const Member& member) {
  if (member.daily_limit > 0 && used.today >= member.daily_limit) {
    return make(member, Exclusion::daily_limit, [&](Excluded& e) {
      e.used = used.today;
      e.limit = member.daily_limit;
    });
  }
  if (member.monthly_limit > 0 && used.month >= member.monthly_limit) {
    return make(member, Exclusion::monthly_limit, [&](Excluded& e) {
      e.used = used.month;
      e.limit = member.monthly_limit;
    });
  }
  return std::nullopt;
}

// The member's usage in the pool; none counted when absent.
const MemberUsage& usage_of(const PoolState& pool, const std::string& agent) {
  static const MemberUsage k_none;
  const auto it = pool.usage.find(agent);
  return it == pool.usage.end() ? k_none : it->second;
}

}  // namespace

Time shift_instant(const Config& config, const Pool& pool, Time now) {
  if (!pool.schedule) {
    return now;
  }
  const Schedule* schedule = config.find_schedule(*pool.schedule);
  if (!schedule || is_open(*schedule, now)) {
    return now;
  }
  return next_open(*schedule, now).value_or(now);
}

namespace {

// What one member's checks read besides the input: their agent (nullptr when not defined),
// state and usage in the pool (usage only read when they have a limit).
struct MemberView {
  const Agent* agent;
  const AgentState& state;
  const MemberUsage* usage;  // nullptr: look it up in `pool_state` when needed
};

std::optional<Excluded> exclusion(const EligibilityInput& in, const PoolState& pool_state,
                                  const Member& member, const MemberView& view, Time shift_time) {
  if (in.exclude && *in.exclude == member.agent) {
    return make(member, Exclusion::current_owner);
  }
  if (!view.agent) {
    return make(member, Exclusion::unknown_agent);
  }
  const AgentState& state = view.state;
  if (!state.available_at(in.now)) {
    return make(member, Exclusion::status, [&](Excluded& e) {
      e.status = state.status;
      e.until = state.status == AgentStatus::leave ? state.until : std::nullopt;
    });
  }
  if (member.shifts && !within_hours(*member.shifts, in.config.pool_zone(in.pool), shift_time)) {
    return make(member, Exclusion::off_shift, [&](Excluded& e) { e.at = shift_time; });
  }
  if (in.pool.require_online && !state.online) {
    return make(member, Exclusion::not_logged_in);
  }
  if (member.daily_limit > 0 || member.monthly_limit > 0) {
    if (auto limit = limit_exclusion(view.usage ? *view.usage : usage_of(pool_state, member.agent),
                                     member)) {
      return limit;
    }
  }
  if (const auto tag = missing_tag(*view.agent, in.requires_tags)) {
    return make(member, Exclusion::missing_tags, [&](Excluded& e) { e.tag = *tag; });
  }
  const auto& offered = in.history.offered;
  if (!offered.empty() &&
      std::find(offered.begin(), offered.end(), member.agent) != offered.end()) {
    return make(member, Exclusion::already_offered);
  }
  return std::nullopt;
}

}  // namespace

std::optional<Excluded> exclusion_of(const EligibilityInput& in, const Member& member,
                                     Time shift_time) {
  return exclusion(in, in.snapshot.pool(in.pool.name), member,
                   {in.config.find_agent(member.agent), in.snapshot.agent(member.agent), nullptr},
                   shift_time);
}

Eligibility check_eligibility(const EligibilityInput& in) {
  Eligibility result;
  const Time shift_time = shift_instant(in.config, in.pool, in.now);
  const PoolState& pool_state = in.snapshot.pool(in.pool.name);
  result.eligible.reserve(in.pool.members.size());
  const std::vector<MemberSlot>* slots = in.snapshot.slots(in.config, in.pool);
  for (std::size_t i = 0; i < in.pool.members.size(); ++i) {
    const Member& member = in.pool.members[i];
    const MemberSlot* slot = slots ? &(*slots)[i] : nullptr;
    auto excluded = slot ? exclusion(in, pool_state, member,
                                     {slot->agent, *slot->state, slot->usage}, shift_time)
                         : exclusion(in, pool_state, member,
                                     {in.config.member_agent(in.pool, i),
                                      in.snapshot.agent(member.agent), nullptr},
                                     shift_time);
    if (excluded) {
      result.excluded.push_back(std::move(*excluded));
    } else {
      result.eligible.push_back(member.agent);
    }
  }
  return result;
}

}  // namespace router::core
