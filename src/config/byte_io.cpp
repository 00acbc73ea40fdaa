#include "config/byte_io.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace router::config {

void ByteReader::truncated() {
  throw DecodeError("truncated data");
}

void ByteWriter::u32(std::uint32_t v) {
  for (int i = 0; i < 4; ++i) {
    u8(static_cast<std::uint8_t>(v >> (8 * i)));
  }
}

void ByteWriter::u64(std::uint64_t v) {
  for (int i = 0; i < 8; ++i) {
    u8(static_cast<std::uint8_t>(v >> (8 * i)));
  }
}

void ByteWriter::f64(double v) {
  u64(std::bit_cast<std::uint64_t>(v));
}

void ByteWriter::str(std::string_view s) {
  u32(static_cast<std::uint32_t>(s.size()));
  m_out.append(s);
}

namespace {

constexpr std::uint64_t k_prime = 0x100000001b3ULL;
constexpr std::uint64_t k_basis = 0xcbf29ce484222325ULL;

// Eight bytes as a little-endian word, whatever the host, so hashes are portable.
std::uint64_t word_at(const char* bytes) {
  std::uint64_t word = 0;
  std::memcpy(&word, bytes, sizeof word);
  if constexpr (std::endian::native == std::endian::big) {
    word = __builtin_bswap64(word);
  }
  return word;
}

}  // namespace

// Four independent lanes over 32-byte blocks, so the multiplications overlap: a
// megabyte-sized cache entry is checked in a fraction of a millisecond.
Hash64::Hash64(std::uint64_t seed)
    : m_lane{k_basis ^ seed, k_basis ^ (seed + 1), k_basis ^ (seed + 2), k_basis ^ (seed + 3)} {}

void Hash64::blocks(const char* bytes, std::size_t count) {
  // The lanes live in registers for the loop: written through m_lane, each block would
  // store them and load them back, since the bytes (char) may alias them. That chain made
  // the hash of a cache entry and its source a tenth of a one-lead run.
  std::uint64_t a = m_lane[0];
  std::uint64_t b = m_lane[1];
  std::uint64_t c = m_lane[2];
  std::uint64_t d = m_lane[3];
  for (std::size_t k = 0; k < count; ++k, bytes += 32) {
    a = (a ^ word_at(bytes)) * k_prime;
    b = (b ^ word_at(bytes + 8)) * k_prime;
    c = (c ^ word_at(bytes + 16)) * k_prime;
    d = (d ^ word_at(bytes + 24)) * k_prime;
  }
  m_lane[0] = a;
  m_lane[1] = b;
  m_lane[2] = c;
  m_lane[3] = d;
}

void Hash64::update(std::string_view bytes) {
  // memcpy must not see the null data() of an empty view.
  if (bytes.empty()) {
    return;
  }
  m_size += bytes.size();
  if (m_pending_size > 0) {
    const std::size_t n = std::min(bytes.size(), sizeof m_pending - m_pending_size);
    std::memcpy(m_pending + m_pending_size, bytes.data(), n);
    m_pending_size += n;
    bytes.remove_prefix(n);
    if (m_pending_size < sizeof m_pending) {
      return;
    }
    blocks(m_pending, 1);
    m_pending_size = 0;
  }
  const std::size_t i = bytes.size() / 32 * 32;
  blocks(bytes.data(), bytes.size() / 32);
  std::memcpy(m_pending, bytes.data() + i, bytes.size() - i);
  m_pending_size = bytes.size() - i;
}

std::uint64_t Hash64::finish() const {
  std::uint64_t h = m_lane[0];
  for (std::size_t l = 1; l < 4; ++l) {
    h = (h ^ m_lane[l]) * k_prime;
  }
  for (std::size_t i = 0; i < m_pending_size; ++i) {
    h = (h ^ static_cast<std::uint8_t>(m_pending[i])) * k_prime;
  }
  // The length, then a final mix (from MurmurHash3's fmix64) so every input bit reaches
  // every output bit.
  h = (h ^ m_size) * k_prime;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

std::uint64_t hash64(std::string_view bytes, std::uint64_t seed) {
  Hash64 h(seed);
  h.update(bytes);
  return h.finish();
}

}  // namespace router::config
