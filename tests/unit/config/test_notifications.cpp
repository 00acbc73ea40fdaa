// The `notifications:` section: channels, rules, templates, defaults and every refusal.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <doctest/doctest.h>

#include "config/loader.hpp"
#include "core/template.hpp"
#include "load_text.hpp"

using router::test::problems;
using router::test::TempConfig;
using Lines = std::vector<std::string>;
namespace core = router::core;
namespace config = router::config;
using namespace std::chrono_literals;

namespace {

// Five lines: one agent with an email address in one pool; notifications start on line 6.
const std::string k_head = R"(agents: [{ id: tom, name: Tom Baker, email: tom@example.com }]
pools:
  sales: { members: [tom] }
rules: [{ name: all, pool: sales }]
notifications:
)";

// The diagnostics of k_head followed by `section` (indented by the caller).
Lines check(const std::string& section) {
  return problems(k_head + section);
}

}  // namespace

TEST_SUITE("config.notifications") {
  TEST_CASE("a full section becomes the model, defaults filled in") {
    TempConfig tmp(k_head + R"(  sendmail: /usr/lib/sendmail
  from: "Leads <leads@example.com>"
  sendmail_timeout: 45s
  max_age: 12h
  retry: { attempts: 5, first: 10s, max: 30m }
  webhooks:
    crm:
      url: https://crm.example.com:8443/hooks/router?x=1
      secret_env: ROUTER_WEBHOOK_SECRET
      timeout: 5s
      headers: { Authorization: "Bearer abc", X-Team: sales }
    audit:
      url: http://127.0.0.1:9000/
      secret_file: /etc/router/webhook.key
  rules:
    - events: [offered, assigned]
      email: agent
      subject: "New lead {{lead}} ({{source}}): claim by {{deadline_local}}"
      body: |
        {{agent_name}}, {{attributes.brand}} from {{source}}.
        router claim {{lead}} --agent {{agent}}
    - events: [all]
      email: ops@example.com
    - events: [offered, assigned, expired, queued]
      webhook: crm
    - events: [closed]
      webhook: audit
)");
    const auto result = config::load(tmp.file());
    REQUIRE(result.diagnostics.empty());
    REQUIRE(result.config);
    REQUIRE(result.config->notifications);
    const core::Notifications& n = *result.config->notifications;
    CHECK(n.where.line == 5);
    CHECK(n.where.column == 1);
    CHECK(n.sendmail == "/usr/lib/sendmail");
    CHECK(n.from == "Leads <leads@example.com>");
    CHECK(n.sendmail_timeout == 45s);
    CHECK(n.max_age == 12h);
    CHECK(n.retry.attempts == 5);
    CHECK(n.retry.first == 10s);
    CHECK(n.retry.max == 30min);
    REQUIRE(n.webhooks.size() == 2);
    const core::Webhook& crm = n.webhooks[0];
    CHECK(crm.name == "crm");
    CHECK(crm.url == "https://crm.example.com:8443/hooks/router?x=1");
    CHECK(crm.secret_env == "ROUTER_WEBHOOK_SECRET");
    CHECK_FALSE(crm.secret_file);
    CHECK(crm.timeout == 5s);
    using Headers = std::vector<std::pair<std::string, std::string>>;
    CHECK(crm.headers == Headers{{"Authorization", "Bearer abc"}, {"X-Team", "sales"}});
    CHECK(crm.where.line == 12);
    CHECK(crm.where.column == 5);
    CHECK(n.webhooks[1].secret_file == "/etc/router/webhook.key");
    CHECK(n.webhooks[1].timeout == 10s);
    CHECK(n.find_webhook("audit") == &n.webhooks[1]);
    REQUIRE(n.rules.size() == 4);
    CHECK(n.rules[0].events == std::vector<std::string>{"offered", "assigned"});
    CHECK(n.rules[0].email == "agent");
    CHECK_FALSE(n.rules[0].webhook);
    CHECK(n.rules[0].subject == "New lead {{lead}} ({{source}}): claim by {{deadline_local}}");
    CHECK(n.rules[0].body == "{{agent_name}}, {{attributes.brand}} from {{source}}.\n"
                             "router claim {{lead}} --agent {{agent}}\n");
    CHECK(n.rules[0].where.line == 21);
    CHECK(n.rules[0].where.column == 7);
    CHECK(n.rules[1].email == "ops@example.com");
    CHECK_FALSE(n.rules[1].subject.empty());
    CHECK_FALSE(n.rules[1].body.empty());
    CHECK(n.rules[2].webhook == "crm");
    CHECK_FALSE(n.rules[2].email);
    CHECK(n.rules[2].subject.empty());
    CHECK(n.rules[2].body.empty());
  }

  TEST_CASE("an empty section takes every default") {
    TempConfig tmp(k_head);
    const auto result = config::load(tmp.file());
    REQUIRE(result.diagnostics.empty());
    REQUIRE(result.config);
    REQUIRE(result.config->notifications);
    const core::Notifications& n = *result.config->notifications;
    CHECK(n.sendmail == "/usr/sbin/sendmail");
    CHECK(n.sendmail_timeout == 30s);
    CHECK(n.max_age == 24h);
    CHECK(n.retry.attempts == 8);
    CHECK(n.retry.first == 30s);
    CHECK(n.retry.max == 1h);
    CHECK(n.rules.empty());
  }

  TEST_CASE("without the section there are no notifications") {
    TempConfig tmp("agents: [tom]\npools: { sales: { members: [tom] } }\n");
    const auto result = config::load(tmp.file());
    REQUIRE(result.config);
    CHECK_FALSE(result.config->notifications);
  }

  TEST_CASE("default templates name the lead, and offers get the claim command") {
    TempConfig tmp(k_head + R"(  from: leads@example.com
  rules:
    - { events: [offered], email: agent }
    - { events: [closed], email: agent, subject: "Closed {{lead}}" }
)");
    const auto result = config::load(tmp.file());
    REQUIRE(result.diagnostics.empty());
    REQUIRE(result.config);
    REQUIRE(result.config->notifications);
    const auto& rules = result.config->notifications->rules;
    for (const auto& r : rules) {
      CHECK_FALSE(core::check_template(r.subject));
      CHECK_FALSE(core::check_template(r.body));
    }
    core::TemplateFields offer;
    offer.fields = {
        {"lead", "L-7"},   {"type", "offered"},   {"at", "2026-11-23T13:10:00Z"},
        {"agent", "tom"},  {"agent_name", "Tom"}, {"pool", "sales"},
        {"source", "web"}, {"reason", "rule"},    {"deadline_local", "2026-11-23 14:25 CET"}};
    CHECK(core::render_template(rules[0].subject, offer) == "Lead L-7 offered (web)");
    CHECK(core::render_template(rules[0].body, offer) ==
          "Tom,\n"
          "\n"
          "Lead L-7: offered at 2026-11-23T13:10:00Z (rule).\n"
          "\n"
          "Agent:    tom\n"
          "Pool:     sales\n"
          "Source:   web\n"
          "Deadline: 2026-11-23 14:25 CET\n"
          "\n"
          "To claim it: router claim L-7 --agent tom\n");
    CHECK(rules[1].subject == "Closed {{lead}}");
    CHECK(rules[1].body.find("router claim") == std::string::npos);
    core::TemplateFields closed;
    closed.fields = {{"lead", "L-7"}, {"type", "closed"}, {"at", "2026-11-24T09:00:00Z"}};
    CHECK(core::render_template(rules[1].body, closed) ==
          "Lead L-7: closed at 2026-11-24T09:00:00Z.\n\n");
  }

  TEST_CASE("unknown keys get a suggestion at every level") {
    CHECK(check(R"(  sendmial: /usr/sbin/sendmail
  retry: { atempts: 3 }
  webhooks:
    crm: { url: "https://x.example", secret: abc }
  rules:
    - { events: [closed], webhok: crm }
)") == Lines{"6:3: error: unknown key 'sendmial' in 'notifications' (did you mean 'sendmail'?)",
             "7:12: error: unknown key 'atempts' in 'retry' (did you mean 'attempts'?)",
             "9:5: warning: webhook 'crm' is used by no notification rule",
             "9:38: error: unknown key 'secret' in webhook 'crm'",
             "11:7: error: notification rule 1 needs 'email' (agent, or an address) or "
             "'webhook' (a name under 'webhooks')",
             "11:27: error: unknown key 'webhok' in notification rule 1 (did you mean "
             "'webhook'?)"});
  }

  TEST_CASE("the sender, sendmail and the durations are checked") {
    CHECK(check(R"(  sendmail: sendmail
  from: "Leads leads@example.com"
  sendmail_timeout: 20m
  max_age: soon
  retry: { attempts: 101, first: 2h }
)") == Lines{"6:13: error: 'sendmail' must be an absolute path (starting with /), not 'sendmail'",
             "7:9: error: 'from' must be an address such as leads@example.com or \"Leads "
             "<leads@example.com>\", not 'Leads leads@example.com'",
             "8:21: error: 'sendmail_timeout' must be between 1s and 10m, not 20m",
             "9:12: error: 'max_age': 'soon' is not a duration; expected e.g. 90s, 15m, 2h, 1d, "
             "1h30m",
             "10:22: error: 'attempts' must be at most 100, not 101",
             "10:34: error: 'max' must be at least 'first' ('max' 1h, the default; 'first' 2h)"});
    CHECK(check("  retry: { first: 1m, max: 30s }\n") ==
          Lines{"6:28: error: 'max' must be at least 'first' ('max' 30s; 'first' 1m)"});
    CHECK(check("  from: \"a@b.example\\r\\nBcc: x@y.example\"\n") ==
          Lines{"6:9: error: 'from' must be one line (no line breaks)"});
    CHECK(check("  retry: { attempts: 0 }\n") ==
          Lines{"6:22: error: 'attempts' must be at least 1, not 0"});
  }

  TEST_CASE("an email rule needs a sender") {
    CHECK(check("  rules:\n    - { events: [offered], email: agent }\n") ==
          Lines{"5:1: error: 'notifications' needs 'from' (the sender, e.g. \"Leads "
                "<leads@example.com>\"): the rule at line 7, column 7 sends email"});
    CHECK(check("  rules:\n    - { events: [offered], webhook: x }\n  webhooks: { x: { url: "
                "\"http://h\" } }\n") == Lines{});
  }

  TEST_CASE("webhooks are checked: url, secret, timeout, headers") {
    CHECK(check(R"(  webhooks:
    a: { url: "ftp://x.example" }
    b: { url: "https://" }
    c: { url: "https://x.example:80a/" }
    d: { url: "https://x.example", secret_env: ROUTER SECRET, timeout: 10m }
    e: { url: "https://x.example", secret_env: S, secret_file: /k }
    f: { url: "https://x.example", secret_file: key.txt }
    g: { secret_env: S }
    h: https://x.example
  rules:
    - events: [all]
      webhook: a
)") == Lines{"7:15: error: 'url' must start with http:// or https://, not 'ftp://x.example'",
             "8:5: warning: webhook 'b' is used by no notification rule",
             "8:15: error: 'url' has no host: 'https://'",
             "9:5: warning: webhook 'c' is used by no notification rule",
             "9:15: error: 'url' has a bad port: 'https://x.example:80a/'",
             "10:5: warning: webhook 'd' is used by no notification rule",
             "10:48: error: 'secret_env' must be an environment variable name (letters, digits "
             "and _), not 'ROUTER SECRET'",
             "10:72: error: 'timeout' must be between 1s and 5m, not 10m",
             "11:5: warning: webhook 'e' is used by no notification rule",
             "11:51: error: webhook 'e' takes 'secret_env' or 'secret_file', not both",
             "12:5: warning: webhook 'f' is used by no notification rule",
             "12:49: error: 'secret_file' must be an absolute path (starting with /), not "
             "'key.txt'",
             "13:5: error: webhook 'g' needs a 'url' (http:// or https://)",
             "13:5: warning: webhook 'g' is used by no notification rule",
             "14:8: error: 'h' must be a mapping with 'url' (and 'secret_env' or 'secret_file', "
             "'timeout', 'headers'), not 'https://x.example'"});
  }

  TEST_CASE("headers must be tokens with one-line values, and not router's own") {
    CHECK(check(R"(  webhooks:
    crm:
      url: https://crm.example.com
      headers:
        Content-Type: text/plain
        x-router-signature: forged
        "Bad Name": x
        X-Team: "a\nb"
        x-team: c
        X-Empty:
        X-Ok: fine
  rules: [{ events: [all], webhook: crm }]
)") == Lines{"10:9: error: header 'Content-Type' is set by router itself",
             "11:9: error: header 'x-router-signature' is set by router itself",
             "12:9: error: header 'Bad Name' is not a header name (letters, digits and "
             "!#$%&'*+-.^_`|~)",
             "13:17: error: 'X-Team' must be one line (no line breaks)",
             "14:9: error: header 'x-team' is given twice (first at line 13, column 9; names "
             "ignore case)",
             "15:9: error: 'X-Empty' must be a value; it has no value"});
  }

  TEST_CASE("rules: event types, one channel, known webhooks, templates for email only") {
    CHECK(check(R"(  from: leads@example.com
  webhooks: { crm: { url: "https://crm.example.com" } }
  rules:
    - { events: [ofered, claimed, expird], email: agent }
    - { events: [all, offered], webhook: crm }
    - { events: [offered], email: agent, webhook: crm }
    - { events: [offered], webhook: cmr }
    - { events: [offered], webhook: crm, subject: "x" }
    - { events: [offered], email: "not an address" }
    - { email: agent }
    - { events: offered, email: agent }
    - { events: [], email: agent }
    - just text
)") == Lines{"9:18: error: unknown event type 'ofered' (did you mean 'offered'?)",
             "9:35: error: unknown event type 'expird' (did you mean 'expired'?)",
             "10:17: error: 'events' lists 'all' with other types; 'all' alone matches every "
             "type",
             "11:7: error: notification rule 3 takes 'email' or 'webhook', not both (write two "
             "rules)",
             "12:37: error: unknown webhook 'cmr' in notification rule 4",
             "13:42: error: 'subject' is for email rules; a webhook receives the event as JSON",
             "14:35: error: 'email' must be an address such as leads@example.com or \"Leads "
             "<leads@example.com>\", not 'not an address'",
             "15:7: error: notification rule 7 needs 'events': the event types to send, e.g. "
             "[offered]",
             "16:17: error: 'events' must be a list; write events: [offered]",
             "17:17: error: notification rule 9 has no event types; write events: [offered] or "
             "[all]",
             "18:7: error: notification rule 10 must be a mapping with 'events' and 'email' or "
             "'webhook'"});
  }

  TEST_CASE("templates are checked where they are written") {
    CHECK(check(R"(  from: leads@example.com
  rules:
    - events: [offered]
      email: agent
      subject: "Lead {{lead}} for {{agnet}}"
      body: |
        Hello {{agent_name}},
        {{#deadline_local}}claim by {{deadline_local}}
    - events: [offered]
      email: agent
      subject: "two\nlines"
      body: "{{> footer}}"
)") == Lines{"10:16: error: 'subject': unknown field 'agnet' (did you mean 'agent'?)",
             "11:13: error: 'body': unclosed section \"deadline_local\" at line 2, column 1",
             "16:16: error: 'subject' must be one line (no line breaks)",
             "17:13: error: 'body': partials ({{>footer}}) are not supported in notification "
             "templates"});
  }

  TEST_CASE("emailing the agent warns when an agent has no address") {
    CHECK(problems(R"(agents: [{ id: tom, email: tom@example.com }, ann, bob, cy, dee]
pools:
  sales: { members: [tom, ann, bob, cy, dee] }
notifications:
  from: leads@example.com
  rules:
    - { events: [offered], email: agent }
    - { events: [offered], email: boss@example.com }
)") == Lines{"7:7: warning: this notification rule emails the event's agent, but agents ann, "
             "bob, cy and 1 more have no 'email': their events will not be mailed"});
  }

  TEST_CASE("the commented example in config.example.yaml loads once uncommented") {
    std::ifstream in(std::filesystem::path(ROUTER_TEST_DATA) / "../../config.example.yaml");
    std::string text;
    std::string line;
    bool in_block = false;
    std::size_t uncommented = 0;
    while (std::getline(in, line)) {
      in_block = line == "# notifications:" || (in_block && line.starts_with("#"));
      if (in_block) {
        line = line.size() > 2 ? line.substr(2) : "";
        ++uncommented;
      }
      text += line + "\n";
    }
    CHECK(uncommented > 20);
    TempConfig tmp(text);
    const auto result = config::load(tmp.file());
    CHECK(router::test::lines_of(result) == Lines{});
    REQUIRE(result.config);
    REQUIRE(result.config->notifications);
    CHECK(result.config->notifications->rules.size() == 2);
    CHECK(result.config->notifications->webhooks.size() == 1);
  }

  TEST_CASE("when a rule emails agents, their addresses must be addresses") {
    const std::string agents = R"(agents:
  - { id: tom, email: "tom@example.com\nBcc: all@example.com" }
  - { id: ann, email: ann at example.com }
pools:
  sales: { members: [tom, ann] }
notifications:
  from: leads@example.com
  rules:
)";
    CHECK(problems(agents + "    - { events: [offered], email: agent }\n") ==
          Lines{"2:5: error: the 'email' of agent 'tom' must be one line (no line breaks) (a "
                "notification rule emails agents)",
                "3:5: error: the 'email' of agent 'ann' must be an address such as "
                "leads@example.com or \"Leads <leads@example.com>\", not 'ann at example.com' "
                "(a notification rule emails agents)"});
    CHECK(problems(agents + "    - { events: [offered], email: boss@example.com }\n") == Lines{});
  }

  TEST_CASE("the section must be a mapping and is named in unknown top-level keys") {
    CHECK(check("  - a\n") ==
          Lines{"6:3: error: 'notifications' must be a mapping with 'rules' (and 'from', "
                "'webhooks', 'retry', ...)"});
    CHECK(problems("notification: {}\n") ==
          Lines{"1:1: error: unknown key 'notification' at the top level (did you mean "
                "'notifications'?)"});
  }
}
