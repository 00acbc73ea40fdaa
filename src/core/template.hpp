#pragma once
// Notification templates: Mustache (kainjow) over one event's fields, rendered as plain
// text (no HTML escaping). Pure: no I/O. The engine fills TemplateFields; config/ checks
// templates with check_template when the configuration is loaded.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace router::core {

// The values a template can name: the SPEC §12 fields (lead, type, at, agent, agent_name,
// pool, rule, reason, source, deadline, deadline_local, seq) and attributes.NAME.
struct TemplateFields {
  std::vector<std::pair<std::string, std::string>> fields;      // name → text; absent = empty
  std::vector<std::pair<std::string, std::string>> attributes;  // lead attribute → text
};

// The names a template may use besides attributes.NAME, in documentation order.
const std::vector<std::string>& template_field_names();

// Checks that `text` compiles and names only known fields. Returns nullopt when it is
// fine, else one line saying what is wrong (e.g. "unknown field 'agnet'; did you mean
// 'agent'?" or "unclosed section 'x'").
std::optional<std::string> check_template(std::string_view text);

// Renders `text` (already checked) over `values`. Unknown or absent names render empty.
std::string render_template(std::string_view text, const TemplateFields& values);

}  // namespace router::core
