#include "config/yaml_documents.hpp"

#include <sstream>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

namespace router::config {
namespace {

// Remembers where the current document starts and where its first node is.
class DocumentMarks : public YAML::EventHandler {
public:
  void OnDocumentStart(const YAML::Mark& mark) override {
    start = mark;
    first_node.reset();
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { node(mark); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { node(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string&) override {
    node(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    node(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    node(mark);
  }
  void OnMapEnd() override {}

  YAML::Mark start;
  std::optional<YAML::Mark> first_node;

private:
  void node(const YAML::Mark& mark) {
    if (!first_node) {
      first_node = mark;
    }
  }
};

core::Location location(const YAML::Mark& mark) {
  return mark.is_null() ? core::Location{} : core::Location{mark.line + 1, mark.column + 1};
}

std::string unexpected(const std::string& text, const YAML::Mark& mark) {
  const auto pos = static_cast<std::size_t>(mark.pos);
  if (mark.pos < 0 || pos >= text.size()) {
    return "YAML syntax: unexpected token";
  }
  if (text[pos] == ',') {
    return "YAML syntax: unexpected ',' (a comma separates items only inside [ ] or { })";
  }
  const auto c = static_cast<unsigned char>(text[pos]);
  if (c < 0x21 || c > 0x7e) {
    return "YAML syntax: unexpected token";
  }
  return std::string("YAML syntax: unexpected '") + text[pos] + "'";
}

}  // namespace

DocumentScan scan_documents(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentMarks marks;
  DocumentScan scan;
  std::optional<int> previous_start;
  while (scan.count < 3 && parser.HandleNextDocument(marks)) {
    // A document that consumed nothing: the parser would return the same one forever.
    if (previous_start && marks.start.pos == *previous_start) {
      scan.stuck = location(marks.start);
      scan.stuck_message = unexpected(text, marks.start);
      break;
    }
    previous_start = marks.start.pos;
    ++scan.count;
    if (scan.count == 2) {
      scan.second = location(marks.first_node.value_or(marks.start));
    }
  }
  return scan;
}

}  // namespace router::config
