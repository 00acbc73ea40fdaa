#pragma once
// The services one run of `router` uses, built once from the global options and passed
// to the subcommand explicitly (no global state).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "core/model.hpp"
#include "util/clock.hpp"
#include "util/random.hpp"

namespace CLI {
class App;
}

namespace router::config {
struct LoadResult;
}

namespace router::cli {

// Output formats a command may accept.
enum class Format { text, json, github, csv };

// The global options of SPEC §4, as given on the command line or in the environment.
struct GlobalOptions {
  std::string config;                 // --config / $ROUTER_CONFIG
  std::string db;                     // --db / $ROUTER_DB
  std::string now;                    // --now / $ROUTER_NOW (RFC 3339)
  std::optional<std::uint64_t> seed;  // --seed / $ROUTER_SEED
  std::string busy_timeout = "5s";    // --busy-timeout
  std::string format;                 // --format (empty: the command's default)
  bool quiet = false;                 // -q
  int verbose = 0;                    // -v (repeatable)
};

// The installed configuration (the Debian package's conffile).
inline constexpr const char* k_system_config = "/etc/router/router.yaml";

// The configuration used when neither --config nor $ROUTER_CONFIG is given: `local`
// (./router.yaml) when it exists, else `system` when that exists, else `local` (whose
// absence is then the error reported).
std::filesystem::path default_config_path(const std::filesystem::path& local = "router.yaml",
                                          const std::filesystem::path& system = k_system_config);

// Everything a subcommand needs, created on first use.
class Context {
public:
  Context(std::ostream& out, std::ostream& err) : m_out(out), m_err(err) {}

  // The command line the commands are registered on; format() reads their declarations.
  void attach(CLI::App& app) { m_app = &app; }

  GlobalOptions options;

  // Standard output and error.
  std::ostream& out() { return m_out; }
  std::ostream& err() { return m_err; }

  // The configuration file's path: --config, $ROUTER_CONFIG (via CLI11), else
  // default_config_path().
  std::filesystem::path config_path() const;
  // The loaded, validated configuration; prints diagnostics and throws ConfigError (78)
  // when invalid. Warnings are printed only with -v.
  const core::Config& config();
  // Another configuration file (`simulate --with`), read and validated without the cache;
  // its diagnostics and refusal as config()'s, the refusal naming `hint` as the command that
  // tells more.
  core::Config load_config(const std::filesystem::path& path, const std::string& hint);
  // Hands the loaded configuration to a list that is never freed, for a run about to end:
  // freeing a large model block by block (2M instructions for 2,000 agents and 500 rules)
  // does nothing useful before exit (as clang's -disable-free). The list is reachable from
  // a static, so leak checkers do not report it. The Context no longer has a configuration.
  void keep_config_past_exit();
  // The database path: --db, $ROUTER_DB, else the config's `database` (default router.db
  // beside the config file).
  std::filesystem::path db_path();
  // The clock: fixed at --now when given, else the system clock. Throws UsageError.
  const util::Clock& clock();
  // The random generator, seeded by --seed or from entropy.
  util::Random& random();
  // --busy-timeout parsed. Throws UsageError.
  std::chrono::milliseconds busy_timeout() const;
  // --format checked against the formats the chosen command declared (see cli::honour);
  // its first one when --format is not given. Throws UsageError.
  Format format() const;

private:
  // Prints the diagnostics of loading `path` (warnings only with -v) and returns the model;
  // throws ConfigError naming `hint` when the file is invalid.
  core::Config checked(config::LoadResult& result, const std::filesystem::path& path,
                       const std::string& hint);
  std::ostream& m_out;
  std::ostream& m_err;
  CLI::App* m_app = nullptr;
  std::unique_ptr<core::Config> m_config;
  std::unique_ptr<util::Clock> m_clock;
  std::unique_ptr<util::Random> m_random;
};

// The time a --now or $ROUTER_NOW value names. Throws UsageError (64) when it is not an
// RFC 3339 instant with an offset; every command checks it before it runs.
util::Time parse_now(const std::string& text);

// The name of a format as written on the command line.
const char* to_string(Format f);

}  // namespace router::cli
