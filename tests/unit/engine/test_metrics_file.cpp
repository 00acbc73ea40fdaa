#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "../store/temp_dir.hpp"
#include "engine/metrics_file.hpp"
#include "util/error.hpp"
#include "util/time.hpp"

using router::engine::render_metrics;
using router::engine::SweepMetrics;
using router::engine::write_atomically;

namespace {

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_SUITE("engine.metrics_file") {
  TEST_CASE("the sweep's metrics render in Prometheus text format, every outcome present") {
    SweepMetrics m;
    m.finished_at = *router::util::parse_rfc3339("2026-11-23T13:10:00Z");
    m.duration_seconds = 0.0125;
    m.leaves_ended = 1;
    m.handled = {{"expired", 3}, {"offered", 2}, {"assigned", 1}};
    m.handled_total = {{"expired", 13}, {"offered", 22}};
    m.leaves_ended_total = 5;
    m.queue_depth = 4;
    m.oldest_pending = *router::util::parse_rfc3339("2026-11-23T13:00:00Z");
    m.deliveries = {{"pending", 3}, {"failed", 2}};
    m.delivery_attempts_total = {{"sent", 40}, {"retried", 7}};
    CHECK(render_metrics(m) ==
          "# HELP router_sweep_last_success_timestamp_seconds When the last successful sweep "
          "ran (unix seconds).\n"
          "# TYPE router_sweep_last_success_timestamp_seconds gauge\n"
          "router_sweep_last_success_timestamp_seconds 1795439400\n"
          "# HELP router_sweep_duration_seconds How long the last sweep took.\n"
          "# TYPE router_sweep_duration_seconds gauge\n"
          "router_sweep_duration_seconds 0.012500\n"
          "# HELP router_sweep_leads_handled_total Leads handled by every sweep of this "
          "database, by outcome.\n"
          "# TYPE router_sweep_leads_handled_total counter\n"
          "router_sweep_leads_handled_total{outcome=\"assigned\"} 0\n"
          "router_sweep_leads_handled_total{outcome=\"expired\"} 13\n"
          "router_sweep_leads_handled_total{outcome=\"offered\"} 22\n"
          "router_sweep_leads_handled_total{outcome=\"pooled\"} 0\n"
          "router_sweep_leads_handled_total{outcome=\"queued\"} 0\n"
          "router_sweep_leads_handled_total{outcome=\"stale\"} 0\n"
          "router_sweep_leads_handled_total{outcome=\"withdrawn\"} 0\n"
          "# HELP router_sweep_leaves_ended_total Agents' leaves ended by every sweep of this "
          "database.\n"
          "# TYPE router_sweep_leaves_ended_total counter\n"
          "router_sweep_leaves_ended_total 5\n"
          "# HELP router_sweep_last_run_leads_handled Leads the last sweep handled, by outcome.\n"
          "# TYPE router_sweep_last_run_leads_handled gauge\n"
          "router_sweep_last_run_leads_handled{outcome=\"assigned\"} 1\n"
          "router_sweep_last_run_leads_handled{outcome=\"expired\"} 3\n"
          "router_sweep_last_run_leads_handled{outcome=\"offered\"} 2\n"
          "router_sweep_last_run_leads_handled{outcome=\"pooled\"} 0\n"
          "router_sweep_last_run_leads_handled{outcome=\"queued\"} 0\n"
          "router_sweep_last_run_leads_handled{outcome=\"stale\"} 0\n"
          "router_sweep_last_run_leads_handled{outcome=\"withdrawn\"} 0\n"
          "# HELP router_sweep_last_run_leaves_ended Agents' leaves the last sweep ended.\n"
          "# TYPE router_sweep_last_run_leaves_ended gauge\n"
          "router_sweep_last_run_leaves_ended 1\n"
          "# HELP router_queue_depth Leads waiting in the manual queue.\n"
          "# TYPE router_queue_depth gauge\n"
          "router_queue_depth 4\n"
          "# HELP router_oldest_pending_lead_timestamp_seconds When the oldest pending lead "
          "arrived (unix seconds); the sweep's time when none is.\n"
          "# TYPE router_oldest_pending_lead_timestamp_seconds gauge\n"
          "router_oldest_pending_lead_timestamp_seconds 1795438800\n"
          "# HELP router_notify_deliveries Notification deliveries by state.\n"
          "# TYPE router_notify_deliveries gauge\n"
          "router_notify_deliveries{state=\"pending\"} 3\n"
          "router_notify_deliveries{state=\"sending\"} 0\n"
          "router_notify_deliveries{state=\"failed\"} 2\n"
          "# HELP router_notify_attempts_total Delivery attempts by every notify and sweep of "
          "this database, by outcome.\n"
          "# TYPE router_notify_attempts_total counter\n"
          "router_notify_attempts_total{outcome=\"sent\"} 40\n"
          "router_notify_attempts_total{outcome=\"retried\"} 7\n"
          "router_notify_attempts_total{outcome=\"failed\"} 0\n");
  }

  TEST_CASE("with nothing pending the oldest pending lead is the sweep's own time") {
    SweepMetrics m;
    m.finished_at = *router::util::parse_rfc3339("2026-11-23T13:10:00Z");
    const std::string text = render_metrics(m);
    CHECK(text.find("router_oldest_pending_lead_timestamp_seconds 1795439400\n") !=
          std::string::npos);
    // Counters start at 0 on a database no sweep has counted in yet.
    CHECK(text.find("router_sweep_leads_handled_total{outcome=\"expired\"} 0\n") !=
          std::string::npos);
    CHECK(text.find("router_sweep_leaves_ended_total 0\n") != std::string::npos);
  }

  TEST_CASE("the metrics file is replaced whole, readable by others, no temporary left") {
    router::test::TempDir dir;
    const auto path = dir.path() / "router.prom";
    write_atomically(path, "old\n");
    write_atomically(path, "new 1\n");
    CHECK(read(path) == "new 1\n");
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0644);
    int files = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) {
      ++files;
    }
    CHECK(files == 1);
  }

  TEST_CASE("temporary files of killed writers are removed; a live writer's is left") {
    router::test::TempDir dir;
    const auto path = dir.path() / "router.prom";
    // A pid no process has: above the kernel's pid_max.
    const auto dead = dir.path() / ".router.prom.tmp-999999999";
    const auto live = dir.path() / (".router.prom.tmp-" + std::to_string(::getppid()));
    const auto other = dir.path() / ".other.prom.tmp-999999999";
    for (const auto& p : {dead, live, other}) {
      std::ofstream(p) << "half";
    }
    write_atomically(path, "new\n");
    CHECK(read(path) == "new\n");
    CHECK_FALSE(std::filesystem::exists(dead));
    CHECK(std::filesystem::exists(live));
    CHECK(std::filesystem::exists(other));
  }

  TEST_CASE("a metrics file in a missing folder is a database-class error naming the path") {
    router::test::TempDir dir;
    const auto path = dir.path() / "missing" / "router.prom";
    CHECK_THROWS_AS(write_atomically(path, "x\n"), router::util::DbError);
    try {
      write_atomically(path, "x\n");
    } catch (const router::util::DbError& e) {
      CHECK(std::string(e.what()).find("cannot write metrics file " + path.string()) == 0);
    }
  }
}
