#pragma once
// Counting the documents of a YAML text before building any node. yaml-cpp 0.7's LoadAll
// never returns on a document that starts with a token no node can begin with, such as a
// stray ',' outside [ ] or { } (its parser yields an empty document without consuming the
// token, again and again, allocating each time; fixed upstream after 0.8). The loader
// looks first, and builds nodes only when there is exactly one well-formed document.

#include <cstddef>
#include <optional>
#include <string>

#include "core/model.hpp"

namespace router::config {

// What scan_documents found.
struct DocumentScan {
  // Documents read: 0 for an empty text; at most 3 are looked at, any more are not counted.
  std::size_t count = 0;
  // Where the second document's content starts (valid when count > 1).
  core::Location second;
  // A token that no document consumes: where it is and a one-line message for it.
  std::optional<core::Location> stuck;
  std::string stuck_message;
};

// Reads the documents of `text` as parser events only. Throws YAML::Exception on a syntax
// error, exactly as YAML::Load would.
DocumentScan scan_documents(const std::string& text);

}  // namespace router::config
