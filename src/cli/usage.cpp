#include "cli/usage.hpp"

#include <cctype>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/declare.hpp"
#include "util/strings.hpp"

namespace router::cli {
namespace {

// The options a command honours: its own, then its parents' up to the main app's.
std::vector<CLI::Option*> options_in_scope(CLI::App& cmd) {
  std::vector<CLI::Option*> all;
  for (CLI::App* at = &cmd; at != nullptr; at = at->get_parent()) {
    for (CLI::Option* o : at->get_options({})) {
      all.push_back(o);
    }
  }
  return all;
}

// Every spelling of the options in scope: "--metrics-file", "-q".
std::vector<std::string> option_spellings(CLI::App& cmd) {
  std::vector<std::string> names;
  for (const CLI::Option* o : options_in_scope(cmd)) {
    for (const auto& l : o->get_lnames()) {
      names.push_back("--" + l);
    }
    for (const auto& s : o->get_snames()) {
      names.push_back("-" + s);
    }
  }
  return names;
}

std::vector<std::string> subcommand_names(const CLI::App& cmd) {
  std::vector<std::string> names;
  for (const CLI::App* sub : cmd.get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
  }
  return names;
}

// "claim": the command as the user typed it, without "router".
std::string short_path(const CLI::App& cmd) {
  const std::string path = command_path(cmd);
  const auto space = path.find(' ');
  return space == std::string::npos ? path : path.substr(space + 1);
}

bool is_positional(const CLI::Option& o) {
  return o.get_lnames().empty() && o.get_snames().empty();
}

// Every valued option has a placeholder; a flag has none.
bool is_flag(const CLI::Option& o) {
  return !is_positional(o) && o.get_type_name().empty();
}

// "a LEAD", "an AGENT", "KEY=VALUE...", "an OUTCOME (won or lost)".
std::string what_positional_needs(CLI::Option& o) {
  const auto values = choices(o);
  std::string name = o.get_name();
  if (!values.empty()) {
    name = util::to_upper(name);
  }
  std::string text = name;
  if (o.get_items_expected_max() > 1) {
    text += "...";
  } else {
    text = (std::string("AEIOU").find(name.front()) == std::string::npos ? "a " : "an ") + text;
  }
  return values.empty() ? text : text + " (" + alternatives(values) + ")";
}

// "--agent AGENT": an option as it is written with its placeholder.
std::string with_placeholder(const CLI::Option& o) {
  const std::string type = o.get_type_name();
  return type.empty() ? o.get_name() : o.get_name() + " " + type;
}

// The option named `name` in scope, or null.
CLI::Option* find_option(CLI::App& cmd, const std::string& name) {
  for (CLI::Option* o : options_in_scope(cmd)) {
    if (o->get_name() == name) {
      return o;
    }
  }
  return nullptr;
}

// The option in scope that a CLI11 message is about: named at its start ("--limit: ...") or as
// a word in it ("Could not convert: --seed = x"); null when none.
CLI::Option* option_in_message(CLI::App& cmd, const std::string& message) {
  CLI::Option* found = nullptr;
  std::size_t found_at = std::string::npos;
  for (CLI::Option* o : options_in_scope(cmd)) {
    const std::string name = o->get_name();
    for (std::size_t at = message.find(name); at != std::string::npos;
         at = message.find(name, at + 1)) {
      const std::size_t end = at + name.size();
      const bool word = (at == 0 || message[at - 1] == ' ') &&
                        (end == message.size() || message[end] == ' ' || message[end] == ':');
      if (word && at < found_at) {
        found = o;
        found_at = at;
      }
    }
  }
  return found;
}

// The first word or option left over after parsing, told as unknown or unexpected.
std::string leftover_message(CLI::App& cmd, const std::string& arg) {
  if (arg.size() > 1 && arg.front() == '-') {
    const std::string name = arg.substr(0, arg.find('='));
    std::string text = "unknown option " + name;
    if (const auto near = util::nearest(name, option_spellings(cmd))) {
      text += "; did you mean " + *near + "?";
    }
    return text;
  }
  if (!subcommand_names(cmd).empty()) {
    return unknown_command(cmd, arg);
  }
  return "unexpected argument '" + arg + "'";
}

std::string required_message(CLI::App& cmd) {
  for (CLI::Option* o : cmd.get_options({})) {
    if (o->get_required() && o->count() == 0) {
      return short_path(cmd) + " needs " +
             (is_positional(*o) ? what_positional_needs(*o) : with_placeholder(*o));
    }
  }
  if (cmd.get_parent() == nullptr) {
    return "no command given";
  }
  return short_path(cmd) + " needs a command: " + alternatives(subcommand_names(cmd));
}

std::string lower_first(std::string text) {
  if (!text.empty()) {
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  }
  return text;
}

// "A excludes B" / "A requires B", CLI11's fixed wording around two option names.
std::pair<std::string, std::string> two_names(const std::string& message, const std::string& verb) {
  const auto at = message.find(" " + verb + " ");
  if (at == std::string::npos) {
    return {};
  }
  return {message.substr(0, at), message.substr(at + verb.size() + 2)};
}

// "--limit: must be at least 1" from a router validator reads "--limit must be at least 1".
std::string validation_message(CLI::App& cmd, const std::string& message) {
  for (const CLI::Option* o : options_in_scope(cmd)) {
    const std::string prefix = o->get_name() + ": ";
    if (message.rfind(prefix, 0) == 0) {
      const std::string name = is_positional(*o) ? util::to_upper(o->get_name()) : o->get_name();
      return name + " " + message.substr(prefix.size());
    }
  }
  return lower_first(message);
}

std::string conversion_message(CLI::App& cmd, const std::string& message) {
  CLI::Option* o = option_in_message(cmd, message);
  if (o == nullptr) {
    return message;
  }
  if (is_flag(*o)) {
    return o->get_name() + " takes no value";
  }
  const auto eq = message.find(" = ");
  const std::string value = eq == std::string::npos ? "" : message.substr(eq + 3);
  return o->get_name() + " must be " + o->get_type_name() + ", not '" + value + "'";
}

std::string mismatch_message(CLI::App& cmd, const std::string& message) {
  CLI::Option* o = option_in_message(cmd, message);
  if (o == nullptr) {
    return message;
  }
  if (message.find("At Most") != std::string::npos) {
    return o->get_name() + " is given more than once";
  }
  if (is_flag(*o)) {
    return o->get_name() + " takes no value";
  }
  return o->get_name() + " needs a value (" + o->get_type_name() + ")";
}

}  // namespace

std::string unknown_command(const CLI::App& cmd, const std::string& word) {
  const std::string prefix = cmd.get_parent() == nullptr ? "" : short_path(cmd) + " ";
  std::string text = "unknown command '" + prefix + word + "'";
  if (const auto near = util::nearest(word, subcommand_names(cmd))) {
    text += "; did you mean '" + prefix + *near + "'?";
  }
  return text;
}

std::string pointing_to_help(const std::string& message, const CLI::App& cmd) {
  const std::string help = "'" + command_path(cmd) + " --help'";
  // After a question ("did you mean 'assign'?") the pointer reads as an aside.
  if (!message.empty() && message.back() == '?') {
    return message + " (see " + help + ")";
  }
  return message + "; see " + help;
}

std::string usage_message(CLI::App& app, const CLI::ParseError& error) {
  CLI::App& cmd = chosen_command(app);
  const auto see = [&cmd](const std::string& message) { return pointing_to_help(message, cmd); };
  const std::string what = error.what();
  const auto leftovers = app.remaining(true);
  // A mistyped word explains a missing one: report it first.
  if (!leftovers.empty() && (dynamic_cast<const CLI::RequiredError*>(&error) != nullptr ||
                             dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr)) {
    return see(leftover_message(cmd, leftovers.front()));
  }
  if (dynamic_cast<const CLI::RequiredError*>(&error) != nullptr) {
    return see(required_message(cmd));
  }
  if (dynamic_cast<const CLI::ValidationError*>(&error) != nullptr) {
    return see(validation_message(cmd, what));
  }
  if (dynamic_cast<const CLI::ConversionError*>(&error) != nullptr) {
    return see(lower_first(conversion_message(cmd, what)));
  }
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&error) != nullptr) {
    return see(lower_first(mismatch_message(cmd, what)));
  }
  if (dynamic_cast<const CLI::ExcludesError*>(&error) != nullptr) {
    const auto [a, b] = two_names(what, "excludes");
    if (!a.empty()) {
      return see(a + " cannot be used with " + b);
    }
  }
  if (dynamic_cast<const CLI::RequiresError*>(&error) != nullptr) {
    const auto [a, b] = two_names(what, "requires");
    if (!a.empty()) {
      const CLI::Option* needed = find_option(cmd, b);
      return see(a + " needs " + (needed ? with_placeholder(*needed) : b));
    }
  }
  return see(lower_first(what));
}

}  // namespace router::cli
