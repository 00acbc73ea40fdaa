#pragma once
// Finding a tab in YAML indentation: yaml-cpp rejects one with a generic scanner error
// ("illegal map value", "end of map not found"), so the loader looks for it itself.

#include <optional>
#include <string_view>

#include "core/model.hpp"

namespace router::config {

// The first tab in the leading white space of a line, skipping the lines where a tab is
// legal: block scalar content (after `|` or `>`), multi-line quoted scalars and flow
// collections. nullopt when there is none.
std::optional<core::Location> find_indentation_tab(std::string_view text);

// A tab between a list entry's `-` and what follows it on line `line` (1-based): YAML allows
// it before a plain value, but a mapping there (`-\tid: tom`) is indented with it, which
// yaml-cpp rejects as "illegal map value". nullopt when the line has none.
std::optional<core::Location> find_tab_after_dash(std::string_view text, int line);

}  // namespace router::config
