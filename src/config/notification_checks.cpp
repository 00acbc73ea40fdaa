#include "config/notification_checks.hpp"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "util/strings.hpp"

namespace router::config {
namespace {

bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// The address part of a mailbox: local@domain, the domain made of dot-separated labels.
bool valid_address(std::string_view a) {
  const auto at = a.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 == a.size()) {
    return false;
  }
  const std::string_view local = a.substr(0, at);
  const std::string_view domain = a.substr(at + 1);
  constexpr std::string_view k_special = "<>()[],;:\\\"@";
  if (std::any_of(local.begin(), local.end(), [&](char c) {
        return std::isspace(static_cast<unsigned char>(c)) ||
               std::iscntrl(static_cast<unsigned char>(c)) ||
               k_special.find(c) != std::string_view::npos;
      })) {
    return false;
  }
  for (const std::string_view label : util::split(domain, '.')) {
    if (label.empty() || label.front() == '-' || label.back() == '-' ||
        !std::all_of(label.begin(), label.end(), [](char c) { return is_alnum(c) || c == '-'; })) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string absolute_path_problem(const std::string& path) {
  if (path.empty() || path.front() != '/') {
    return "must be an absolute path (starting with /), not '" + path + "'";
  }
  return one_line_problem(path);
}

std::string env_name_problem(const std::string& name) {
  const bool ok =
      !name.empty() && !std::isdigit(static_cast<unsigned char>(name.front())) &&
      std::all_of(name.begin(), name.end(), [](char c) { return is_alnum(c) || c == '_'; });
  return ok ? ""
            : "must be an environment variable name (letters, digits and _), not '" + name + "'";
}

std::string one_line_problem(const std::string& text) {
  if (text.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
    return "must be one line (no line breaks)";
  }
  return "";
}

std::string mailbox_problem(const std::string& text) {
  if (auto problem = one_line_problem(text); !problem.empty()) {
    return problem;
  }
  const std::string_view t = util::trim(text);
  std::string_view address = t;
  if (const auto open = t.find('<'); open != std::string_view::npos) {
    const std::string_view name = t.substr(0, open);
    address = t.back() == '>' ? t.substr(open + 1, t.size() - open - 2) : std::string_view{};
    if (name.find('>') != std::string_view::npos) {
      address = {};
    }
  }
  if (!valid_address(address)) {
    return "must be an address such as leads@example.com or \"Leads <leads@example.com>\", not '" +
           text + "'";
  }
  return "";
}

std::string url_problem(const std::string& url) {
  if (std::any_of(url.begin(), url.end(), [](char c) {
        return std::isspace(static_cast<unsigned char>(c)) ||
               std::iscntrl(static_cast<unsigned char>(c));
      })) {
    return "must not contain spaces or control characters";
  }
  const std::string lower = util::to_lower(url);
  std::size_t start = 0;
  if (lower.starts_with("http://")) {
    start = 7;
  } else if (lower.starts_with("https://")) {
    start = 8;
  } else {
    return "must start with http:// or https://, not '" + url + "'";
  }
  std::string_view authority = std::string_view(url).substr(start);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  std::string_view host = authority;
  std::string_view port;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    host = authority.substr(0, close == std::string_view::npos ? 0 : close + 1);
    port = close == std::string_view::npos ? "" : authority.substr(close + 1);
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon);
  }
  if (host.empty() || host == "[]") {
    return "has no host: '" + url + "'";
  }
  if (!port.empty() &&
      (port.size() == 1 || port.front() != ':' ||
       !std::all_of(port.begin() + 1, port.end(), [](char c) { return c >= '0' && c <= '9'; }))) {
    return "has a bad port: '" + url + "'";
  }
  return "";
}

std::string header_name_problem(const std::string& name) {
  constexpr std::string_view k_token = "!#$%&'*+-.^_`|~";
  if (name.empty() || !std::all_of(name.begin(), name.end(), [&](char c) {
        return is_alnum(c) || k_token.find(c) != std::string_view::npos;
      })) {
    return "is not a header name (letters, digits and !#$%&'*+-.^_`|~)";
  }
  const std::string lower = util::to_lower(name);
  if (lower == "content-type" || lower == "content-length" || lower.starts_with("x-router-")) {
    return "is set by router itself";
  }
  return "";
}

void fill_default_templates(core::NotificationRule& rule, bool has_subject, bool has_body) {
  if (!has_subject) {
    rule.subject = "Lead {{lead}} {{type}}{{#source}} ({{source}}){{/source}}";
  }
  if (has_body) {
    return;
  }
  const bool offers = std::any_of(rule.events.begin(), rule.events.end(),
                                  [](const auto& t) { return t == "offered" || t == "all"; });
  // Sections inline: kainjow keeps a line break of a false section on lines of its own.
  rule.body = "{{#agent_name}}{{agent_name}},\n\n{{/agent_name}}"
              "Lead {{lead}}: {{type}} at {{at}}{{#reason}} ({{reason}}){{/reason}}.\n\n"
              "{{#agent}}Agent:    {{agent}}\n{{/agent}}"
              "{{#pool}}Pool:     {{pool}}\n{{/pool}}"
              "{{#source}}Source:   {{source}}\n{{/source}}"
              "{{#deadline_local}}Deadline: {{deadline_local}}\n";
  if (offers) {
    rule.body += "\nTo claim it: router claim {{lead}} --agent {{agent}}\n";
  }
  rule.body += "{{/deadline_local}}";
}

}  // namespace router::config
