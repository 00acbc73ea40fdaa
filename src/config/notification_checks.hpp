#pragma once
// The values of the `notifications:` section checked one by one (addresses, URLs, header
// names, paths), and the default email templates. Each check returns what is wrong, to follow
// the key in a message ("'url' must start with http:// or https://"), or "" when the value
// is fine.

#include <string>

#include "core/model.hpp"

namespace router::config {

// An absolute file path.
std::string absolute_path_problem(const std::string& path);
// An environment variable name: letters, digits and '_', not starting with a digit.
std::string env_name_problem(const std::string& name);
// One line: no CR, LF or NUL (header injection).
std::string one_line_problem(const std::string& text);
// "a@b.example" or "Name <a@b.example>", on one line.
std::string mailbox_problem(const std::string& text);
// An http:// or https:// URL with a host.
std::string url_problem(const std::string& url);
// An HTTP header name (an RFC 9110 token) that router does not set itself.
std::string header_name_problem(const std::string& name);

// Fills the subject and body an email rule left out: the subject names the lead, the event
// type and the source; the body gives the agent, pool, source and the deadline in the pool's
// zone, and, when the rule sends offers, the claim command.
void fill_default_templates(core::NotificationRule& rule, bool has_subject, bool has_body);

}  // namespace router::config
