#pragma once
// One lead as the core sees it: id, source, attributes and when it arrived. The engine
// converts the stored JSON object into these string values.

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "util/strings.hpp"

namespace router::core {

// The values of one lead field; several when the attribute was a JSON array.
using FieldValues = std::span<const std::string>;

// An enquiry to route. Attribute values are text: JSON strings as they are, numbers as
// their text, booleans as "true"/"false"; an array gives several values (a test passes
// when any of them passes); null is left out (the attribute is absent).
struct Lead {
  std::string id;
  std::string source;
  std::map<std::string, std::vector<std::string>> attributes;
  Time received_at{};
  // Set when the stored attributes are not a JSON object (the parser's message); the lead
  // then has no attributes and a fresh routing sends it to the manual queue.
  std::optional<std::string> attributes_error;

  // The values of `field`: `source` is the lead's source; otherwise an attribute of that
  // exact name, else one differing only in case. nullopt when absent.
  std::optional<FieldValues> values(const std::string& field) const {
    if (util::iequals(field, "source")) {
      return FieldValues{&source, 1};
    }
    if (const auto it = attributes.find(field); it != attributes.end()) {
      return FieldValues{it->second};
    }
    for (const auto& [name, vals] : attributes) {
      if (util::iequals(name, field)) {
        return FieldValues{vals};
      }
    }
    return std::nullopt;
  }
};

}  // namespace router::core
