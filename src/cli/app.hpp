#pragma once
// Builds the command line and runs it: global options, every subcommand, exit statuses.

#include <iosfwd>

namespace router::cli {

// Parses argv, runs the chosen subcommand and returns the process exit status. Every
// error is printed to `err` as one "router: ..." line (config diagnostics excepted).
int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace router::cli
