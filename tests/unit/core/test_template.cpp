#include <doctest/doctest.h>

#include "core/template.hpp"

using namespace router::core;

namespace {

// An offer to Tom, as the engine would fill it.
TemplateFields offer() {
  TemplateFields v;
  v.fields = {{"lead", "L-7"},
              {"type", "offered"},
              {"agent", "tom"},
              {"agent_name", "Tom Baker"},
              {"pool", "sales"},
              {"source", "web"},
              {"deadline", "2026-11-23T13:25:00Z"},
              {"deadline_local", "2026-11-23 14:25 CET"}};
  v.attributes = {{"brand", "Toyota"}, {"note", ""}};
  return v;
}

}  // namespace

TEST_SUITE("core.template") {
  TEST_CASE("fields and attributes render into the text") {
    CHECK(render_template("{{agent_name}}: {{lead}} ({{attributes.brand}}) from {{source}}",
                          offer()) == "Tom Baker: L-7 (Toyota) from web");
    CHECK(render_template("router claim {{lead}} --agent {{agent}}", offer()) ==
          "router claim L-7 --agent tom");
  }

  TEST_CASE("values are plain text, never HTML-escaped") {
    TemplateFields v;
    v.fields = {{"agent_name", "Smith & \"Sons\" <sales>"}, {"source", "a'b"}};
    v.attributes = {{"brand", "<b>&amp;</b>"}};
    CHECK(render_template("{{agent_name}} {{source}} {{attributes.brand}}", v) ==
          "Smith & \"Sons\" <sales> a'b <b>&amp;</b>");
    CHECK(render_template("{{{agent_name}}}|{{&agent_name}}", v) ==
          "Smith & \"Sons\" <sales>|Smith & \"Sons\" <sales>");
  }

  TEST_CASE("absent and empty values render empty") {
    CHECK(render_template("[{{rule}}][{{reason}}][{{attributes.note}}][{{attributes.none}}]",
                          offer()) == "[][][][]");
    CHECK(render_template("[{{lead}}]", TemplateFields{}) == "[]");
  }

  TEST_CASE("a section shows when its value is non-empty, an inverted one when it is not") {
    const char* text = "{{#deadline_local}}claim by {{deadline_local}}{{/deadline_local}}"
                       "{{^deadline_local}}no deadline{{/deadline_local}}";
    CHECK(render_template(text, offer()) == "claim by 2026-11-23 14:25 CET");
    TemplateFields none = offer();
    none.fields.pop_back();  // deadline_local
    CHECK(render_template(text, none) == "no deadline");
    none.fields.emplace_back("deadline_local", "");
    CHECK(render_template(text, none) == "no deadline");
    CHECK(render_template("{{#deadline_local}}by {{.}}{{/deadline_local}}", offer()) ==
          "by 2026-11-23 14:25 CET");
    CHECK(render_template("{{#attributes.brand}}{{attributes.brand}}!{{/attributes.brand}}"
                          "{{^attributes.note}}no note{{/attributes.note}}",
                          offer()) == "Toyota!no note");
  }

  TEST_CASE("a section on lines of its own leaves no blank line when it renders") {
    const char* text = "Hello {{agent_name}}\n{{#rule}}\nrule {{rule}}\n{{/rule}}\nbye\n";
    TemplateFields v = offer();
    v.fields.emplace_back("rule", "web");
    CHECK(render_template(text, v) == "Hello Tom Baker\nrule web\nbye\n");
    // kainjow 4.1 keeps one line break of a false section written on lines of its own, so the
    // default templates write their sections inline ("{{#pool}}Pool: {{pool}}\n{{/pool}}").
    CHECK(render_template(text, offer()) == "Hello Tom Baker\n\nbye\n");
    CHECK(render_template("a\n{{#rule}}rule {{rule}}\n{{/rule}}b\n", offer()) == "a\nb\n");
  }

  TEST_CASE("every documented field and any attribute pass the check") {
    for (const auto& name : template_field_names()) {
      CAPTURE(name);
      CHECK_FALSE(check_template("{{" + name + "}} {{#" + name + "}}x{{/" + name + "}}"));
    }
    CHECK(template_field_names().size() == 12);
    CHECK_FALSE(check_template("{{attributes.brand}} {{ attributes.utm_source }} {{! note }}"));
    CHECK_FALSE(check_template("no tags at all"));
    CHECK_FALSE(check_template(""));
  }

  TEST_CASE("unknown names are refused with a suggestion") {
    CHECK(check_template("Hi {{agnet}}") == "unknown field 'agnet' (did you mean 'agent'?)");
    CHECK(check_template("{{attribute.brand}}") ==
          "unknown field 'attribute.brand' (did you mean 'attributes.brand'?)");
    CHECK(check_template("{{#deadline}}{{dedline_local}}{{/deadline}}") ==
          "unknown field 'dedline_local' (did you mean 'deadline_local'?)");
    CHECK(check_template("{{^customer}}x{{/customer}}") ==
          "unknown field 'customer'; the fields are lead, type, at, agent, agent_name, pool, "
          "rule, reason, source, deadline, deadline_local, seq, and attributes.NAME");
    CHECK(check_template("{{attributes.}}").value_or("").starts_with("unknown field"));
    CHECK(check_template("{{.}}").value_or("").starts_with("unknown field '.'"));
    CHECK(check_template("{{}}") == "an empty tag {{}}: name a field such as {{lead}}");
  }

  TEST_CASE("syntax errors are kainjow's, on one line, with a 1-based character") {
    CHECK(check_template("Hi {{agent") == "unclosed tag at character 4");
    CHECK(check_template("{{#rule}}x") == "unclosed section \"rule\" at character 1");
    CHECK(check_template("x{{/rule}}") == "unopened section \"rule\" at character 2");
    CHECK(check_template("{{#rule}}x{{/pool}}") == "unclosed section \"rule\" at character 1");
  }

  TEST_CASE("in a template of several lines, problems give the line and column") {
    CHECK(
        check_template("Hello {{agent_name}},\n{{#deadline_local}}claim by {{deadline_local}}\n") ==
        "unclosed section \"deadline_local\" at line 2, column 1");
    CHECK(check_template("Hello,\n\n  lead {{lead}} for {{agnet}}\n") ==
          "unknown field 'agnet' at line 3, column 21 (did you mean 'agent'?)");
    CHECK(check_template("a\n{{>footer}}") ==
          "partials ({{>footer}} at line 2, column 1) are not supported in notification "
          "templates");
  }

  TEST_CASE("partials and delimiter changes are refused") {
    CHECK(check_template("{{>footer}}") ==
          "partials ({{>footer}}) are not supported in notification templates");
    CHECK(check_template("{{=<% %>=}}<% lead %>") ==
          "changing the delimiters ({{=<% %>=}}) is not supported in notification templates");
    CHECK(check_template("{{=<%").value_or("").starts_with("unclosed tag"));
  }
}
