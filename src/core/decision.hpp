#pragma once
// A routing decision as data: what was tried, who was excluded and why, who was chosen and
// what happens next. The engine writes it; `explain` prints it; tests inspect it.

#include <optional>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "core/snapshot.hpp"

namespace router::core {

// What happens to the lead.
enum class Outcome {
  offer,      // offered to `chosen` (several for broadcast) until `deadline`
  assign,     // assigned to chosen[0] at once
  queue,      // the manual queue (no pool)
  open_pool,  // queued in `pool` for its members to pick up
};

// Why, as written to the event's detail.reason.
enum class Reason {
  rule,               // a rule's pool chose a member
  default_agent,      // "default": nobody eligible, the pool's default took it
  owner_match,        // a repeat contact went back to its owner
  no_rule,            // no rule matched
  no_eligible_agent,  // nobody eligible and no default
  exhausted,          // max_offers reached or nobody left to offer to
  stale,              // routed again after being untouched for stale_after
  manual,             // routed again by `reassign --pool`
  expired,            // offered on after an offer's deadline passed
  declined,           // offered on after a decline
  agent_unavailable,  // offered on after the agent became unavailable
  config_changed,     // offered on after the agent left the pool
  bad_attributes,     // the lead's attributes are not a JSON object: the manual queue
};

// How a lead reached this decision.
enum class RouteMode {
  fresh,     // a pending lead: owner_match, then the rules
  reoffer,   // the lead's pool again after an offer ended (attempts and offered count)
  reassign,  // a given pool directly, excluding the current owner
};

// Why a member was not eligible, in the order the checks run.
enum class Exclusion {
  current_owner,    // reassign: the owner the lead is moving away from
  unknown_agent,    // listed as a member but not defined (only with hand-built models)
  status,           // away, leave or offline
  off_shift,        // outside the member's shifts
  not_logged_in,    // pool requires_online and they are logged out
  daily_limit,      // reached daily_limit in this pool today
  monthly_limit,    // reached monthly_limit in this pool this month
  missing_tags,     // lacks a tag the rule requires
  already_offered,  // this lead was offered to them before
};

// One rule tried, in file order, and why it did not match.
struct RuleTrial {
  std::string rule;
  bool matched = false;
  std::string why;  // empty when matched
};

// What owner_match found for this lead.
struct OwnerMatchInfo {
  std::string owner;
  bool used = false;  // the lead went to them
  std::string why;    // why not, when not used
};

// A member left out, with a machine code and a sentence for people. The fields after `text`
// are what the sentence is made of (exclusion_text), so a decision trail can store them
// instead of the sentence.
struct Excluded {
  std::string agent;
  Exclusion code = Exclusion::status;
  AgentStatus status = AgentStatus::available;  // status: the agent's status
  std::optional<Time> until{};                  // status: on leave until
  Time at{};                                    // off_shift: the instant the shift was judged at
  std::int64_t used = 0;                        // daily_limit, monthly_limit: leads counted
  std::int64_t limit = 0;                       // daily_limit, monthly_limit: the limit
  std::string tag{};                            // missing_tags: the first tag lacking
};

// The whole decision for one lead.
struct Decision {
  std::string lead_id;
  RouteMode mode = RouteMode::fresh;
  std::vector<RuleTrial> rules_tried;
  std::optional<OwnerMatchInfo> owner_match;
  std::optional<std::string> rule;      // the rule that matched (or the lead kept)
  std::optional<std::string> pool;      // the pool used
  std::optional<Strategy> strategy;     // the pool's strategy, when members were chosen among
  std::vector<Excluded> excluded;
  std::vector<std::string> eligible;  // members left after the exclusions
  std::vector<std::string> chosen;    // offered or assigned agents
  Outcome outcome = Outcome::queue;
  Reason reason = Reason::no_rule;
  std::optional<Time> deadline;              // offers only
  std::optional<RotationCursor> new_cursor;  // write back when set: the pool's rotation moved
  std::string note;                          // one line on the strategy's choice
  bool counts_against_limits = false;        // counts in the pool's daily and monthly usage
  int attempts = 0;                          // offers made in this round, this one included
  std::string error;                         // bad_attributes: the attributes parser's message
};

// Names as written to events and shown by `explain`.
const char* to_string(Outcome o);
const char* to_string(Reason r);
const char* to_string(RouteMode m);
const char* to_string(Exclusion e);
// Parses a reason name; nullopt when unknown.
std::optional<Reason> parse_reason(const std::string& name);

// The sentence for an exclusion, from its code and the fields the code uses.
std::string exclusion_text(const Excluded& e);

// A few lines for people: rules tried, exclusions, the choice and the outcome.
std::string describe(const Decision& d);

}  // namespace router::core
