#pragma once
// The read-only views of `router agent`: the listing and one agent's history.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/agents.hpp"

namespace router::cli {

class Context;

// `agent list`: text table or JSON array.
void run_agent_list(Context& ctx);
// `agent history A`: text table or JSON array.
void run_agent_history(Context& ctx, const std::string& agent);

// The `agent list` table: agent, name, status, until, online, open, today, month, limits.
std::string agent_table(const std::vector<engine::AgentSummary>& agents);
// The `agent list --format json` array.
nlohmann::ordered_json agents_json(const std::vector<engine::AgentSummary>& agents);
// The same as CSV with a header row, one record per agent (open, offered and assigned leads;
// counted leads today and this month over all pools).
std::string agents_csv(const std::vector<engine::AgentSummary>& agents);

}  // namespace router::cli
