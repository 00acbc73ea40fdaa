#include "engine/metrics_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>

#include "store/sweep_store.hpp"
#include "util/error.hpp"

namespace router::engine {
namespace {

void gauge(std::ostringstream& out, const char* name, const char* help) {
  out << "# HELP " << name << ' ' << help << "\n# TYPE " << name << " gauge\n";
}

std::string number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6f", value);
  return buffer;
}

long long epoch(util::Time t) {
  return static_cast<long long>(t.time_since_epoch().count());
}

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path) {
  throw util::DbError("cannot write metrics file " + path.string() + ": " + what + ": " +
                      std::strerror(errno));
}

}  // namespace

void read_gauges(store::Database& db, SweepMetrics& m) {
  store::SweepStore store(db);
  m.queue_depth = store.queue_depth();
  m.oldest_pending = store.oldest_pending();
}

std::string render_metrics(const SweepMetrics& m) {
  std::ostringstream out;
  gauge(out, "router_sweep_last_success_timestamp_seconds",
        "When the last successful sweep ran (unix seconds).");
  out << "router_sweep_last_success_timestamp_seconds " << epoch(m.finished_at) << '\n';
  gauge(out, "router_sweep_duration_seconds", "How long the last sweep took.");
  out << "router_sweep_duration_seconds " << number(m.duration_seconds) << '\n';
  gauge(out, "router_sweep_leads_handled", "Leads the last sweep handled, by outcome.");
  std::map<std::string, std::size_t> handled = m.handled;
  for (const char* outcome : k_sweep_outcomes) {
    handled.try_emplace(outcome, 0);
  }
  for (const auto& [outcome, count] : handled) {
    out << "router_sweep_leads_handled{outcome=\"" << outcome << "\"} " << count << '\n';
  }
  gauge(out, "router_sweep_leaves_ended", "Agents' leaves the last sweep ended.");
  out << "router_sweep_leaves_ended " << m.leaves_ended << '\n';
  gauge(out, "router_queue_depth", "Leads waiting in the manual queue.");
  out << "router_queue_depth " << m.queue_depth << '\n';
  gauge(out, "router_oldest_pending_lead_timestamp_seconds",
        "When the oldest pending lead arrived (unix seconds); the sweep's time when none is.");
  out << "router_oldest_pending_lead_timestamp_seconds "
      << epoch(m.oldest_pending.value_or(m.finished_at)) << '\n';
  return out.str();
}

void write_atomically(const std::filesystem::path& path, const std::string& text) {
  const std::filesystem::path folder =
      path.has_parent_path() ? path.parent_path() : std::filesystem::path{"."};
  std::string temp = (folder / ("." + path.filename().string() + ".XXXXXX")).string();
  const int fd = ::mkstemp(temp.data());
  if (fd < 0) {
    fail("cannot create a temporary file in " + folder.string(), path);
  }
  const auto cleanup = [&] {
    ::close(fd);
    ::unlink(temp.c_str());
  };
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      cleanup();
      fail("write", path);
    }
    written += static_cast<std::size_t>(n);
  }
  // mkstemp creates 0600; scrapers running as another user need to read it.
  if (::fchmod(fd, 0644) != 0 || ::fsync(fd) != 0) {
    cleanup();
    fail("fsync", path);
  }
  if (::close(fd) != 0) {
    ::unlink(temp.c_str());
    fail("close", path);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    ::unlink(temp.c_str());
    fail("rename", path);
  }
}

}  // namespace router::engine
