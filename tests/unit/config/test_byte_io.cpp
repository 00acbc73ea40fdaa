#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "config/byte_io.hpp"

using router::config::hash64;
using router::config::Hash64;

namespace {

// 13,855 bytes of agent-like names: whole blocks and a tail.
std::string names() {
  std::string out;
  for (int i = 0; i < 1000; ++i) {
    out += "agent-" + std::to_string(i * 7919) + ";";
  }
  return out;
}

}  // namespace

// hash64 names cache entries and is stored as a configuration's id (configs.hash): a new
// implementation must give the same values, on any host.
TEST_CASE("hash64 keeps its values") {
  CHECK(hash64("") == 0x5019322f3c06bce5ULL);
  CHECK(hash64("a") == 0x4cf23cd2e4abe0cbULL);
  CHECK(hash64("router") == 0xb385d2d7acee9423ULL);
  CHECK(hash64("0123456789abcdef0123456789abcdef") == 0x618ea37e69150cabULL);
  CHECK(hash64("0123456789abcdef0123456789abcdef!") == 0x9391574a6199901bULL);
  const auto text = names();
  REQUIRE(text.size() == 13855);
  CHECK(hash64(text) == 0x094b7093afd2b74fULL);
  CHECK(hash64(text, 42) == 0x9a2d278fd16ed864ULL);
}

TEST_CASE("hash64 of pieces equals hash64 of the whole") {
  const auto text = names();
  for (const std::size_t piece : {1, 7, 31, 32, 33, 100, 4096}) {
    CAPTURE(piece);
    Hash64 h(42);
    for (std::size_t at = 0; at < text.size(); at += piece) {
      h.update(std::string_view(text).substr(at, piece));
    }
    CHECK(h.finish() == hash64(text, 42));
  }
}
