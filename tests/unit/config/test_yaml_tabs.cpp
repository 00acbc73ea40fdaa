// Tabs in indentation: found where they break the file, left alone where they are content.
#include <doctest/doctest.h>

#include "config/yaml_tabs.hpp"
#include "load_text.hpp"

using router::config::find_indentation_tab;
using router::config::find_tab_after_dash;
using router::test::problems;
using Lines = std::vector<std::string>;

namespace {

// "LINE:COLUMN" of the first tab in indentation, or "none".
std::string tab_in(const std::string& text) {
  const auto at = find_indentation_tab(text);
  return at ? std::to_string(at->line) + ":" + std::to_string(at->column) : "none";
}

}  // namespace

TEST_SUITE("config.yaml_tabs") {
  TEST_CASE("a tab in the leading white space of a line is found at its column") {
    CHECK(tab_in("a:\n\tb: 1\n") == "2:1");
    CHECK(tab_in("a:\n  b: 1\n  \tc: 2\n") == "3:3");
    CHECK(tab_in("a:\r\n\t- x\r\n") == "2:1");
    CHECK(tab_in("a: 1\n\t\n") == "2:1");
  }

  TEST_CASE("tabs after the indentation or inside quoted text are not indentation") {
    CHECK(tab_in("a:\n  b:\t1\n  - \tx\n") == "none");
    CHECK(tab_in("a: \"x\ty\"\nb: 'p\tq' # c\td\n") == "none");
    CHECK(tab_in("a: \"one\n\ttwo\"\nb: 'it''s\n\tmore'\n") == "none");
    CHECK(tab_in("a: [1,\n\t2]\nb: { c: 1,\n\td: 2 }\n") == "none");
  }

  TEST_CASE("block scalar content may hold tabs; the lines after it may not") {
    CHECK(tab_in("a: |\n  x\n  \ty\nb: >-\n    \tz\n") == "none");
    CHECK(tab_in("- key: |2\n    \tx\n- |\n   \ty\n") == "none");
    CHECK(tab_in("a: |\n  x\n\tb: 1\n") == "3:1");
    CHECK(tab_in("a: |\n  x\n\t\n  y\n") == "3:1");
    CHECK(tab_in("a: x | y\n\tb: 1\n") == "2:1");
    CHECK(tab_in("a: 'q' # |\n\tb: 1\n") == "2:1");
  }

  TEST_CASE("the loader reports the tab instead of yaml-cpp's generic message") {
    CHECK(problems("version: 1\npools:\n  sales:\n\tmembers: [tom]\n") ==
          Lines{"4:1: error: tab character in indentation (YAML indents with spaces only)"});
    CHECK(problems("agents:\n  - id: tom\n  \t  tags: [x]\n") ==
          Lines{"3:3: error: tab character in indentation (YAML indents with spaces only)"});
    // A syntax error before any tab keeps yaml-cpp's own message.
    CHECK(problems("a: [1\nb:\n\tc: 1\n").at(0).find("YAML syntax") != std::string::npos);
  }

  TEST_CASE("a tab after a list entry's dash is found on the line yaml-cpp rejects") {
    CHECK(find_tab_after_dash("a:\n  -\tid: tom\n", 2)->column == 4);
    CHECK(find_tab_after_dash("a:\n  - \t- id: tom\n", 2)->column == 5);
    CHECK(find_tab_after_dash("a:\n  - - \tid: tom\n", 2)->column == 7);
    CHECK_FALSE(find_tab_after_dash("a:\n  -\tid: tom\n", 1));
    CHECK_FALSE(find_tab_after_dash("a:\n  - id:\ttom\n", 2));
    CHECK_FALSE(find_tab_after_dash("a:\n  -x\ty\n", 2));
    CHECK_FALSE(find_tab_after_dash("a:\n", 5));
    CHECK(problems("agents:\n  -\tid: tom\n") ==
          Lines{"2:4: error: tab character in indentation (YAML indents with spaces only)"});
    // Before a plain value the tab is a separator, which YAML allows.
    CHECK(problems("version: 1\nagents:\n  -\ttom\n").at(0).find("tab") == std::string::npos);
  }
}
