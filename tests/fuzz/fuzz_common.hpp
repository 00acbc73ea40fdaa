#pragma once
// What a harness treats as fine and what as a finding. The product's own documented errors
// (bad input data 65, bad configuration 78, bad usage 64) are answers, not bugs; any other
// exception, an error with another status, or a broken invariant aborts, so that libFuzzer
// saves the input.

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

#include "util/error.hpp"

namespace router::fuzz {

// Reports a finding on stderr and aborts.
[[noreturn]] inline void finding(const std::string& what) {
  std::fprintf(stderr, "fuzz finding: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

// Aborts unless `condition` holds.
inline void require(bool condition, const std::string& what) {
  if (!condition) {
    finding(what);
  }
}

// A user-facing message is printed as one line, "router: message" (SPEC §4).
inline void require_one_line(std::string_view message) {
  require(message.find('\n') == std::string_view::npos &&
              message.find('\r') == std::string_view::npos,
          "an error message spans several lines: " + std::string(message));
}

// Runs `body`; lets a documented user-facing error through, anything else is a finding.
template <typename Body> void expect_clean(Body&& body) {
  try {
    body();
  } catch (const util::Error& e) {
    const auto status = e.status();
    require(status == util::ExitStatus::data || status == util::ExitStatus::config ||
                status == util::ExitStatus::usage,
            "an error with exit status " + std::to_string(static_cast<int>(status)) + ": " +
                e.what());
    require_one_line(e.what());
  } catch (const std::exception& e) {
    finding(std::string("an exception that is not a util::Error (exit 70): ") + e.what());
  } catch (...) {
    finding("an exception that is not a std::exception");
  }
}

}  // namespace router::fuzz
