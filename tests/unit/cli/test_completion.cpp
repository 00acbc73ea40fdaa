#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/completion.hpp"
#include "cli/context.hpp"
#include "cli/declare.hpp"

namespace cli = router::cli;

TEST_SUITE("cli.completion") {
  TEST_CASE("the script is built from the app it is given: commands, options, declared values") {
    std::ostringstream out;
    std::ostringstream err;
    cli::Context ctx(out, err);
    CLI::App app{"test", "router"};
    cli::add_global_options(app, ctx.options);
    std::string by;
    auto* report = app.add_subcommand("report", "figures");
    cli::one_of(report->add_option("--by", by, "group"), {"agent", "pool"});
    cli::honour(*report, ctx, cli::k_db, {cli::Format::text, cli::Format::csv});
    auto* agent = app.add_subcommand("agent", "agents");
    agent->add_subcommand("set", "status");

    const std::string bash = cli::completion_script(app, "bash");
    CHECK(bash.find("'report/--by') COMPREPLY=($(compgen -W 'agent pool'") != std::string::npos);
    CHECK(bash.find("'report/--format') COMPREPLY=($(compgen -W 'text csv'") != std::string::npos);
    CHECK(bash.find("'report/--db') COMPREPLY=($(compgen -f") != std::string::npos);
    CHECK(bash.find("'agent/set') path='agent set'") != std::string::npos);
    CHECK(bash.find("'') opts='--help -h --config") != std::string::npos);
    CHECK(bash.find("words='report agent'") != std::string::npos);
    CHECK(bash.find("complete -F _router router") != std::string::npos);

    const std::string fish = cli::completion_script(app, "fish");
    CHECK(fish.find("-l by -x -a 'agent pool'") != std::string::npos);
    CHECK(fish.find("__fish_seen_subcommand_from agent; and not __fish_seen_subcommand_from set") !=
          std::string::npos);
    CHECK(cli::completion_script(app, "zsh").find("bashcompinit") != std::string::npos);
  }
}
