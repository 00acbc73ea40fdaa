// HMAC-SHA256 signatures of webhook bodies, through OpenSSL.
#include "transport/transport.hpp"

#include <array>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace router::transport {

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  // An empty key is legal for HMAC; OpenSSL wants a non-null pointer all the same.
  static const unsigned char k_empty = 0;
  const void* key_bytes = key.empty() ? &k_empty : static_cast<const void*>(key.data());
  const auto* data_bytes = reinterpret_cast<const unsigned char*>(data.data());  // NOLINT
  if (HMAC(EVP_sha256(), key_bytes, static_cast<int>(key.size()),
           data.empty() ? &k_empty : data_bytes, data.size(), digest.data(), &length) == nullptr) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(std::size_t{2} * length);
  for (unsigned int i = 0; i < length; ++i) {
    hex += k_hex[digest[i] >> 4];
    hex += k_hex[digest[i] & 0x0f];
  }
  return hex;
}

}  // namespace router::transport
