#pragma once
// The decision trail: a routing decision stored in a few dozen bytes instead of its JSON.
//
// Kept is what only the moment of decision knows — who was excluded and why (status,
// shift, limits with the counts, tags, already offered), the strategy, its choice and note,
// the outcome and deadline. Left out is what follows exactly from the lead, the decision
// time and the configuration the decision was made under (stored once, by content hash):
// the rules tried with why each missed, and the eligible members (the pool's members less
// the excluded). Anything that does not follow that way is stored as it is, so decoding
// with the same configuration always gives back the same decision (and the same JSON).

#include <string>
#include <string_view>

#include "core/decision.hpp"
#include "core/lead.hpp"
#include "core/model.hpp"

namespace router::engine {

// The trail of `d`, made under `config` at `at`.
std::string encode_trail(const core::Decision& d, const core::Config& config, core::Time at);

// The decision back from its trail. `config` is the configuration it was made under
// (nullptr when that cannot be loaded: the rules tried and the eligible members are then
// left empty); `lead` gives the attributes its rules are matched against again. Throws
// std::runtime_error on a damaged trail.
core::Decision decode_trail(std::string_view data, const core::Config* config,
                            const core::Lead& lead, core::Time at);

}  // namespace router::engine
