#include "config/yaml_tabs.hpp"

#include <algorithm>

namespace router::config {
namespace {

// What one line leaves open for the next.
struct State {
  int block_parent = -1;  // indentation of the line that opened a block scalar; -1 outside
  int flow = 0;           // [ and { still open
  char quote = 0;         // ' or " still open
};

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

// A quote or a bracket starts a node only at the start of a token: `it's` is plain text.
bool starts_token(char prev) {
  return is_space(prev) || prev == '[' || prev == '{' || prev == ',';
}

int leading_spaces(std::string_view line) {
  return static_cast<int>(std::min(line.find_first_not_of(' '), line.size()));
}

bool is_blank(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

// True for a block scalar header such as |, >-, |2+.
bool is_block_header(std::string_view token) {
  return !token.empty() && (token[0] == '|' || token[0] == '>') &&
         token.find_first_not_of("123456789+-", 1) == std::string_view::npos;
}

// True when `content` (a line without its comment) ends with a block scalar header that
// stands where a value goes: after `key:`, `-`, `?`, an anchor or a tag, or alone.
bool opens_block_scalar(std::string_view content) {
  const std::size_t end = content.find_last_not_of(" \t");
  if (end == std::string_view::npos) {
    return false;
  }
  content = content.substr(0, end + 1);
  const std::size_t space = content.find_last_of(" \t");
  const std::size_t start = space == std::string_view::npos ? 0 : space + 1;
  if (!is_block_header(content.substr(start))) {
    return false;
  }
  const std::string_view before = content.substr(0, start);
  const std::size_t last = before.find_last_not_of(" \t");
  if (last == std::string_view::npos) {
    return true;
  }
  const char c = before[last];
  const std::size_t word = before.find_last_of(" \t", last);
  const char first = before[word == std::string_view::npos ? 0 : word + 1];
  return c == ':' || c == '-' || c == '?' || first == '&' || first == '!';
}

// Follows quotes, flow brackets and the comment through one line (outside block scalars).
void scan(std::string_view line, State& state) {
  char prev = ' ';  // the start of a line counts as white space
  std::size_t content_end = line.size();
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (state.quote == '"') {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        state.quote = 0;
      }
    } else if (state.quote == '\'') {
      if (c == '\'' && i + 1 < line.size() && line[i + 1] == '\'') {
        ++i;  // '' is an escaped quote
      } else if (c == '\'') {
        state.quote = 0;
      }
    } else if (c == '#' && is_space(prev)) {
      content_end = i;
      break;
    } else if ((c == '"' || c == '\'') && starts_token(prev)) {
      state.quote = c;
    } else if ((c == '[' || c == '{') && starts_token(prev)) {
      ++state.flow;
    } else if ((c == ']' || c == '}') && state.flow > 0) {
      --state.flow;
    }
    prev = c;
  }
  if (state.quote == 0 && state.flow == 0 && opens_block_scalar(line.substr(0, content_end))) {
    state.block_parent = leading_spaces(line);
  }
}

}  // namespace

std::optional<core::Location> find_indentation_tab(std::string_view text) {
  State state;
  int number = 0;
  for (std::size_t begin = 0; begin <= text.size(); ++number) {
    std::size_t end = text.find('\n', begin);
    end = end == std::string_view::npos ? text.size() : end;
    std::string_view line = text.substr(begin, end - begin);
    begin = end + 1;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    const std::size_t indent_end = std::min(line.find_first_not_of(" \t"), line.size());
    const std::size_t tab = line.substr(0, indent_end).find('\t');
    const auto at = [&] { return core::Location{number + 1, static_cast<int>(tab) + 1}; };
    if (state.block_parent >= 0) {
      if (leading_spaces(line) > state.block_parent) {
        continue;  // content: a tab here is text
      }
      if (is_blank(line)) {
        if (tab != std::string_view::npos) {
          return at();
        }
        continue;  // an empty line stays inside the block
      }
      state.block_parent = -1;
    }
    if (state.quote == 0 && state.flow == 0 && tab != std::string_view::npos) {
      return at();
    }
    scan(line, state);
  }
  return std::nullopt;
}

std::optional<core::Location> find_tab_after_dash(std::string_view text, int line) {
  std::size_t begin = 0;
  for (int n = 1; n < line; ++n) {
    begin = text.find('\n', begin);
    if (begin == std::string_view::npos) {
      return std::nullopt;
    }
    ++begin;
  }
  std::string_view rest = text.substr(begin, text.find('\n', begin) - begin);
  // Leading spaces, then entries `-` each followed by spaces or tabs: `  - \t- id: x`.
  std::size_t i = rest.find_first_not_of(' ');
  while (i != std::string_view::npos && i + 1 < rest.size() && rest[i] == '-' &&
         is_space(rest[i + 1])) {
    const std::size_t next = std::min(rest.find_first_not_of(" \t", i + 1), rest.size());
    const std::size_t tab = rest.substr(i + 1, next - i - 1).find('\t');
    if (tab != std::string_view::npos) {
      return core::Location{line, static_cast<int>(i + 1 + tab) + 1};
    }
    i = next;
  }
  return std::nullopt;
}

}  // namespace router::config
