#pragma once
// CLI11's parse errors retold in router's words, naming the help to read.

#include <string>

namespace CLI {
class App;
class ParseError;
}  // namespace CLI

namespace router::cli {

// The one-line message for a parse error of `app` (without "router: "): what was wrong,
// a did-you-mean for a mistyped command or option, and "; see 'router COMMAND --help'"
// for the command in which it happened.
std::string usage_message(CLI::App& app, const CLI::ParseError& error);

// `message` followed by where to read more: "; see 'router COMMAND --help'", or, after a
// question, " (see 'router COMMAND --help')".
std::string pointing_to_help(const std::string& message, const CLI::App& cmd);

// "unknown command 'agent sett'; did you mean 'agent set'?": `word` is not a command of `cmd`.
std::string unknown_command(const CLI::App& cmd, const std::string& word);

}  // namespace router::cli
