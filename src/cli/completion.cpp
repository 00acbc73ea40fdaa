#include "cli/completion.hpp"

#include <algorithm>
#include <memory>
#include <ostream>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/context.hpp"
#include "cli/declare.hpp"

namespace router::cli {
namespace {

// One option as a shell completes it.
struct OptionSpec {
  std::vector<std::string> longs;   // without "--"
  std::vector<std::string> shorts;  // without "-"
  bool takes_value = false;
  bool file = false;                // FILE: complete file names
  std::vector<std::string> values;  // declared choices
  std::string help;
};

// One command: where it is, what follows it.
struct CommandSpec {
  std::string path;  // "" for router itself, "agent set"
  std::string name;  // "set"
  std::string help;
  std::vector<std::string> subcommands;  // names
  std::vector<OptionSpec> options;       // its own and its parents'
  std::vector<std::string> words;        // declared values of its positionals
};

OptionSpec option_spec(CLI::Option& o) {
  OptionSpec spec;
  spec.longs = o.get_lnames();
  spec.shorts = o.get_snames();
  spec.values = choices(o);
  spec.takes_value = !o.get_type_name().empty();
  spec.file = o.get_type_name() == "FILE";
  spec.help = o.get_description();
  return spec;
}

void collect(CLI::App& cmd, const std::string& path, std::vector<CommandSpec>& out) {
  CommandSpec spec;
  spec.path = path;
  spec.name = cmd.get_name();
  spec.help = cmd.get_description();
  for (CLI::App* at = &cmd; at != nullptr; at = at->get_parent()) {
    for (CLI::Option* o : at->get_options({})) {
      if (o->get_lnames().empty() && o->get_snames().empty()) {
        if (at == &cmd) {
          const auto values = choices(*o);
          spec.words.insert(spec.words.end(), values.begin(), values.end());
        }
        continue;
      }
      // A command's own copy of a global option hides the main app's.
      const auto seen = std::find_if(spec.options.begin(), spec.options.end(), [o](const auto& s) {
        return !o->get_lnames().empty() && s.longs == o->get_lnames();
      });
      if (seen == spec.options.end()) {
        spec.options.push_back(option_spec(*o));
      }
    }
  }
  const auto subs = cmd.get_subcommands([](CLI::App*) { return true; });
  for (CLI::App* sub : subs) {
    spec.subcommands.push_back(sub->get_name());
  }
  out.push_back(spec);
  for (CLI::App* sub : subs) {
    collect(*sub, path.empty() ? sub->get_name() : path + " " + sub->get_name(), out);
  }
}

std::string join(const std::vector<std::string>& words, const std::string& prefix = "") {
  std::string text;
  for (const auto& w : words) {
    text += (text.empty() ? "" : " ") + prefix + w;
  }
  return text;
}

std::string single_quoted(const std::string& text) {
  std::string out = "'";
  for (const char c : text) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

std::string bash_function(const std::vector<CommandSpec>& commands) {
  std::string s = "_router() {\n";
  s += "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} path= i\n";
  s += "  for ((i = 1; i < COMP_CWORD; i++)); do\n    case \"$path/${COMP_WORDS[i]}\" in\n";
  for (const auto& c : commands) {
    if (!c.path.empty()) {
      const auto space = c.path.rfind(' ');
      const std::string parent = space == std::string::npos ? "" : c.path.substr(0, space);
      s += "      " + single_quoted(parent + "/" + c.name) + ") path=" + single_quoted(c.path) +
           " ;;\n";
    }
  }
  s += "    esac\n  done\n  case \"$path/$prev\" in\n";
  for (const auto& c : commands) {
    for (const auto& o : c.options) {
      if (!o.takes_value) {
        continue;
      }
      std::string patterns;
      for (const auto& l : o.longs) {
        patterns += (patterns.empty() ? "" : "|") + single_quoted(c.path + "/--" + l);
      }
      std::string action = "return ;;";
      if (o.file) {
        action = "COMPREPLY=($(compgen -f -- \"$cur\")); return ;;";
      } else if (!o.values.empty()) {
        action = "COMPREPLY=($(compgen -W " + single_quoted(join(o.values)) +
                 " -- \"$cur\")); return ;;";
      }
      s += "    " + patterns + ") " + action + "\n";
    }
  }
  s += "  esac\n  local opts= words=\n  case \"$path\" in\n";
  for (const auto& c : commands) {
    std::vector<std::string> spellings;
    for (const auto& o : c.options) {
      for (const auto& l : o.longs) {
        spellings.push_back("--" + l);
      }
      for (const auto& sh : o.shorts) {
        spellings.push_back("-" + sh);
      }
    }
    std::vector<std::string> words = c.subcommands;
    words.insert(words.end(), c.words.begin(), c.words.end());
    s += "    " + single_quoted(c.path) + ") opts=" + single_quoted(join(spellings)) +
         " words=" + single_quoted(join(words)) + " ;;\n";
  }
  s += "  esac\n";
  s += "  if [[ $cur == -* ]]; then\n    COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n";
  s += "  else\n    COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n  fi\n}\n";
  return s;
}

std::string bash_script(const std::vector<CommandSpec>& commands) {
  return "# bash completion for router, generated by 'router completion bash'.\n" +
         bash_function(commands) + "complete -F _router router\n";
}

// zsh runs the bash function through its bash-completion emulation.
std::string zsh_script(const std::vector<CommandSpec>& commands) {
  return "#compdef router\n# zsh completion for router, generated by 'router completion zsh'.\n"
         "autoload -U +X bashcompinit && bashcompinit\n" +
         bash_function(commands) + "complete -F _router router\n";
}

std::string fish_condition(const CommandSpec& c) {
  if (c.path.empty()) {
    return "__fish_use_subcommand";
  }
  std::string cond;
  std::string prefix;
  for (std::size_t start = 0; start <= c.path.size();) {
    const auto end = c.path.find(' ', start);
    const std::string word = c.path.substr(start, end - start);
    cond += (cond.empty() ? "" : "; and ") + std::string("__fish_seen_subcommand_from ") + word;
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
  if (!c.subcommands.empty()) {
    cond += "; and not __fish_seen_subcommand_from " + join(c.subcommands);
  }
  return cond;
}

std::string fish_script(const std::vector<CommandSpec>& commands) {
  std::string s = "# fish completion for router, generated by 'router completion fish'.\n";
  s += "complete -c router -f\n";
  for (const auto& c : commands) {
    const std::string head = "complete -c router -n " + single_quoted(fish_condition(c));
    std::vector<std::string> words = c.subcommands;
    words.insert(words.end(), c.words.begin(), c.words.end());
    if (!words.empty()) {
      s += head + " -a " + single_quoted(join(words)) + "\n";
    }
    for (const auto& o : c.options) {
      std::string line = head;
      for (const auto& l : o.longs) {
        line += " -l " + l;
      }
      for (const auto& sh : o.shorts) {
        line += " -s " + sh;
      }
      if (o.file) {
        line += " -r -F";
      } else if (!o.values.empty()) {
        line += " -x -a " + single_quoted(join(o.values));
      } else if (o.takes_value) {
        line += " -x";
      }
      s += line + " -d " + single_quoted(o.help) + "\n";
    }
  }
  return s;
}

}  // namespace

std::string completion_script(CLI::App& app, const std::string& shell) {
  std::vector<CommandSpec> commands;
  collect(app, "", commands);
  if (shell == "zsh") {
    return zsh_script(commands);
  }
  if (shell == "fish") {
    return fish_script(commands);
  }
  return bash_script(commands);
}

void register_completion(CLI::App& app, Context& ctx) {
  auto shell = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("completion", "print a shell completion script");
  one_of(cmd->add_option("SHELL", *shell, "the shell")->required(), {"bash", "zsh", "fish"});
  cmd->callback([&ctx, &app, shell] { ctx.out() << completion_script(app, *shell); });
}

}  // namespace router::cli
