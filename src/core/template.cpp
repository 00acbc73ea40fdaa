#include "core/template.hpp"

#include <algorithm>
#include <cctype>
#include <exception>

#include <kainjow/mustache.hpp>

#include "util/strings.hpp"

namespace router::core {
namespace {

namespace mstch = kainjow::mustache;
using Component = mstch::component<std::string>;
using mstch::tag_type;

constexpr std::string_view k_attributes = "attributes.";

// Where `offset` is: " at character N" in a one-line template, " at line L, column C" in a
// longer one (both 1-based), so a mistake in a long body is found.
std::string position(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  if (text.find('\n') == std::string_view::npos) {
    return " at character " + std::to_string(offset + 1);
  }
  const std::string_view before = text.substr(0, offset);
  const auto line = std::count(before.begin(), before.end(), '\n') + 1;
  const auto start = before.rfind('\n');
  const auto column = start == std::string_view::npos ? offset + 1 : offset - start;
  return " at line " + std::to_string(line) + ", column " + std::to_string(column);
}

// kainjow says "Unclosed tag at 12" (a 0-based byte offset); we say "unclosed tag at
// character 13", lower case like every router message.
std::string syntax_message(std::string_view text, std::string message) {
  const auto at = message.rfind(" at ");
  if (at != std::string::npos) {
    const std::string offset = message.substr(at + 4);
    if (!offset.empty() && offset.size() < 10 &&
        std::all_of(offset.begin(), offset.end(),
                    [](unsigned char c) { return std::isdigit(c) != 0; })) {
      message = message.substr(0, at) + position(text, std::stoul(offset));
    }
  }
  if (!message.empty()) {
    message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
  }
  return message;
}

// Why `name` cannot be used, or nullopt. `{{.}}` is the section's own value inside a section.
// `where` is "" in a one-line template, else the tag's position.
std::optional<std::string> check_name(const std::string& name, bool in_section,
                                      const std::string& where) {
  const auto& known = template_field_names();
  if (std::find(known.begin(), known.end(), name) != known.end() ||
      (name.starts_with(k_attributes) && name.size() > k_attributes.size()) ||
      (name == "." && in_section)) {
    return std::nullopt;
  }
  if (name.empty()) {
    return "an empty tag {{}}" + where + ": name a field such as {{lead}}";
  }
  std::vector<std::string> candidates = known;
  if (const auto dot = name.find('.'); dot != std::string::npos && dot + 1 < name.size()) {
    candidates.push_back(std::string(k_attributes) + name.substr(dot + 1));
  }
  std::string message = "unknown field '" + name + "'" + where;
  const std::string hint = util::did_you_mean(name, candidates);
  if (!hint.empty()) {
    return message + hint;
  }
  message += "; the fields are ";
  for (const auto& field : known) {
    message += field + ", ";
  }
  return message + "and attributes.NAME";
}

// The first problem among `children` (names, partials, delimiter changes) of `text`, or nullopt.
std::optional<std::string>
check_components(std::string_view text, const std::vector<Component>& children, bool in_section) {
  const bool long_text = text.find('\n') != std::string_view::npos;
  for (const Component& c : children) {
    const std::string where = long_text ? position(text, c.position) : "";
    switch (c.tag.type) {
    case tag_type::text:
    case tag_type::comment:
    case tag_type::section_end: break;
    case tag_type::partial:
      return "partials ({{>" + c.tag.name + "}}" + where +
             ") are not supported in notification templates";
    case tag_type::set_delimiter:
      return "changing the delimiters ({{=<% %>=}}" + where +
             ") is not supported in notification templates";
    case tag_type::variable:
    case tag_type::unescaped_variable:
    case tag_type::section_begin:
    case tag_type::section_begin_inverted:
      if (auto problem = check_name(c.tag.name, in_section, where)) {
        return problem;
      }
      break;
    }
    if (c.tag.is_section_begin()) {
      if (auto problem = check_components(text, c.children, true)) {
        return problem;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

const std::vector<std::string>& template_field_names() {
  static const std::vector<std::string> names = {
      "lead", "type",   "at",     "agent",    "agent_name",     "pool",
      "rule", "reason", "source", "deadline", "deadline_local", "seq"};
  return names;
}

std::optional<std::string> check_template(std::string_view text) {
  // kainjow's own parser, so the tree we check is the one render_template will walk.
  mstch::context<std::string> context;
  mstch::context_internal<std::string> state{context};
  Component root;
  std::string error;
  try {
    const mstch::parser<std::string> parse{std::string(text), state, root, error};
  } catch (const std::exception& e) {
    return std::string("cannot parse the template: ") + e.what();
  }
  if (!error.empty()) {
    return syntax_message(text, error);
  }
  return check_components(text, root.children, false);
}

std::string render_template(std::string_view text, const TemplateFields& values) {
  // Absent and empty values are left out, so sections on them are false and they render empty.
  mstch::data data{mstch::data::type::object};
  for (const auto& [name, value] : values.fields) {
    if (!value.empty()) {
      data.set(name, value);
    }
  }
  mstch::data attributes{mstch::data::type::object};
  for (const auto& [name, value] : values.attributes) {
    if (!value.empty()) {
      attributes.set(name, value);
    }
  }
  data.set("attributes", attributes);
  mstch::mustache tmpl{std::string(text)};
  // Plain text: a '&' in a name stays '&' in the mail or the webhook.
  tmpl.set_custom_escape([](const std::string& s) { return s; });
  if (!tmpl.is_valid()) {
    return {};
  }
  return tmpl.render(data);
}

}  // namespace router::core
