// HMAC-SHA256 signatures of webhook bodies, through OpenSSL's libcrypto.
//
// libcrypto is loaded with dlopen on the first signature, not linked: mapping and
// relocating it cost every command about a millisecond at start (bench/README.md), and
// only webhooks with a secret need it. OpenSSL's headers still give the types.
#include "transport/transport.hpp"

#include <array>
#include <mutex>
#include <stdexcept>

#include <dlfcn.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace router::transport {
namespace {

constexpr const char* k_libcrypto = "libcrypto.so.3";

struct Crypto {
  decltype(&::HMAC) hmac = nullptr;
  decltype(&::EVP_sha256) sha256 = nullptr;
};

std::runtime_error load_error(const char* what) {
  const char* why = dlerror();
  return std::runtime_error(std::string("cannot load ") + k_libcrypto + ": " +
                            (why != nullptr ? why : what));
}

// Loads libcrypto once; throws when it cannot (libcurl, which needs it too, could not load
// either). A failure is not remembered: the next signature tries again.
const Crypto& crypto() {
  static std::mutex mutex;
  static Crypto loaded;
  const std::lock_guard<std::mutex> lock(mutex);
  if (loaded.hmac != nullptr) {
    return loaded;
  }
  void* library = dlopen(k_libcrypto, RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) {
    throw load_error("unknown error");
  }
  dlerror();
  void* hmac = dlsym(library, "HMAC");
  void* sha256 = hmac != nullptr ? dlsym(library, "EVP_sha256") : nullptr;
  if (hmac == nullptr || sha256 == nullptr) {
    auto error = load_error(hmac == nullptr ? "no HMAC" : "no EVP_sha256");
    dlclose(library);
    throw error;
  }
  loaded.sha256 = reinterpret_cast<decltype(&::EVP_sha256)>(sha256);  // NOLINT: dlsym's use
  loaded.hmac = reinterpret_cast<decltype(&::HMAC)>(hmac);            // NOLINT
  return loaded;
}

}  // namespace

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  const Crypto& lib = crypto();
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  // An empty key is legal for HMAC; OpenSSL wants a non-null pointer all the same.
  static const unsigned char k_empty = 0;
  const void* key_bytes = key.empty() ? &k_empty : static_cast<const void*>(key.data());
  const auto* data_bytes = reinterpret_cast<const unsigned char*>(data.data());  // NOLINT
  if (lib.hmac(lib.sha256(), key_bytes, static_cast<int>(key.size()),
               data.empty() ? &k_empty : data_bytes, data.size(), digest.data(),
               &length) == nullptr) {
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
