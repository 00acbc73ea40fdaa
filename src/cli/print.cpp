#include "cli/print.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>

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

namespace {

bool is_stream(const char* journal, int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    return false;
  }
  unsigned long long device = 0;
  unsigned long long inode = 0;
  char tail = 0;
  return std::sscanf(journal, "%llu:%llu%c", &device, &inode, &tail) == 2 &&
         device == static_cast<unsigned long long>(st.st_dev) &&
         inode == static_cast<unsigned long long>(st.st_ino);
}

}  // namespace

bool under_journal() {
  static const bool journal = [] {
    const char* stream = std::getenv("JOURNAL_STREAM");
    return stream != nullptr && (is_stream(stream, 1) || is_stream(stream, 2));
  }();
  return journal;
}

const char* error_priority() { return under_journal() ? "<3>" : ""; }

const char* warning_priority() { return under_journal() ? "<4>" : ""; }

}  // namespace router::cli
