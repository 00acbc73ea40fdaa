#pragma once
// Test helpers over every field of the model: `fields(x)` ties all of a type's fields by a
// structured binding (so a field added to core/model.hpp stops this from compiling until
// the tests cover it), `expect_same` compares two models field by field, `expect_populated`
// checks a fixture leaves no optional empty and no list empty.

#include <array>
#include <optional>
#include <regex>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <doctest/doctest.h>

#include "core/model.hpp"

namespace router::test {

// Every field of a model type, as a tuple of references.
inline auto fields(const core::Location& x) {
  const auto& [a, b] = x;
  return std::tie(a, b);
}
inline auto fields(const core::TimeRange& x) {
  const auto& [a, b] = x;
  return std::tie(a, b);
}
inline auto fields(const core::WeeklyHours& x) {
  const auto& [a] = x;
  return std::tie(a);
}
inline auto fields(const core::Holiday& x) {
  const auto& [a, b, c, d, e] = x;
  return std::tie(a, b, c, d, e);
}
inline auto fields(const core::Calendar& x) {
  const auto& [a, b, c] = x;
  return std::tie(a, b, c);
}
inline auto fields(const core::Schedule& x) {
  const auto& [a, b, c, d, e, f, g] = x;
  return std::tie(a, b, c, d, e, f, g);
}
inline auto fields(const core::Agent& x) {
  const auto& [a, b, c, d, e, f] = x;
  return std::tie(a, b, c, d, e, f);
}
inline auto fields(const core::Test& x) {
  const auto& [a, b, c, d, e, f] = x;
  return std::tie(a, b, c, d, e, f);
}
inline auto fields(const core::Condition& x) {
  const auto& [a, b, c] = x;
  return std::tie(a, b, c);
}
inline auto fields(const core::Member& x) {
  const auto& [a, b, c, d, e] = x;
  return std::tie(a, b, c, d, e);
}
inline auto fields(const core::Pickup& x) {
  const auto& [a, b] = x;
  return std::tie(a, b);
}
inline auto fields(const core::Pool& x) {
  const auto& [a, b, c, d, e, f, g, h, i, j, k, l, m] = x;
  return std::tie(a, b, c, d, e, f, g, h, i, j, k, l, m);
}
inline auto fields(const core::Rule& x) {
  const auto& [a, b, c, d, e, f, g, h, i, j] = x;
  return std::tie(a, b, c, d, e, f, g, h, i, j);
}
inline auto fields(const core::OwnerMatch& x) {
  const auto& [a, b, c] = x;
  return std::tie(a, b, c);
}
inline auto fields(const core::RetryPolicy& x) {
  const auto& [a, b, c, d] = x;
  return std::tie(a, b, c, d);
}
inline auto fields(const core::Webhook& x) {
  const auto& [a, b, c, d, e, f, g] = x;
  return std::tie(a, b, c, d, e, f, g);
}
inline auto fields(const core::NotificationRule& x) {
  const auto& [a, b, c, d, e, f] = x;
  return std::tie(a, b, c, d, e, f);
}
inline auto fields(const core::Notifications& x) {
  const auto& [a, b, c, d, e, f, g, h] = x;
  return std::tie(a, b, c, d, e, f, g, h);
}
// core::Config keeps private indexes, so its public fields are listed by name.
inline auto fields(const core::Config& x) {
  return std::tie(x.version, x.timezone, x.zone, x.database, x.agents, x.calendars, x.schedules,
                  x.pools, x.rules, x.owner_match, x.notifications);
}

template <typename T> struct is_vector : std::false_type {};
template <typename T> struct is_vector<std::vector<T>> : std::true_type {};
template <typename T> struct is_optional : std::false_type {};
template <typename T> struct is_optional<std::optional<T>> : std::true_type {};
template <typename T> struct is_array : std::false_type {};
template <typename T, std::size_t N> struct is_array<std::array<T, N>> : std::true_type {};
template <typename T>
concept Composite = requires(const T& t) {
  fields(t);
};

// Calls f(index, field) for each field of a composite.
template <typename T, typename F> void for_each_field(const T& x, F f) {
  const auto tied = fields(x);
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (f(I, std::get<I>(tied)), ...);
  }
  (std::make_index_sequence<std::tuple_size_v<decltype(tied)>>{});
}

// Checks `a` and `b` are equal in every field; `where` names the place in messages.
template <typename T> void expect_same(const T& a, const T& b, const std::string& where) {
  if constexpr (Composite<T>) {
    const auto ta = fields(a);
    const auto tb = fields(b);
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (expect_same(std::get<I>(ta), std::get<I>(tb), where + "." + std::to_string(I)), ...);
    }
    (std::make_index_sequence<std::tuple_size_v<decltype(ta)>>{});
  } else if constexpr (is_vector<T>::value || is_array<T>::value) {
    REQUIRE_MESSAGE(a.size() == b.size(), where);
    for (std::size_t i = 0; i < a.size(); ++i) {
      expect_same(a[i], b[i], where + "[" + std::to_string(i) + "]");
    }
  } else if constexpr (is_optional<T>::value) {
    REQUIRE_MESSAGE(a.has_value() == b.has_value(), where);
    if (a) {
      expect_same(*a, *b, where);
    }
  } else if constexpr (std::is_same_v<T, const router::util::Zone*>) {
    // A decoded zone is read by name (util/zone.hpp).
    REQUIRE_MESSAGE((a == nullptr) == (b == nullptr), where);
    if (a) {
      CHECK_MESSAGE(a->name() == b->name(), where);
    }
  } else if constexpr (std::is_same_v<T, std::shared_ptr<const std::regex>>) {
    REQUIRE_MESSAGE((a == nullptr) == (b == nullptr), where);
    if (a) {
      CHECK_MESSAGE(a->flags() == b->flags(), where);
      CHECK_MESSAGE(a->mark_count() == b->mark_count(), where);
    }
  } else {
    CHECK_MESSAGE(a == b, where);
  }
}

// Checks no optional in `x` is empty and no list is empty (regexes may be null: only
// `matches` tests have one), so a round trip of `x` exercises every field.
template <typename T> void expect_populated(const T& x, const std::string& where) {
  if constexpr (Composite<T>) {
    for_each_field(x, [&](std::size_t i, const auto& field) {
      expect_populated(field, where + "." + std::to_string(i));
    });
  } else if constexpr (is_vector<T>::value || is_array<T>::value) {
    CHECK_MESSAGE(!x.empty(), where);
    for (std::size_t i = 0; i < x.size(); ++i) {
      expect_populated(x[i], where + "[" + std::to_string(i) + "]");
    }
  } else if constexpr (is_optional<T>::value) {
    REQUIRE_MESSAGE(x.has_value(), where);
    expect_populated(*x, where);
  } else if constexpr (std::is_pointer_v<T>) {
    CHECK_MESSAGE(x != nullptr, where);
  }
}

}  // namespace router::test
