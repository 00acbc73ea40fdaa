#include "cli/print.hpp"

#include "util/time.hpp"

namespace router::cli {

std::string pad(const std::string& text, std::size_t width) {
  return text.size() >= width ? text + " " : text + std::string(width - text.size(), ' ');
}

std::string decision_line(const core::Decision& d) {
  std::string agents;
  for (const auto& a : d.chosen) {
    agents += (agents.empty() ? "" : ",") + a;
  }
  const char* verb = "queued";
  switch (d.outcome) {
    case core::Outcome::offer: verb = "offered"; break;
    case core::Outcome::assign: verb = "assigned"; break;
    case core::Outcome::queue: verb = "queued"; break;
    case core::Outcome::open_pool: verb = "pooled"; break;
  }
  std::string line = pad(d.lead_id, 14) + pad(verb, 10) + pad(agents.empty() ? "-" : agents, 14) +
                     pad(d.pool.value_or("-"), 12) + pad(d.rule.value_or("-"), 18) +
                     core::to_string(d.reason);
  if (d.deadline && d.outcome == core::Outcome::offer) {
    line += "  until " + util::format_rfc3339(*d.deadline);
  }
  return line;
}

}  // namespace router::cli
