#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "cli/context.hpp"

namespace fs = std::filesystem;
namespace cli = router::cli;

TEST_SUITE("cli.context") {
  TEST_CASE("without --config: ./router.yaml, else the installed one, else ./router.yaml") {
    const fs::path dir = fs::temp_directory_path() / "router-test-default-config";
    fs::remove_all(dir);
    fs::create_directories(dir / "etc");
    const fs::path local = dir / "router.yaml";
    const fs::path system = dir / "etc" / "router.yaml";

    CHECK(cli::default_config_path(local, system) == local);  // neither: the local one
    std::ofstream(system) << "version: 1\n";
    CHECK(cli::default_config_path(local, system) == system);
    std::ofstream(local) << "version: 1\n";
    CHECK(cli::default_config_path(local, system) == local);
    fs::remove_all(dir);
    CHECK(std::string(cli::k_system_config) == "/etc/router/router.yaml");
  }
}
