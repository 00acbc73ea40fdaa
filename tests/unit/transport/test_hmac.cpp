// HMAC-SHA256 against the published test vectors (RFC 4231, section 4).
#include <doctest/doctest.h>

#include <string>

#include "transport/transport.hpp"

using router::transport::hmac_sha256_hex;

TEST_SUITE("transport.hmac") {
  TEST_CASE("RFC 4231 test case 1: a 20-byte key of 0x0b over \"Hi There\"") {
    CHECK(hmac_sha256_hex(std::string(20, '\x0b'), "Hi There") ==
          "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  }

  TEST_CASE("RFC 4231 test case 2: a key shorter than the block, \"Jefe\"") {
    CHECK(hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }

  TEST_CASE("RFC 4231 test case 6: a key longer than the block is hashed first") {
    CHECK(hmac_sha256_hex(std::string(131, '\xaa'),
                          "Test Using Larger Than Block-Size Key - Hash Key First") ==
          "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  }

  TEST_CASE("an empty key and an empty body still give a 64-digit signature") {
    CHECK(hmac_sha256_hex("", "") ==
          "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
  }
}
