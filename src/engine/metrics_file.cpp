#include "engine/metrics_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <sstream>

#include "engine/sweep.hpp"
#include "store/delivery_store.hpp"
#include "store/sweep_store.hpp"
#include "util/error.hpp"

namespace router::engine {
namespace {

void help(std::ostringstream& out, const char* name, const char* type, const char* text) {
  out << "# HELP " << name << ' ' << text << "\n# TYPE " << name << ' ' << type << '\n';
}

void gauge(std::ostringstream& out, const char* name, const char* text) {
  help(out, name, "gauge", text);
}

// `counts` with every outcome of k_sweep_outcomes present (0 when absent), so dashboards
// see every series from the first run.
template <class Count>
std::map<std::string, Count> every_outcome(const std::map<std::string, Count>& counts) {
  std::map<std::string, Count> out = counts;
  for (const char* outcome : k_sweep_outcomes) {
    out.try_emplace(outcome, 0);
  }
  return out;
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

// Removes the temporary files "STEM<pid>" in `folder` whose process no longer exists: a
// run killed between creating its temporary file and renaming it. A live writer's file, or
// one that cannot be judged, is left alone.
void remove_abandoned(const std::filesystem::path& folder, const std::string& stem) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() <= stem.size() || name.compare(0, stem.size(), stem) != 0) {
      continue;
    }
    const std::string digits = name.substr(stem.size());
    if (digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    const pid_t pid = static_cast<pid_t>(std::stol(digits));
    if (pid > 0 && pid != ::getpid() && ::kill(pid, 0) != 0 && errno == ESRCH) {
      ::unlink(entry.path().c_str());
    }
  }
}

}  // namespace

void read_gauges(store::Database& db, SweepMetrics& m) {
  store::SweepStore store(db);
  m.queue_depth = store.queue_depth();
  m.oldest_pending = store.oldest_pending();
  const std::string handled = k_counter_handled;
  for (const auto& [name, value] : store.counters("sweep.")) {
    if (name.rfind(handled, 0) == 0) {
      m.handled_total[name.substr(handled.size())] = value;
    } else if (name == k_counter_leaves_ended) {
      m.leaves_ended_total = value;
    }
  }
  for (const auto& [name, value] : store.counters("notify.")) {
    m.delivery_attempts_total[name.substr(7)] = value;
  }
  store::DeliveryStore deliveries(db);
  m.deliveries = deliveries.open_counts();
}

std::string render_metrics(const SweepMetrics& m) {
  std::ostringstream out;
  gauge(out, "router_sweep_last_success_timestamp_seconds",
        "When the last successful sweep ran (unix seconds).");
  out << "router_sweep_last_success_timestamp_seconds " << epoch(m.finished_at) << '\n';
  gauge(out, "router_sweep_duration_seconds", "How long the last sweep took.");
  out << "router_sweep_duration_seconds " << number(m.duration_seconds) << '\n';
  help(out, "router_sweep_leads_handled_total", "counter",
       "Leads handled by every sweep of this database, by outcome.");
  for (const auto& [outcome, count] : every_outcome(m.handled_total)) {
    out << "router_sweep_leads_handled_total{outcome=\"" << outcome << "\"} " << count << '\n';
  }
  help(out, "router_sweep_leaves_ended_total", "counter",
       "Agents' leaves ended by every sweep of this database.");
  out << "router_sweep_leaves_ended_total " << m.leaves_ended_total << '\n';
  gauge(out, "router_sweep_last_run_leads_handled", "Leads the last sweep handled, by outcome.");
  for (const auto& [outcome, count] : every_outcome(m.handled)) {
    out << "router_sweep_last_run_leads_handled{outcome=\"" << outcome << "\"} " << count << '\n';
  }
  gauge(out, "router_sweep_last_run_leaves_ended", "Agents' leaves the last sweep ended.");
  out << "router_sweep_last_run_leaves_ended " << m.leaves_ended << '\n';
  gauge(out, "router_queue_depth", "Leads waiting in the manual queue.");
  out << "router_queue_depth " << m.queue_depth << '\n';
  gauge(out, "router_oldest_pending_lead_timestamp_seconds",
        "When the oldest pending lead arrived (unix seconds); the sweep's time when none is.");
  out << "router_oldest_pending_lead_timestamp_seconds "
      << epoch(m.oldest_pending.value_or(m.finished_at)) << '\n';
  gauge(out, "router_notify_deliveries", "Notification deliveries by state.");
  for (const char* state : k_delivery_states) {
    const auto it = m.deliveries.find(state);
    out << "router_notify_deliveries{state=\"" << state << "\"} "
        << (it == m.deliveries.end() ? 0 : it->second) << '\n';
  }
  help(out, "router_notify_attempts_total", "counter",
       "Delivery attempts by every notify and sweep of this database, by outcome.");
  for (const char* outcome : k_delivery_outcomes) {
    const auto it = m.delivery_attempts_total.find(outcome);
    out << "router_notify_attempts_total{outcome=\"" << outcome << "\"} "
        << (it == m.delivery_attempts_total.end() ? 0 : it->second) << '\n';
  }
  return out.str();
}

void write_atomically(const std::filesystem::path& path, const std::string& text) {
  const std::filesystem::path folder =
      path.has_parent_path() ? path.parent_path() : std::filesystem::path{"."};
  const std::string stem = "." + path.filename().string() + ".tmp-";
  remove_abandoned(folder, stem);
  const std::string temp = (folder / (stem + std::to_string(::getpid()))).string();
  // A file left by an earlier process that had this pid is ours to replace.
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
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
  // The umask may have narrowed 0644; scrapers running as another user need to read it.
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
  // The rename is durable only once the folder is.
  const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0 || ::fsync(dir) != 0) {
    if (dir >= 0) {
      ::close(dir);
    }
    fail("fsync of folder " + folder.string(), path);
  }
  ::close(dir);
}

}  // namespace router::engine
