#include "config/build_notifications.hpp"

#include <algorithm>
#include <unordered_map>

#include "config/notification_checks.hpp"
#include "core/template.hpp"
#include "util/strings.hpp"
#include "util/time.hpp"

namespace router::config {
namespace {

using namespace std::chrono_literals;

const std::vector<std::string> k_notification_keys = {
    "sendmail", "from", "sendmail_timeout", "max_age", "retry", "webhooks", "rules"};
const std::vector<std::string> k_retry_keys = {"attempts", "first", "max"};
const std::vector<std::string> k_webhook_keys = {"url", "secret_env", "secret_file", "timeout",
                                                 "headers"};
const std::vector<std::string> k_notification_rule_keys = {"events", "email", "webhook", "subject",
                                                           "body"};

// A duration within [min, max].
std::optional<core::Duration> read_bounded(const Field& f, core::Duration min, core::Duration max,
                                           Sink& sink) {
  const auto d = read_duration(f, sink);
  if (d && (*d < min || *d > max)) {
    sink.error(f.value_at(), "'" + f.key + "' must be between " +
                                 util::format_duration(min.count()) + " and " +
                                 util::format_duration(max.count()) + ", not " + f.value.Scalar());
    return std::nullopt;
  }
  return d;
}

// A string that passes `check` (which returns what is wrong, or "").
template <typename Check>
std::optional<std::string> read_checked(const Field& f, Check check, Sink& sink) {
  auto text = read_string(f, sink);
  if (!text) {
    return std::nullopt;
  }
  if (const std::string problem = check(*text); !problem.empty()) {
    sink.error(f.value_at(), "'" + f.key + "' " + problem);
    return std::nullopt;
  }
  return text;
}

void read_retry(const Field& f, core::RetryPolicy& retry, Sink& sink) {
  retry.where = f.key_at;
  if (!f.value.IsMap()) {
    expect(f, "a mapping with 'attempts', 'first' and 'max'", sink);
    return;
  }
  const Mapping m(f.value, &k_retry_keys, "in 'retry'", sink);
  if (const Field* a = m.get("attempts")) {
    if (const auto n = read_integer(*a, 1, sink)) {
      if (*n > 100) {
        sink.error(a->value_at(), "'attempts' must be at most 100, not " + a->value.Scalar());
      } else {
        retry.attempts = static_cast<int>(*n);
      }
    }
  }
  const Field* first = m.get("first");
  const Field* max = m.get("max");
  const auto first_value = first ? read_duration(*first, sink) : std::nullopt;
  const auto max_value = max ? read_duration(*max, sink) : std::nullopt;
  retry.first = first_value.value_or(retry.first);
  retry.max = max_value.value_or(retry.max);
  if ((first && !first_value) || (max && !max_value) || retry.max >= retry.first) {
    return;
  }
  const std::string values = "('max' " + util::format_duration(retry.max.count()) +
                             (max ? "" : ", the default") + "; 'first' " +
                             util::format_duration(retry.first.count()) + ")";
  sink.error(max ? max->value_at() : first->value_at(), "'max' must be at least 'first' " + values);
}

void read_headers(const Field& f, core::Webhook& hook, Sink& sink) {
  if (!f.value.IsMap()) {
    expect(f, "a mapping of header names to values", sink);
    return;
  }
  const Mapping m(f.value, nullptr, "in the headers of webhook '" + hook.name + "'", sink);
  std::unordered_map<std::string, core::Location> seen;  // lower-case name → where
  for (const Field& h : m.fields()) {
    if (const std::string problem = header_name_problem(h.key); !problem.empty()) {
      sink.error(h.key_at, "header '" + h.key + "' " + problem);
      continue;
    }
    if (const auto [first, fresh] = seen.emplace(util::to_lower(h.key), h.key_at); !fresh) {
      sink.error(h.key_at, "header '" + h.key + "' is given twice (first at " +
                               describe(first->second) + "; names ignore case)");
      continue;
    }
    if (h.value.IsNull()) {
      expect(h, "a value", sink);
      continue;
    }
    if (auto value = read_checked(h, one_line_problem, sink)) {
      hook.headers.emplace_back(h.key, std::move(*value));
    }
  }
}

void read_webhook(const Field& w, core::Notifications& n, Sink& sink) {
  core::Webhook hook;
  hook.name = w.key;
  hook.where = w.key_at;
  if (!w.value.IsMap()) {
    expect(w, "a mapping with 'url' (and 'secret_env' or 'secret_file', 'timeout', 'headers')",
           sink);
    return;
  }
  const Mapping m(w.value, &k_webhook_keys, "in webhook '" + w.key + "'", sink);
  if (const Field* f = m.get("url")) {
    hook.url = read_checked(*f, url_problem, sink).value_or("");
  } else {
    sink.error(w.key_at, "webhook '" + w.key + "' needs a 'url' (http:// or https://)");
  }
  const Field* env = m.get("secret_env");
  const Field* file = m.get("secret_file");
  if (env && file) {
    const Field* second =
        env->key_at.line > file->key_at.line ||
                (env->key_at.line == file->key_at.line && env->key_at.column > file->key_at.column)
            ? env
            : file;
    sink.error(second->key_at,
               "webhook '" + w.key + "' takes 'secret_env' or 'secret_file', not both");
  } else if (env) {
    hook.secret_env = read_checked(*env, env_name_problem, sink);
  } else if (file) {
    hook.secret_file = read_checked(*file, absolute_path_problem, sink);
  }
  if (const Field* f = m.get("timeout")) {
    hook.timeout = read_bounded(*f, 1s, 5min, sink).value_or(hook.timeout);
  }
  if (const Field* f = m.get("headers")) {
    read_headers(*f, hook, sink);
  }
  n.webhooks.push_back(std::move(hook));
}

void read_webhooks(const Field& f, core::Notifications& n, Sink& sink) {
  if (f.value.IsNull()) {
    return;
  }
  if (!f.value.IsMap()) {
    expect(f, "a mapping of webhook names to settings", sink);
    return;
  }
  const Mapping hooks(f.value, nullptr, "in 'webhooks'", sink);
  for (const Field& w : hooks.fields()) {
    read_webhook(w, n, sink);
  }
}

// The event types of a rule: known ones, or `all` alone.
void read_events(const Field& f, core::NotificationRule& rule, Sink& sink) {
  auto candidates = event_types();
  candidates.emplace_back("all");
  for (const Item& item : read_list(f, sink).value_or(std::vector<Item>{})) {
    if (std::find(candidates.begin(), candidates.end(), item.text) == candidates.end()) {
      sink.error(item.at, "unknown event type '" + item.text + "'" +
                              util::did_you_mean(item.text, candidates));
    } else if (std::find(rule.events.begin(), rule.events.end(), item.text) == rule.events.end()) {
      rule.events.push_back(item.text);
    }
  }
  if (rule.events.size() > 1 &&
      std::find(rule.events.begin(), rule.events.end(), "all") != rule.events.end()) {
    sink.error(f.value_at(), "'events' lists 'all' with other types; 'all' alone matches every "
                             "type");
  }
}

// A subject or body: an email rule's Mustache template, checked.
std::string read_template(const Field& f, Sink& sink) {
  auto text = read_string(f, sink);
  if (!text) {
    return {};
  }
  if (f.key == "subject") {
    if (const std::string problem = one_line_problem(*text); !problem.empty()) {
      sink.error(f.value_at(), "'subject' " + problem);
      return {};
    }
  }
  if (const auto problem = core::check_template(*text)) {
    sink.error(f.value_at(), "'" + f.key + "': " + *problem);
    return {};
  }
  return std::move(*text);
}

void read_rule(const YAML::Node& item, std::size_t index, core::Notifications& n, Sink& sink) {
  core::NotificationRule rule;
  rule.where = location_of(item);
  const std::string name = "notification rule " + std::to_string(index + 1);
  if (!item.IsMap()) {
    sink.error(rule.where, name + " must be a mapping with 'events' and 'email' or 'webhook'");
    return;
  }
  const Mapping m(item, &k_notification_rule_keys, "in " + name, sink);
  if (const Field* f = m.get("events")) {
    read_events(*f, rule, sink);
    if (f->value.IsNull() || (f->value.IsSequence() && f->value.size() == 0)) {
      sink.error(f->value_at(), name + " has no event types; write events: [offered] or [all]");
    }
  } else {
    sink.error(rule.where, name + " needs 'events': the event types to send, e.g. [offered]");
  }
  const Field* email = m.get("email");
  const Field* webhook = m.get("webhook");
  if (email && webhook) {
    sink.error(rule.where, name + " takes 'email' or 'webhook', not both (write two rules)");
  } else if (!email && !webhook) {
    sink.error(rule.where, name + " needs 'email' (agent, or an address) or 'webhook' (a name "
                                  "under 'webhooks')");
  }
  if (email) {
    rule.email = read_checked(
        *email, [](const std::string& s) { return s == "agent" ? "" : mailbox_problem(s); }, sink);
  }
  if (webhook) {
    if (auto hook = read_string(*webhook, sink)) {
      if (!n.find_webhook(*hook)) {
        std::vector<std::string> names;
        for (const auto& h : n.webhooks) {
          names.push_back(h.name);
        }
        sink.error(webhook->value_at(),
                   "unknown webhook '" + *hook + "' in " + name + util::did_you_mean(*hook, names));
      }
      rule.webhook = std::move(*hook);
    }
  }
  for (const char* key : {"subject", "body"}) {
    if (const Field* f = m.get(key)) {
      if (webhook) {
        sink.error(f->key_at, std::string("'") + key +
                                  "' is for email rules; a webhook receives the event as JSON");
      } else {
        (key == std::string("subject") ? rule.subject : rule.body) = read_template(*f, sink);
      }
    }
  }
  if (email) {
    fill_default_templates(rule, m.get("subject") != nullptr, m.get("body") != nullptr);
  }
  n.rules.push_back(std::move(rule));
}

void read_rules(const Field& f, core::Notifications& n, Sink& sink) {
  if (f.value.IsNull()) {
    return;
  }
  if (!f.value.IsSequence()) {
    expect(f, "a list of rules, each with 'events' and 'email' or 'webhook'", sink);
    return;
  }
  std::size_t index = 0;
  for (const auto& item : f.value) {
    read_rule(item, index++, n, sink);
  }
}

}  // namespace

const std::vector<std::string>& event_types() {
  static const std::vector<std::string> types = {
      "received", "offered",   "claimed",   "declined",           "expired", "assigned",
      "queued",   "withdrawn", "picked_up", "reassign_requested", "touched", "closed"};
  return types;
}

void read_notifications(const Field& f, Built& built, Sink& sink) {
  core::Notifications n;
  n.where = f.key_at;
  if (f.value.IsNull()) {
    built.config.notifications = std::move(n);
    return;
  }
  if (!f.value.IsMap()) {
    expect(f, "a mapping with 'rules' (and 'from', 'webhooks', 'retry', ...)", sink);
    return;
  }
  const Mapping m(f.value, &k_notification_keys, "in 'notifications'", sink);
  if (const Field* s = m.get("sendmail")) {
    n.sendmail = read_checked(*s, absolute_path_problem, sink).value_or(n.sendmail);
  }
  const Field* from = m.get("from");
  if (from) {
    n.from = read_checked(*from, mailbox_problem, sink).value_or("");
  }
  if (const Field* s = m.get("sendmail_timeout")) {
    n.sendmail_timeout = read_bounded(*s, 1s, 10min, sink).value_or(n.sendmail_timeout);
  }
  if (const Field* s = m.get("max_age")) {
    n.max_age = read_duration(*s, sink).value_or(n.max_age);
  }
  if (const Field* s = m.get("retry")) {
    read_retry(*s, n.retry, sink);
  }
  // Webhooks first, so the rules can name them.
  if (const Field* s = m.get("webhooks")) {
    read_webhooks(*s, n, sink);
  }
  if (const Field* s = m.get("rules")) {
    read_rules(*s, n, sink);
  }
  const auto emails = std::find_if(n.rules.begin(), n.rules.end(),
                                   [](const core::NotificationRule& r) { return r.email; });
  if (!from && emails != n.rules.end()) {
    sink.error(f.key_at, "'notifications' needs 'from' (the sender, e.g. \"Leads "
                         "<leads@example.com>\"): the rule at " +
                             describe(emails->where) + " sends email");
  }
  for (const core::Webhook& hook : n.webhooks) {
    if (std::none_of(n.rules.begin(), n.rules.end(),
                     [&](const core::NotificationRule& r) { return r.webhook == hook.name; })) {
      sink.warning(hook.where, "webhook '" + hook.name + "' is used by no notification rule");
    }
  }
  built.config.notifications = std::move(n);
}

void check_notifications(const core::Config& config, Sink& sink) {
  if (!config.notifications) {
    return;
  }
  const auto& rules = config.notifications->rules;
  const bool mails_agents =
      std::any_of(rules.begin(), rules.end(),
                  [](const core::NotificationRule& r) { return r.email == "agent"; });
  if (!mails_agents) {
    return;
  }
  // Their addresses go into the To: header: one that is not an address is refused.
  std::vector<std::string> without;
  for (const core::Agent& a : config.agents) {
    if (a.email.empty()) {
      without.push_back(a.id);
    } else if (const std::string problem = mailbox_problem(a.email); !problem.empty()) {
      sink.error(a.where, "the 'email' of agent '" + a.id + "' " + problem +
                              " (a notification rule emails agents)");
    }
  }
  if (without.empty()) {
    return;
  }
  std::string names;
  for (std::size_t i = 0; i < without.size() && i < 3; ++i) {
    names += (i ? ", " : "") + without[i];
  }
  if (without.size() > 3) {
    names += " and " + std::to_string(without.size() - 3) + " more";
  }
  for (const core::NotificationRule& r : rules) {
    if (r.email == "agent") {
      sink.warning(r.where, "this notification rule emails the event's agent, but " +
                                std::string(without.size() == 1 ? "agent " : "agents ") + names +
                                (without.size() == 1 ? " has" : " have") +
                                " no 'email': their events will not be mailed");
    }
  }
}

}  // namespace router::config
