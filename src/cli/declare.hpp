#pragma once
// How commands declare what they take, so the help, the run-time checks, the usage errors
// and the shell completions all read the same declaration back from the CLI11 app.

#include <string>
#include <vector>

#include "cli/context.hpp"
#include "util/clock.hpp"
#include "util/zone.hpp"

namespace CLI {
class App;
class Option;
class Validator;
}  // namespace CLI

namespace router::cli {

// The global options a command honours, listed under "Global options:" in its help.
enum Honours : unsigned {
  k_config = 1U << 0,        // --config FILE
  k_db = 1U << 1,            // --db FILE
  k_now = 1U << 2,           // --now TIME
  k_seed = 1U << 3,          // --seed N
  k_busy_timeout = 1U << 4,  // --busy-timeout DURATION
  k_quiet = 1U << 5,         // -q
  k_verbose = 1U << 6,       // -v
  // A command that reads the configuration and the database.
  k_reads = k_config | k_db | k_busy_timeout | k_quiet | k_verbose,
};

// The heading of the global options in a command's help.
inline constexpr const char* k_global_group = "Global options";

// Adds the global options of SPEC §4 to the main app, bound to `o`.
void add_global_options(CLI::App& app, GlobalOptions& o);

// Declares the global options `cmd` honours and the --format values it accepts (the first
// is the default; none: the command has no --format). They are real options of `cmd`, bound
// to the same GlobalOptions, so they parse after the command and show in its help.
void honour(CLI::App& cmd, Context& ctx, unsigned globals, std::vector<Format> formats);

// Restricts an option to `values`: checked while parsing (a did-you-mean when wrong), shown
// as "a|b|c" in the help, read back by choices().
CLI::Option* one_of(CLI::Option* option, const std::vector<std::string>& values);
// The values declared with one_of(), or none.
std::vector<std::string> choices(CLI::Option& option);

// A whole number at least `min`, checked before CLI11 converts it, shown as `placeholder`.
CLI::Option* whole_number(CLI::Option* option, long long min, const std::string& placeholder);

// The --format values `cmd` accepts, in declaration order (none when it has no --format).
std::vector<Format> declared_formats(CLI::App& cmd);

// The deepest command chosen on the command line (the app itself when none).
CLI::App& chosen_command(CLI::App& app);
// "router agent set": the command as typed.
std::string command_path(const CLI::App& cmd);
// "must be a or b, not 'x'" with "; did you mean 'a'?" when `text` is near one of `values`.
std::string not_one_of(const std::vector<std::string>& values, const std::string& text);
// "a, b or c".
std::string alternatives(const std::vector<std::string>& values);
// The value of a period option (--since, --until): an RFC 3339 time, or a plain date, its
// midnight in `zone`; UsageError naming `option` otherwise.
util::Time parse_period_time(const std::string& option, const std::string& text,
                             const util::Zone* zone);

}  // namespace router::cli
